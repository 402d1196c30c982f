package dev.javaformers.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arrays in memory the engine owns, for everything autograd may keep until the backward pass.
 *
 * <p>DJL's PyTorch engine wraps Java data (an array made with {@code create(...)}, and the scalar behind every
 * {@code x.div(2.0)}, {@code x.mul(0.5)}, {@code x.maximum(0)}) in a Java direct buffer without copying, and lets
 * the buffer go when the Java array is closed: {@code div(Number)} closes its scalar as soon as it returns. When
 * autograd saved that tensor for the backward pass (division and multiplication save their second operand), a
 * garbage collection between forward and backward frees the memory under it, and the gradient reads whatever is
 * there next: NaN or infinity in every gradient, now and then, with a finite loss. Model code therefore never
 * passes a Java number to an operation on a tracked array: it uses {@link #div}, {@link #mul}, {@link #maximum}
 * and {@link #pow} here, and copies arrays made from Java data with {@link #owned}. ({@code ScalarOperandsTest}
 * shows the failure with DJL's own methods.)
 */
public final class Tensors {

    private Tensors() {}

    /** A copy of {@code wrapped} in memory the engine owns, the original closed. */
    public static NDArray owned(NDArray wrapped) {
        NDArray copy = wrapped.duplicate();
        wrapped.close();
        return copy;
    }

    /** A 0-d array of {@code value} with {@code like}'s type and device, made by the engine (not from Java memory). */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType(), like.getDevice());
    }

    /** {@code x / value}, safe to differentiate. */
    public static NDArray div(NDArray x, double value) {
        return withScalar(x, value, NDArray::div);
    }

    /** {@code x * value}, safe to differentiate. */
    public static NDArray mul(NDArray x, double value) {
        return withScalar(x, value, NDArray::mul);
    }

    /** {@code max(x, value)} element-wise, safe to differentiate. */
    public static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** {@code x ^ value}, safe to differentiate. */
    public static NDArray pow(NDArray x, double value) {
        return withScalar(x, value, NDArray::pow);
    }

    /** {@code op(x, scalar)}; closing the scalar's Java handle leaves the engine's reference to it alive. */
    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, value)) {
            return op.apply(x, s);
        }
    }
}
