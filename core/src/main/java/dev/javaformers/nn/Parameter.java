package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;
import java.util.function.Supplier;

/**
 * A trainable tensor and the way it is initialised. Two modules that share one Parameter (tied weights) see
 * every update to it, loading included.
 */
public final class Parameter {

    private NDArray array;
    private final Supplier<NDArray> initializer;

    /** A parameter with a fixed starting value (re-initialising leaves it as it is). */
    public Parameter(NDArray array) {
        this.array = array;
        this.initializer = null;
    }

    /**
     * A parameter drawn by {@code initializer}. Inside {@link #deferInitialization} only a placeholder of
     * {@code placeholder}'s making is created, since weights about to be loaded need no random draw.
     */
    public Parameter(Supplier<NDArray> initializer, Supplier<NDArray> placeholder) {
        this.initializer = initializer;
        this.array = DEFERRED.get() ? placeholder.get() : initializer.get();
    }

    private static final ThreadLocal<Boolean> DEFERRED = ThreadLocal.withInitial(() -> false);

    /** Builds with placeholder parameters (transformers' fast init); call {@link #initialize()} on any not loaded. */
    public static <T> T deferInitialization(Supplier<T> build) {
        boolean before = DEFERRED.get();
        DEFERRED.set(true);
        try {
            return build.get();
        } finally {
            DEFERRED.set(before);
        }
    }

    /** Draws the starting value again, as a freshly built model has it. */
    public void initialize() {
        if (initializer != null) {
            set(initializer.get());
        }
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
