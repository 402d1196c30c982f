/**
 * Tokenizers as transformers has them: {@link dev.javaformers.tokenize.AutoTokenizer} loads {@code tokenizer.json}
 * (or converts {@code vocab.txt} / {@code vocab.json} + {@code merges.txt}) with {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}; {@link dev.javaformers.tokenize.PreTrainedTokenizer} encodes with transformers'
 * padding and truncation options into a {@link dev.javaformers.tokenize.BatchEncoding}. The tokenizing itself is
 * done by HuggingFace's Rust library through DJL, always from a local file our hub code resolved.
 */
package dev.javaformers.tokenize;
