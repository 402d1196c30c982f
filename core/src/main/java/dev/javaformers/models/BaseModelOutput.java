package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/**
 * The encoder's output: hidden states [batch, tokens, hidden] and, for models with a pooler, the pooled first
 * token [batch, hidden] (null otherwise).
 */
public record BaseModelOutput(NDArray lastHiddenState, NDArray poolerOutput) implements ModelOutput {}
