package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;

/** Helpers for arrays made from Java data. */
public final class Tensors {

    private Tensors() {}

    /**
     * A copy of {@code wrapped} in memory the engine owns, the original closed. DJL's {@code create(...)} from Java
     * data wraps a Java direct buffer without copying, so such an array's memory depends on the JVM's garbage
     * collector. Copies rule that out as a cause of the non-finite gradients seen now and then in training (rarer
     * with copies, but still seen once since: the cause is not found yet).
     */
    public static NDArray owned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }
}
