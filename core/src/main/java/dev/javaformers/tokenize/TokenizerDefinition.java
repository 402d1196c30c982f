package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a tokenizer is made from: the {@code tokenizer.json} definition (read or converted), the settings of
 * {@code tokenizer_config.json} merged with {@code special_tokens_map.json} and the caller's overrides, and where
 * they came from (for messages).
 */
public record TokenizerDefinition(ObjectNode tokenizerJson, ObjectNode tokenizerConfig, String source) {}
