package dev.javaformers.models.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.models.Attention;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Layers.Linear;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;

/** BART's layers, named as transformers names them ({@code layers.0.self_attn.q_proj}, {@code fc1}, ...). */
public final class BartModules {

    private BartModules() {}

    /** Multi-head attention with biases, the queries scaled by head size ** -0.5. */
    public static final class BartAttention extends Module {
        final Linear kProj;
        final Linear vProj;
        final Linear qProj;
        final Linear outProj;
        private final int heads;
        private final int layer;
        private final double dropout;

        BartAttention(BartConfig c, NDManager m, int heads, int layer) {
            kProj = register("k_proj", new Linear(m, c.dModel, c.dModel, c.initStd));
            vProj = register("v_proj", new Linear(m, c.dModel, c.dModel, c.initStd));
            qProj = register("q_proj", new Linear(m, c.dModel, c.dModel, c.initStd));
            outProj = register("out_proj", new Linear(m, c.dModel, c.dModel, c.initStd));
            this.heads = heads;
            this.layer = layer;
            dropout = c.attentionDropout;
        }

        /**
         * Attention of {@code x} over {@code keyValues} (itself when null), cached as
         * {@link Attention#keysAndValues} says.
         */
        NDArray forward(NDArray x, NDArray keyValues, NDArray mask, DynamicCache cache) {
            long headDim = x.getShape().get(2) / heads;
            NDArray q = Attention.splitHeads(Tensors.mul(qProj.forward(x), Math.pow(headDim, -0.5)), heads);
            NDArray source = keyValues == null ? x : keyValues;
            NDArray[] kv = Attention.keysAndValues(cache, layer, keyValues != null, () -> new NDArray[] {
                Attention.splitHeads(kProj.forward(source), heads),
                Attention.splitHeads(vProj.forward(source), heads)});
            NDArray k = kv[0];
            NDArray v = kv[1];
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
            if (mask != null) {
                scores = scores.add(mask);
            }
            NDArray probs = scores.softmax(-1);
            Attention.record(probs);
            probs = Layers.dropout(probs, dropout, isTraining());
            return outProj.forward(Attention.mergeHeads(probs.matMul(v)));
        }
    }

    /** One post-norm layer: attention(s), each {@code norm(x + dropout(f(x)))}, then the feed-forward. */
    public static final class Layer extends Module {
        final BartAttention selfAttn;
        final Layers.LayerNorm selfAttnLayerNorm;
        final BartAttention encoderAttn;
        final Layers.LayerNorm encoderAttnLayerNorm;
        final Linear fc1;
        final Linear fc2;
        final Layers.LayerNorm finalLayerNorm;
        private final BartConfig config;

        Layer(BartConfig c, NDManager m, boolean decoder, int index) {
            int heads = decoder ? c.decoderAttentionHeads : c.encoderAttentionHeads;
            int ffn = decoder ? c.decoderFfnDim : c.encoderFfnDim;
            selfAttn = register("self_attn", new BartAttention(c, m, heads, index));
            selfAttnLayerNorm = register("self_attn_layer_norm", new Layers.LayerNorm(m, c.dModel, 1e-5));
            encoderAttn = decoder ? register("encoder_attn", new BartAttention(c, m, heads, index)) : null;
            encoderAttnLayerNorm = decoder ? register("encoder_attn_layer_norm", new Layers.LayerNorm(m, c.dModel,
                    1e-5)) : null;
            fc1 = register("fc1", new Linear(m, c.dModel, ffn, c.initStd));
            fc2 = register("fc2", new Linear(m, ffn, c.dModel, c.initStd));
            finalLayerNorm = register("final_layer_norm", new Layers.LayerNorm(m, c.dModel, 1e-5));
            config = c;
        }

        NDArray forward(NDArray x, NDArray mask, NDArray encoderStates, NDArray encoderMask, DynamicCache selfCache,
                DynamicCache crossCache) {
            NDArray h = selfAttnLayerNorm.forward(x.add(drop(selfAttn.forward(x, null, mask, selfCache))));
            if (encoderAttn != null) {
                h = encoderAttnLayerNorm.forward(h.add(drop(encoderAttn.forward(h, encoderStates, encoderMask,
                        crossCache))));
            }
            NDArray f = Layers.dropout(Layers.activation(config.activationFunction, fc1.forward(h)),
                    config.activationDropout, isTraining());
            return finalLayerNorm.forward(h.add(drop(fc2.forward(f))));
        }

        private NDArray drop(NDArray x) {
            return Layers.dropout(x, config.dropout, isTraining());
        }
    }

    /**
     * BART's encoder or decoder: the shared token embeddings (scaled by sqrt(d_model) with scale_embedding),
     * learned positions offset by 2, {@code layernorm_embedding}, the layers.
     */
    public static final class Stack extends Module {
        final Layers.Embedding embedPositions;
        final Layers.LayerNorm layernormEmbedding;
        final Layers.ModuleList<Layer> layers;
        private final Parameter embedTokens;
        private final boolean decoder;
        private final BartConfig config;

        Stack(BartConfig c, NDManager m, Parameter shared, boolean decoder) {
            register("embed_tokens", new Layers.Container()).add("weight", shared);
            embedTokens = shared;
            embedPositions = register("embed_positions", c.sinusoidalPositions()
                    ? new Layers.Embedding(m, c.maxPositionEmbeddings, c.dModel, () -> sinusoids(m,
                            c.maxPositionEmbeddings, c.dModel))
                    : new Layers.Embedding(m, c.maxPositionEmbeddings + 2, c.dModel, c.initStd, null));
            layers = register("layers", new Layers.ModuleList<>());
            for (int i = 0, n = decoder ? c.decoderLayers : c.encoderLayers; i < n; i++) {
                layers.add(new Layer(c, m, decoder, i));
            }
            layernormEmbedding = c.sinusoidalPositions() ? null
                    : register("layernorm_embedding", new Layers.LayerNorm(m, c.dModel, 1e-5));
            this.decoder = decoder;
            config = c;
        }

        /** Marian's table: sin of pos / 10000^(2i/dim) in the first half, cos in the second, in float64. */
        static NDArray sinusoids(NDManager m, int positions, int dim) {
            float[] table = new float[positions * dim];
            int half = (dim + 1) / 2;
            for (int pos = 0; pos < positions; pos++) {
                for (int j = 0; j < dim; j++) {
                    double angle = pos / Math.pow(10000, 2.0 * (j / 2) / dim);
                    if (j % 2 == 0) {
                        table[pos * dim + j / 2] = (float) Math.sin(angle);
                    } else {
                        table[pos * dim + half + j / 2] = (float) Math.cos(angle);
                    }
                }
            }
            return m.create(table, new ai.djl.ndarray.types.Shape(positions, dim));
        }

        NDArray forward(NDArray inputIds, NDArray attentionMask, NDArray encoderStates, NDArray encoderMask,
                DynamicCache selfCache, DynamicCache crossCache) {
            NDManager m = inputIds.getManager();
            long tokens = inputIds.getShape().get(1);
            long past = selfCache == null ? 0 : selfCache.seqLength();
            NDArray x = ai.djl.nn.core.Embedding.embedding(inputIds, embedTokens.array(),
                    ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
            if (config.scaleEmbedding) {
                x = Tensors.mul(x, Math.sqrt(config.dModel));
            }
            long offset = config.sinusoidalPositions() ? 0 : 2;
            NDArray positions = m.arange(past + offset, past + offset + tokens, 1, DataType.INT64).expandDims(0);
            x = x.add(embedPositions.forward(positions));
            if (layernormEmbedding != null) {
                x = layernormEmbedding.forward(x);
            }
            x = Layers.dropout(x, config.dropout, isTraining());
            NDArray mask = decoder ? Attention.decoderMask(m, past, tokens, attentionMask, x.getDataType())
                    : attentionMask == null ? null : Attention.additiveMask(attentionMask, x.getDataType());
            NDArray crossMask = decoder && encoderMask != null ? Attention.additiveMask(encoderMask, x.getDataType())
                    : null;
            for (Layer layer : layers.items()) {
                x = layer.forward(x, mask, encoderStates, crossMask, selfCache, crossCache);
            }
            return x;
        }
    }
}
