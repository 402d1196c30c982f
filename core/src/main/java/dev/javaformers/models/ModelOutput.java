package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** What a model's forward pass returns; {@link #loss()} is set when labels were given. */
public interface ModelOutput {

    default NDArray loss() {
        return null;
    }

    /** The head's logits, or null for outputs without them (the bare encoder's). */
    default NDArray logits() {
        return null;
    }
}
