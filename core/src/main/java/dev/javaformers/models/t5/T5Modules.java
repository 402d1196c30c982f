package dev.javaformers.models.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.Attention;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Layers.Linear;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;

/**
 * T5's layers, named as transformers names them ({@code block.0.layer.0.SelfAttention.q},
 * {@code layer.1.DenseReluDense.wi}, {@code layer_norm}). Linear layers have no biases; T5 initialises them
 * with {@code initializer_factor}-scaled normals.
 */
public final class T5Modules {

    private T5Modules() {}

    /** T5's layer norm: scale only, no mean subtracted, no bias, the variance in float32. */
    public static final class LayerNorm extends Module implements dev.javaformers.nn.NormalizationLayer {
        public final Parameter weight;
        private final double eps;

        LayerNorm(NDManager m, int dim, double eps) {
            weight = register("weight", Layers.filled(m, new Shape(dim), 1f));
            this.eps = eps;
        }

        NDArray forward(NDArray x) {
            NDArray h = x.toType(DataType.FLOAT32, false);
            NDArray variance = Tensors.pow(h, 2).mean(new int[] {-1}, true);
            // the activation first: a result belongs to its first operand's manager, and the weight's is the model's
            return h.div(variance.add(Tensors.scalar(variance, eps)).sqrt()).mul(weight.array());
        }
    }

    /**
     * T5's bucket of a relative position (key minus query): exact below half the buckets, logarithmic up to
     * {@code maxDistance}; bidirectional (the encoder) spends half the buckets on each sign.
     */
    static int bucket(int relativePosition, boolean bidirectional, int numBuckets, int maxDistance) {
        int buckets = 0;
        int n = numBuckets;
        int position;
        if (bidirectional) {
            n /= 2;
            buckets += relativePosition > 0 ? n : 0;
            position = Math.abs(relativePosition);
        } else {
            position = -Math.min(relativePosition, 0);
        }
        int maxExact = n / 2;
        if (position < maxExact) {
            return buckets + position;
        }
        // float32, as torch computes it
        float scaled = (float) Math.log((float) position / maxExact) / (float) Math.log((double) maxDistance / maxExact)
                * (n - maxExact);
        return buckets + Math.min(maxExact + (int) scaled, n - 1);
    }

    /** Multi-head attention without scaling, plus a relative position bias in the stacks' first blocks. */
    public static final class T5Attention extends Module {
        final Linear q;
        final Linear k;
        final Linear v;
        final Linear o;
        final Layers.Embedding relativeAttentionBias;
        private final int heads;
        private final boolean decoder;
        private final int layer;
        private final T5Config config;

        T5Attention(T5Config c, NDManager m, boolean decoder, boolean relativeBias, int layer) {
            int inner = c.numHeads * c.dKv;
            double f = c.initializerFactor;
            q = register("q", new Linear(m, c.dModel, inner, f * Math.pow(c.dModel * c.dKv, -0.5), false));
            k = register("k", new Linear(m, c.dModel, inner, f * Math.pow(c.dModel, -0.5), false));
            v = register("v", new Linear(m, c.dModel, inner, f * Math.pow(c.dModel, -0.5), false));
            o = register("o", new Linear(m, inner, c.dModel, f * Math.pow(inner, -0.5), false));
            relativeAttentionBias = relativeBias ? register("relative_attention_bias", new Layers.Embedding(m,
                    c.relativeAttentionNumBuckets, c.numHeads, f * Math.pow(c.dModel, -0.5), null)) : null;
            heads = c.numHeads;
            this.decoder = decoder;
            this.layer = layer;
            config = c;
        }

        /** The bias [1, heads, queries, keys] for queries at {@code past, past + 1, ...} over all keys. */
        NDArray positionBias(NDManager m, long past, long queries, long keys) {
            int[] buckets = new int[(int) (queries * keys)];
            for (int i = 0; i < queries; i++) {
                for (int j = 0; j < keys; j++) {
                    buckets[(int) (i * keys + j)] = bucket((int) (j - (past + i)), !decoder,
                            config.relativeAttentionNumBuckets, config.relativeAttentionMaxDistance);
                }
            }
            NDArray ids = Tensors.owned(m.create(buckets, new Shape(queries, keys))).toType(DataType.INT64, false);
            return relativeAttentionBias.forward(ids).transpose(2, 0, 1).expandDims(0);
        }

        /**
         * Attention of {@code x} over {@code keyValues} (itself when null); {@code bias} holds positions and mask.
         * With a {@code cache}, self-attention appends its new keys and values to it, and cross-attention computes
         * the encoder's once and reads them from it after.
         */
        NDArray forward(NDArray x, NDArray keyValues, NDArray bias, DynamicCache cache) {
            NDArray qh = Attention.splitHeads(q.forward(x), heads);
            NDArray source = keyValues == null ? x : keyValues;
            NDArray[] kv = Attention.keysAndValues(cache, layer, keyValues != null, () -> new NDArray[] {
                Attention.splitHeads(k.forward(source), heads), Attention.splitHeads(v.forward(source), heads)});
            NDArray kh = kv[0];
            NDArray vh = kv[1];
            NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).add(bias);
            NDArray probs = scores.toType(DataType.FLOAT32, false).softmax(-1).toType(scores.getDataType(), false);
            Attention.record(probs);
            probs = Layers.dropout(probs, config.dropoutRate, isTraining());
            return o.forward(Attention.mergeHeads(probs.matMul(vh)));
        }
    }

    /** The feed-forward: {@code wo(act(wi(x)))}, or gated {@code wo(act(wi_0(x)) * wi_1(x))}. */
    public static final class DenseReluDense extends Module {
        final Linear wi;
        final Linear wi0;
        final Linear wi1;
        final Linear wo;
        private final String activation;
        private final double dropout;

        DenseReluDense(T5Config c, NDManager m) {
            double f = c.initializerFactor;
            if (c.gated()) {
                wi = null;
                wi0 = register("wi_0", new Linear(m, c.dModel, c.dFf, f * Math.pow(c.dModel, -0.5), false));
                wi1 = register("wi_1", new Linear(m, c.dModel, c.dFf, f * Math.pow(c.dModel, -0.5), false));
            } else {
                wi = register("wi", new Linear(m, c.dModel, c.dFf, f * Math.pow(c.dModel, -0.5), false));
                wi0 = null;
                wi1 = null;
            }
            wo = register("wo", new Linear(m, c.dFf, c.dModel, f * Math.pow(c.dFf, -0.5), false));
            activation = c.activation();
            dropout = c.dropoutRate;
        }

        NDArray forward(NDArray x) {
            NDArray h = wi != null ? Layers.activation(activation, wi.forward(x))
                    : Layers.activation(activation, wi0.forward(x)).mul(wi1.forward(x));
            return wo.forward(Layers.dropout(h, dropout, isTraining()));
        }
    }

    /** A residual sub-layer: {@code x + dropout(f(layer_norm(x)))}, f being attention or the feed-forward. */
    public static final class SubLayer extends Module {
        final T5Attention attention;
        final DenseReluDense feedForward;
        final LayerNorm layerNorm;
        private final double dropout;

        SubLayer(T5Config c, NDManager m, String name, T5Attention attention, DenseReluDense feedForward) {
            this.attention = attention == null ? null : register(name, attention);
            this.feedForward = feedForward == null ? null : register(name, feedForward);
            layerNorm = register("layer_norm", new LayerNorm(m, c.dModel, c.layerNormEpsilon));
            dropout = c.dropoutRate;
        }

        NDArray forward(NDArray x, NDArray keyValues, NDArray bias, DynamicCache cache) {
            NDArray normed = layerNorm.forward(x);
            NDArray h = attention != null ? attention.forward(normed, keyValues, bias, cache)
                    : feedForward.forward(normed);
            return x.add(Layers.dropout(h, dropout, isTraining()));
        }
    }

    /** One block: self-attention, cross-attention in the decoder, then the feed-forward ({@code layer.0..2}). */
    public static final class Block extends Module {
        final SubLayer selfAttention;
        final SubLayer crossAttention;
        final SubLayer feedForward;

        Block(T5Config c, NDManager m, boolean decoder, int index) {
            Layers.ModuleList<SubLayer> layer = register("layer", new Layers.ModuleList<>());
            selfAttention = new SubLayer(c, m, "SelfAttention", new T5Attention(c, m, decoder, index == 0, index),
                    null);
            layer.add(selfAttention);
            crossAttention = decoder ? new SubLayer(c, m, "EncDecAttention", new T5Attention(c, m, true, false,
                    index), null) : null;
            if (crossAttention != null) {
                layer.add(crossAttention);
            }
            feedForward = new SubLayer(c, m, "DenseReluDense", null, new DenseReluDense(c, m));
            layer.add(feedForward);
        }

        NDArray forward(NDArray x, NDArray selfBias, NDArray encoderStates, NDArray crossBias, DynamicCache selfCache,
                DynamicCache crossCache) {
            NDArray h = selfAttention.forward(x, null, selfBias, selfCache);
            if (crossAttention != null) {
                h = crossAttention.forward(h, encoderStates, crossBias, crossCache);
            }
            return feedForward.forward(h, null, null, null);
        }
    }
}
