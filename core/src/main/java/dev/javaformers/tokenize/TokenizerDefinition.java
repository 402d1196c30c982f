package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a tokenizer is made from: the {@code tokenizer.json} definition (read or converted), the settings of
 * {@code tokenizer_config.json} merged with {@code special_tokens_map.json} and the caller's overrides, and where
 * they came from (for messages). A tokenizer converted from SentencePiece files keeps them ({@code slowFiles}, file
 * name to path) to save beside its {@code tokenizer.json}, as transformers' fast tokenizers save their vocab files;
 * Marian's has a second definition for targets ({@code target.spm}), else {@code targetTokenizerJson} is null.
 */
public record TokenizerDefinition(ObjectNode tokenizerJson, ObjectNode tokenizerConfig, String source,
        ObjectNode targetTokenizerJson, Map<String, Path> slowFiles) {

    public TokenizerDefinition(ObjectNode tokenizerJson, ObjectNode tokenizerConfig, String source) {
        this(tokenizerJson, tokenizerConfig, source, null, Map.of());
    }
}
