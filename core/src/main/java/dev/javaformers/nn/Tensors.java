package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;

/** Helpers for arrays made from Java data. */
public final class Tensors {

    private Tensors() {}

    /**
     * A copy of {@code wrapped} in memory the engine owns, the original closed. DJL's {@code create(...)} from Java
     * data wraps a Java direct buffer without copying; training runs that used such arrays as model inputs saw
     * gradients turn non-finite now and then (3 of 8 MiniLM fine-tunes; 1 of 3 stress runs, 0 of 6 with copies),
     * so every array made from Java data goes through here.
     */
    public static NDArray owned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }
}
