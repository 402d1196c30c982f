package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Helpers shared by the attention layers: masks, heads, recorded probabilities. */
public final class Attention {

    private static final ThreadLocal<java.util.List<NDArray>> RECORDING = new ThreadLocal<>();

    private Attention() {}

    /**
     * Runs {@code forward} and returns the attention probabilities [batch, heads, tokens, tokens] of every layer,
     * in order (transformers' {@code output_attentions=True}).
     */
    public static java.util.List<NDArray> recordWhile(Runnable forward) {
        RECORDING.set(new java.util.ArrayList<>());
        try {
            forward.run();
            return RECORDING.get();
        } finally {
            RECORDING.remove();
        }
    }

    /** Called by attention layers with their probabilities; kept only inside {@link #recordWhile}. */
    public static void record(NDArray probabilities) {
        java.util.List<NDArray> recorded = RECORDING.get();
        if (recorded != null) {
            recorded.add(probabilities);
        }
    }

    /**
     * transformers' extended attention mask: [batch, tokens] of 1 (attend) / 0 (padding) becomes an additive
     * [batch, 1, 1, tokens] mask of 0 and the dtype's lowest value.
     */
    public static NDArray additiveMask(NDArray attentionMask, DataType type) {
        float min = type == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        NDArray mask = attentionMask.toType(type, false).expandDims(1).expandDims(1);
        return mask.neg().add(1).mul(min);
    }

    /**
     * A decoder's causal mask, [1, 1, new tokens, past + new tokens]: 0 where a new token may attend (the cached
     * ones, itself and the new ones before it), the dtype's lowest value after.
     */
    public static NDArray causalMask(ai.djl.ndarray.NDManager m, long past, long tokens, DataType type) {
        return causalMask(m, past, tokens, type, null);
    }

    /**
     * The same with a sliding {@code window} (null: none): a token sees the keys less than {@code window} positions
     * back, as Mistral's attention does.
     */
    public static NDArray causalMask(ai.djl.ndarray.NDManager m, long past, long tokens, DataType type,
            Integer window) {
        NDArray query = m.arange(past, past + tokens, 1, DataType.INT64).expandDims(1);
        NDArray key = m.arange(0, past + tokens, 1, DataType.INT64).expandDims(0);
        NDArray hidden = key.gt(query);
        if (window != null) {
            hidden = hidden.logicalOr(query.sub(key).gte(window));
        }
        NDArray after = hidden.toType(type, false);
        float min = type == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        return dev.javaformers.nn.Tensors.mul(after, min).expandDims(0).expandDims(0);
    }

    /**
     * A decoder's additive mask over the new tokens [batch or 1, 1, new, past + new]: causal, plus the padding of
     * {@code attentionMask} [batch, past + new] when there is one.
     */
    public static NDArray decoderMask(ai.djl.ndarray.NDManager m, long past, long tokens, NDArray attentionMask,
            DataType type) {
        return decoderMask(m, past, tokens, attentionMask, type, null);
    }

    /** The same with a sliding {@code window} of keys (null: none), see {@link #causalMask}. */
    public static NDArray decoderMask(ai.djl.ndarray.NDManager m, long past, long tokens, NDArray attentionMask,
            DataType type, Integer window) {
        NDArray mask = causalMask(m, past, tokens, type, window);
        return attentionMask == null ? mask : mask.add(additiveMask(attentionMask, type));
    }

    /** {@code positionIds}, or positions counting on from {@code past}: [1, tokens] of past, past + 1, ... */
    public static NDArray positions(NDArray inputIds, NDArray positionIds, long past) {
        long tokens = inputIds.getShape().get(1);
        return positionIds != null ? positionIds
                : inputIds.getManager().arange(past, past + tokens, 1, DataType.INT64).expandDims(0);
    }

    /**
     * One attention layer's keys and values, {@code project}ed from its source: with a {@code cache},
     * self-attention appends the new ones to it and gets them all, and cross-attention computes the encoder's
     * once, on the first call, and reads them from it after.
     */
    public static NDArray[] keysAndValues(DynamicCache cache, int layer, boolean cross,
            java.util.function.Supplier<NDArray[]> project) {
        if (cache == null) {
            return project.get();
        }
        NDArray[] kept = cross ? cache.get(layer) : null;
        if (kept != null) {
            return kept;
        }
        NDArray[] projected = project.get();
        return cache.update(layer, projected[0], projected[1]);
    }

    /** [batch, tokens, heads*size] to [batch, heads, tokens, size]. */
    public static NDArray splitHeads(NDArray x, int heads) {
        long[] s = x.getShape().getShape();
        return x.reshape(s[0], s[1], heads, s[2] / heads).transpose(0, 2, 1, 3);
    }

    /** [batch, heads, tokens, size] back to [batch, tokens, heads*size]. */
    public static NDArray mergeHeads(NDArray x) {
        long[] s = x.getShape().getShape();
        return x.transpose(0, 2, 1, 3).reshape(s[0], s[2], s[1] * s[3]);
    }
}
