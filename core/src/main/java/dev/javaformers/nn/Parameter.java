package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;

/**
 * A trainable tensor. Two modules that share one Parameter (tied weights) see every update to it, loading
 * included.
 */
public final class Parameter {

    private NDArray array;

    public Parameter(NDArray array) {
        this.array = array;
    }

    public NDArray array() {
        return array;
    }

    /** Replaces the values (the old array is closed), keeping gradient tracking as it was. */
    public void set(NDArray value) {
        if (value == array) {
            return;
        }
        boolean grad = array != null && array.hasGradient();
        NDArray old = array;
        array = value;
        if (grad) {
            array.setRequiresGradient(true);
        }
        if (old != null) {
            old.close();
        }
    }

    @Override
    public String toString() {
        return "Parameter" + array.getShape() + " " + array.getDataType();
    }
}
