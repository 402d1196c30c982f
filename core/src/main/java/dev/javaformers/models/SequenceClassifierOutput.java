package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** Logits [batch, num_labels], and the loss when labels were given. */
public record SequenceClassifierOutput(NDArray loss, NDArray logits) implements ModelOutput {}
