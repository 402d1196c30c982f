package dev.javaformers.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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

/** Llama's layers, named as transformers names them ({@code layers.0.self_attn.q_proj}, {@code mlp.gate_proj}). */
public final class LlamaModules {

    private LlamaModules() {}

    /** Root-mean-square normalisation with a weight and no bias (T5's LayerNorm), in float32. */
    public static final class RMSNorm extends Module implements dev.javaformers.nn.NormalizationLayer {
        public final Parameter weight;
        final double eps;

        RMSNorm(NDManager m, int dim, double eps) {
            weight = register("weight", Layers.filled(m, new Shape(dim), 1f));
            this.eps = eps;
        }

        NDArray forward(NDArray x) {
            NDArray h = x.toType(DataType.FLOAT32, false);
            NDArray variance = Tensors.pow(h, 2).mean(new int[] {-1}, true);
            NDArray normed = h.div(variance.add(Tensors.scalar(variance, eps)).sqrt());
            // the activation first: a result belongs to its first operand's manager, and the weight's is the model's
            return normed.toType(x.getDataType(), false).mul(weight.array());
        }
    }

    /**
     * Rotary position embeddings: cos and sin [batch, 1, tokens, head size] for the given positions, with
     * {@code rope_scaling} linear (positions divided by the factor), dynamic (NTK: a larger base once the sequence
     * is longer than {@code max_position_embeddings}) or llama3 (low frequencies divided by the factor).
     */
    static NDArray[] rotary(NDArray positionIds, long sequenceLength, int headDim, LlamaConfig c) {
        double base = c.ropeTheta;
        String type = c.ropeType();
        if ("dynamic".equals(type) && sequenceLength > c.maxPositionEmbeddings) {
            double factor = c.ropeScalingValue("factor");
            base = base * Math.pow(factor * sequenceLength / c.maxPositionEmbeddings - (factor - 1),
                    (double) headDim / (headDim - 2));
        }
        float[] invFreq = inverseFrequencies(base, headDim, c);
        NDManager m = positionIds.getManager();
        NDArray t = positionIds.toType(DataType.FLOAT32, false);
        if ("linear".equals(type)) {
            t = Tensors.div(t, c.ropeScalingValue("factor"));
        }
        NDArray freqs = t.expandDims(-1).mul(Tensors.owned(m.create(invFreq)));
        NDArray emb = NDArrays.concat(new ai.djl.ndarray.NDList(freqs, freqs), -1).expandDims(1);
        return new NDArray[] {emb.cos(), emb.sin()};
    }

    /** The rotary frequencies {@code 1 / base^(2i / headDim)}, with Llama 3's rescaling when the config asks. */
    static float[] inverseFrequencies(double base, int headDim, LlamaConfig c) {
        float[] invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            invFreq[i] = (float) (1.0 / Math.pow((float) base, (float) (2 * i) / headDim));
        }
        if ("llama3".equals(c.ropeType())) {
            llama3Frequencies(invFreq, c);
        }
        return invFreq;
    }

    /**
     * Llama 3's rescaling, in float32 as transformers computes it: wavelengths longer than
     * {@code original / low_freq_factor} are divided by the factor, those shorter than
     * {@code original / high_freq_factor} kept, those between interpolated.
     */
    private static void llama3Frequencies(float[] invFreq, LlamaConfig c) {
        float factor = (float) c.ropeScalingValue("factor");
        float low = (float) c.ropeScalingValue("low_freq_factor");
        float high = (float) c.ropeScalingValue("high_freq_factor");
        float original = (float) c.ropeScalingValue("original_max_position_embeddings");
        for (int i = 0; i < invFreq.length; i++) {
            float wavelength = (float) (2 * Math.PI) / invFreq[i];
            float scaled = wavelength > original / low ? invFreq[i] / factor : invFreq[i];
            if (wavelength >= original / high && wavelength <= original / low) {
                float smooth = (original / wavelength - low) / (high - low);
                scaled = (1 - smooth) * scaled / factor + smooth * scaled;
            }
            invFreq[i] = scaled;
        }
    }

    static NDArray rotateHalf(NDArray x) {
        long half = x.getShape().get(3) / 2;
        return NDArrays.concat(new ai.djl.ndarray.NDList(x.get(":, :, :, " + half + ":").neg(),
                x.get(":, :, :, 0:" + half)), -1);
    }

    /** Self-attention with grouped key/value heads and rotary positions. */
    public static final class SelfAttention extends Module {
        final Linear qProj;
        final Linear kProj;
        final Linear vProj;
        final Linear oProj;
        final int heads;
        final int kvHeads;
        final int headDim;
        private final int layer;

        SelfAttention(LlamaConfig c, NDManager m, int layer, boolean qkvBias) {
            if (c.headDim == null && c.hiddenSize % c.numAttentionHeads != 0) {
                throw new IllegalArgumentException("hidden_size must be divisible by num_heads (got hidden_size: "
                        + c.hiddenSize + " and num_heads: " + c.numAttentionHeads + ")");
            }
            heads = c.numAttentionHeads;
            kvHeads = c.keyValueHeads();
            headDim = c.headSize();
            this.layer = layer;
            boolean inBias = qkvBias || c.attentionBias;
            qProj = register("q_proj", new Linear(m, c.hiddenSize, heads * headDim, c.initializerRange, inBias));
            kProj = register("k_proj", new Linear(m, c.hiddenSize, kvHeads * headDim, c.initializerRange, inBias));
            vProj = register("v_proj", new Linear(m, c.hiddenSize, kvHeads * headDim, c.initializerRange, inBias));
            oProj = register("o_proj", new Linear(m, heads * headDim, c.hiddenSize, c.initializerRange,
                    c.attentionBias));
        }

        NDArray forward(NDArray x, NDArray mask, NDArray[] cosSin, DynamicCache cache) {
            NDArray q = Attention.splitHeads(qProj.forward(x), heads);
            NDArray k = Attention.splitHeads(kProj.forward(x), kvHeads);
            NDArray v = Attention.splitHeads(vProj.forward(x), kvHeads);
            q = q.mul(cosSin[0]).add(rotateHalf(q).mul(cosSin[1]));
            k = k.mul(cosSin[0]).add(rotateHalf(k).mul(cosSin[1]));
            if (cache != null) {
                NDArray[] all = cache.update(layer, k, v);
                k = all[0];
                v = all[1];
            }
            k = repeatKv(k, heads / kvHeads);
            v = repeatKv(v, heads / kvHeads);
            NDArray probs = Tensors.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(headDim)).add(mask).softmax(-1);
            Attention.record(probs);
            return oProj.forward(Attention.mergeHeads(probs.matMul(v)));
        }

        /** [batch, kv heads, tokens, size] to [batch, kv heads * groups, ...], each kv head repeated in place. */
        private static NDArray repeatKv(NDArray x, int groups) {
            if (groups == 1) {
                return x;
            }
            long[] s = x.getShape().getShape();
            return x.expandDims(2).broadcast(s[0], s[1], groups, s[2], s[3]).reshape(s[0], s[1] * groups, s[2], s[3]);
        }
    }

    /** The gated feed-forward: {@code down(act(gate(x)) * up(x))}. */
    public static final class Mlp extends Module {
        final Linear gateProj;
        final Linear upProj;
        final Linear downProj;
        final String activation;

        Mlp(LlamaConfig c, NDManager m) {
            if (c.pretrainingTp != 1) {
                throw new IllegalArgumentException("pretraining_tp " + c.pretrainingTp + " is not supported (it "
                        + "splits the same computation; set it to 1)");
            }
            gateProj = register("gate_proj", new Linear(m, c.hiddenSize, c.intermediateSize, c.initializerRange,
                    c.mlpBias));
            upProj = register("up_proj", new Linear(m, c.hiddenSize, c.intermediateSize, c.initializerRange,
                    c.mlpBias));
            downProj = register("down_proj", new Linear(m, c.intermediateSize, c.hiddenSize, c.initializerRange,
                    c.mlpBias));
            activation = c.hiddenAct;
        }

        NDArray forward(NDArray x) {
            return downProj.forward(Layers.activation(activation, gateProj.forward(x)).mul(upProj.forward(x)));
        }
    }

    /** One pre-norm decoder layer: {@code x + attn(norm(x))}, then {@code x + mlp(norm(x))}. */
    public static final class DecoderLayer extends Module {
        final RMSNorm inputLayernorm;
        final SelfAttention selfAttn;
        final RMSNorm postAttentionLayernorm;
        final Mlp mlp;
        /** The sliding window of this layer's attention, null for all keys. */
        final Integer slidingWindow;

        DecoderLayer(LlamaConfig c, NDManager m, int layer, boolean qkvBias) {
            slidingWindow = c.slidingWindowOf(layer);
            selfAttn = register("self_attn", new SelfAttention(c, m, layer, qkvBias));
            mlp = register("mlp", new Mlp(c, m));
            inputLayernorm = register("input_layernorm", new RMSNorm(m, c.hiddenSize, c.rmsNormEps));
            postAttentionLayernorm = register("post_attention_layernorm", new RMSNorm(m, c.hiddenSize, c.rmsNormEps));
        }

        NDArray forward(NDArray x, NDArray mask, NDArray[] cosSin, DynamicCache cache) {
            NDArray h = x.add(selfAttn.forward(inputLayernorm.forward(x), mask, cosSin, cache));
            return h.add(mlp.forward(postAttentionLayernorm.forward(h)));
        }
    }
}
