package dev.javaformers.models.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.Attention;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Layers.LayerNorm;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;

/** GPT-2's layers, named as transformers names them ({@code h.0.attn.c_attn}, {@code h.0.mlp.c_fc}, ...). */
public final class Gpt2Modules {

    private Gpt2Modules() {}

    /**
     * transformers' {@code Conv1D}: a linear layer whose weight is stored [in, out] (the transpose of
     * {@code nn.Linear}'s), as GPT-2 checkpoints hold it: {@code y = x W + b}.
     */
    public static final class Conv1D extends Module {
        public final Parameter weight;
        public final Parameter bias;

        Conv1D(NDManager m, int in, int out, double std) {
            weight = register("weight", Layers.normal(m, new Shape(in, out), std));
            bias = register("bias", Layers.filled(m, new Shape(out), 0f));
        }

        NDArray forward(NDArray x) {
            return x.matMul(weight.array()).add(bias.array());
        }
    }

    /** Causal multi-head self-attention: one projection to query, key and value ({@code c_attn}), {@code c_proj}. */
    public static final class SelfAttention extends Module {
        final Conv1D cAttn;
        final Conv1D cProj;
        final int heads;
        final int hidden;
        private final double attnDropout;
        private final double residDropout;
        final double scale;
        private final int layerIdx;

        SelfAttention(Gpt2Config c, NDManager m, int layerIdx) {
            this.layerIdx = layerIdx;
            if (c.nEmbd % c.nHead != 0) {
                throw new IllegalArgumentException("n_embd (" + c.nEmbd + ") must be a multiple of n_head ("
                        + c.nHead + ")");
            }
            cAttn = register("c_attn", new Conv1D(m, c.nEmbd, 3 * c.nEmbd, c.initializerRange));
            cProj = register("c_proj", new Conv1D(m, c.nEmbd, c.nEmbd, c.initializerRange));
            heads = c.nHead;
            hidden = c.nEmbd;
            attnDropout = c.attnPdrop;
            residDropout = c.residPdrop;
            double s = c.scaleAttnWeights ? Math.sqrt((double) c.nEmbd / c.nHead) : 1;
            scale = c.scaleAttnByInverseLayerIdx ? s * (layerIdx + 1) : s;
        }

        /**
         * {@code mask}: additive [batch or 1, 1, new tokens, all tokens], causal and padding together;
         * {@code cache} (may be null) gets this layer's new keys and values and gives back all of them.
         */
        NDArray forward(NDArray x, NDArray mask, DynamicCache cache) {
            NDArray qkv = cAttn.forward(x);
            NDArray q = Attention.splitHeads(qkv.get(":, :, 0:" + hidden), heads);
            NDArray k = Attention.splitHeads(qkv.get(":, :, " + hidden + ":" + 2 * hidden), heads);
            NDArray v = Attention.splitHeads(qkv.get(":, :, " + 2 * hidden + ":"), heads);
            if (cache != null) {
                NDArray[] all = cache.update(layerIdx, k, v);
                k = all[0];
                v = all[1];
            }
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
            if (scale != 1) {
                scores = Tensors.div(scores, scale);
            }
            NDArray softmax = scores.add(mask).softmax(-1);
            Attention.record(softmax);
            NDArray context = Attention.mergeHeads(Layers.dropout(softmax, attnDropout, isTraining()).matMul(v));
            return Layers.dropout(cProj.forward(context), residDropout, isTraining());
        }
    }

    /** The feed-forward expansion ({@code c_fc}, activation, {@code c_proj}). */
    public static final class Mlp extends Module {
        final Conv1D cFc;
        final Conv1D cProj;
        final String activation;
        private final double dropout;

        Mlp(Gpt2Config c, NDManager m) {
            int inner = c.nInner != null ? c.nInner : 4 * c.nEmbd;
            cFc = register("c_fc", new Conv1D(m, c.nEmbd, inner, c.initializerRange));
            cProj = register("c_proj", new Conv1D(m, inner, c.nEmbd, c.initializerRange));
            activation = c.activationFunction;
            dropout = c.residPdrop;
        }

        NDArray forward(NDArray x) {
            return Layers.dropout(cProj.forward(Layers.activation(activation, cFc.forward(x))), dropout, isTraining());
        }
    }

    /** One pre-LayerNorm block: {@code x + attn(ln_1(x))}, then {@code x + mlp(ln_2(x))}. */
    public static final class Block extends Module {
        final LayerNorm ln1;
        final SelfAttention attn;
        final LayerNorm ln2;
        final Mlp mlp;

        Block(Gpt2Config c, NDManager m, int layerIdx) {
            ln1 = register("ln_1", new LayerNorm(m, c.nEmbd, c.layerNormEpsilon));
            attn = register("attn", new SelfAttention(c, m, layerIdx));
            ln2 = register("ln_2", new LayerNorm(m, c.nEmbd, c.layerNormEpsilon));
            mlp = register("mlp", new Mlp(c, m));
        }

        NDArray forward(NDArray x, NDArray mask, DynamicCache cache) {
            NDArray h = x.add(attn.forward(ln1.forward(x), mask, cache));
            return h.add(mlp.forward(ln2.forward(h)));
        }
    }
}
