package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** Vocabulary logits [batch, tokens, vocab], and the loss (over labels other than -100) when labels were given. */
public record MaskedLMOutput(NDArray loss, NDArray logits) implements ModelOutput {}
