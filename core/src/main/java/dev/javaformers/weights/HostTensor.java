package dev.javaformers.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.nn.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor read from or bound for a checkpoint: dtype, shape and little-endian bytes, outside any engine.
 *
 * @param dtype the element type
 * @param shape the dimensions
 * @param data exactly {@code numel * dtype.bytes()} bytes, little-endian, from position 0
 */
public record HostTensor(DType dtype, long[] shape, ByteBuffer data) {

    public HostTensor {
        long expected = numel(shape) * dtype.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("A " + dtype + " tensor of shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long numel() {
        return numel(shape);
    }

    /** A copy of this tensor as a DJL array in {@code manager}; BF16 becomes F32. */
    public NDArray toNDArray(NDManager manager) {
        if (dtype == DType.BF16) {
            return Tensors.owned(manager.create(widenBf16(data), new Shape(shape), dtype.djlType()));
        }
        if (data.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && data.remaining() > 0) {
            // DJL wraps a direct buffer without copying; the engine then copies it into memory of its own
            try (NDArray view = manager.create(data.duplicate().order(ByteOrder.nativeOrder()), new Shape(shape),
                    dtype.djlType())) {
                return view.duplicate();
            }
        }
        return Tensors.owned(manager.create(copyDirect(data), new Shape(shape), dtype.djlType()));
    }

    /** The bytes of a DJL array, ready to write. */
    public static HostTensor of(NDArray array) {
        ByteBuffer bytes = array.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
        return new HostTensor(DType.of(array.getDataType()), array.getShape().getShape(), bytes);
    }

    /** The values as floats, for F32, F16-free checks and tests. */
    public float[] toFloatArray() {
        if (dtype != DType.F32) {
            throw new IllegalStateException("toFloatArray needs F32, this tensor is " + dtype);
        }
        float[] out = new float[(int) numel()];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static ByteBuffer copyDirect(ByteBuffer source) {
        ByteBuffer out = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        out.put(source.duplicate().order(ByteOrder.LITTLE_ENDIAN)).flip();
        return out;
    }

    /** bfloat16 is the top half of a float32: shift each value into place. */
    static ByteBuffer widenBf16(ByteBuffer source) {
        var in = source.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(in.remaining() * 4).order(ByteOrder.nativeOrder());
        while (in.hasRemaining()) {
            out.putInt((in.get() & 0xffff) << 16);
        }
        return out.flip();
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
