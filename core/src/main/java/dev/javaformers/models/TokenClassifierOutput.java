package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** Logits [batch, tokens, num_labels], and the loss (over labels other than -100) when labels were given. */
public record TokenClassifierOutput(NDArray loss, NDArray logits) implements ModelOutput {}
