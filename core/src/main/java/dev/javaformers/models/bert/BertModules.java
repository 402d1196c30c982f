package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.models.Attention;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Layers.Embedding;
import dev.javaformers.nn.Layers.LayerNorm;
import dev.javaformers.nn.Layers.Linear;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Tensors;

/** The parts of BERT, named as in transformers' modeling_bert (RoBERTa shares them). */
public final class BertModules {

    private BertModules() {}

    /** Word, position and token-type embeddings, summed and normalised. */
    public static final class Embeddings extends Module {
        final Embedding wordEmbeddings;
        final Embedding positionEmbeddings;
        final Embedding tokenTypeEmbeddings;
        final LayerNorm layerNorm;
        private final BertConfig config;
        final boolean positionsAfterPadding;

        Embeddings(BertConfig c, NDManager m, boolean positionsAfterPadding) {
            this.config = c;
            this.positionsAfterPadding = positionsAfterPadding;
            double std = c.initializerRange;
            wordEmbeddings = register("word_embeddings", new Embedding(m, c.vocabSize, c.hiddenSize, std, c.padTokenId));
            positionEmbeddings = register("position_embeddings", new Embedding(m, c.maxPositionEmbeddings,
                    c.hiddenSize, std, positionsAfterPadding ? c.padTokenId : null));
            tokenTypeEmbeddings = register("token_type_embeddings",
                    new Embedding(m, c.typeVocabSize, c.hiddenSize, std, null));
            layerNorm = register("LayerNorm", new LayerNorm(m, c.hiddenSize, c.layerNormEps));
        }

        NDArray forward(NDArray inputIds, NDArray tokenTypeIds) {
            NDArray positions = positionIds(inputIds);
            NDArray types = tokenTypeIds != null ? tokenTypeIds : inputIds.zerosLike();
            NDArray x = wordEmbeddings.forward(inputIds).add(tokenTypeEmbeddings.forward(types))
                    .add(positionEmbeddings.forward(positions));
            return Layers.dropout(layerNorm.forward(x), config.hiddenDropoutProb, isTraining());
        }

        /** 0..T-1 for BERT; for RoBERTa, counting from padding_idx+1 over non-padding tokens only. */
        private NDArray positionIds(NDArray inputIds) {
            long tokens = inputIds.getShape().get(1);
            if (!positionsAfterPadding) {
                return inputIds.getManager().arange(0, (int) tokens, 1, DataType.INT64).expandDims(0);
            }
            int pad = config.padTokenId == null ? 1 : config.padTokenId;
            NDArray notPad = inputIds.neq(pad).toType(DataType.INT64, false);
            return notPad.cumSum(1).mul(notPad).add(pad);
        }
    }

    /** Multi-head self-attention: query, key, value. */
    public static final class SelfAttention extends Module {
        final Linear query;
        final Linear key;
        final Linear value;
        final int heads;
        private final double dropout;

        SelfAttention(BertConfig c, NDManager m) {
            if (c.hiddenSize % c.numAttentionHeads != 0) {
                throw new IllegalArgumentException("The hidden size (" + c.hiddenSize + ") is not a multiple of the "
                        + "number of attention heads (" + c.numAttentionHeads + ")");
            }
            query = register("query", new Linear(m, c.hiddenSize, c.hiddenSize, c.initializerRange));
            key = register("key", new Linear(m, c.hiddenSize, c.hiddenSize, c.initializerRange));
            value = register("value", new Linear(m, c.hiddenSize, c.hiddenSize, c.initializerRange));
            heads = c.numAttentionHeads;
            dropout = c.attentionProbsDropoutProb;
        }

        NDArray forward(NDArray x, NDArray additiveMask) {
            NDArray q = Attention.splitHeads(query.forward(x), heads);
            NDArray k = Attention.splitHeads(key.forward(x), heads);
            NDArray v = Attention.splitHeads(value.forward(x), heads);
            long size = q.getShape().get(3);
            NDArray scores = Tensors.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(size)).add(additiveMask);
            NDArray softmax = scores.softmax(-1);
            Attention.record(softmax);
            NDArray probs = Layers.dropout(softmax, dropout, isTraining());
            return Attention.mergeHeads(probs.matMul(v));
        }
    }

    /** A dense projection, dropout, and a residual LayerNorm: BertSelfOutput and BertOutput. */
    public static final class ResidualOutput extends Module {
        final Linear dense;
        final LayerNorm layerNorm;
        private final double dropout;

        ResidualOutput(BertConfig c, NDManager m, int in) {
            dense = register("dense", new Linear(m, in, c.hiddenSize, c.initializerRange));
            layerNorm = register("LayerNorm", new LayerNorm(m, c.hiddenSize, c.layerNormEps));
            dropout = c.hiddenDropoutProb;
        }

        NDArray forward(NDArray x, NDArray residual) {
            return layerNorm.forward(Layers.dropout(dense.forward(x), dropout, isTraining()).add(residual));
        }
    }

    /** Self-attention and its output projection. */
    public static final class AttentionBlock extends Module {
        final SelfAttention self;
        final ResidualOutput output;

        AttentionBlock(BertConfig c, NDManager m) {
            self = register("self", new SelfAttention(c, m));
            output = register("output", new ResidualOutput(c, m, c.hiddenSize));
        }

        NDArray forward(NDArray x, NDArray additiveMask) {
            return output.forward(self.forward(x, additiveMask), x);
        }
    }

    /** The feed-forward expansion and its activation. */
    public static final class Intermediate extends Module {
        final Linear dense;
        final String activation;

        Intermediate(BertConfig c, NDManager m) {
            dense = register("dense", new Linear(m, c.hiddenSize, c.intermediateSize, c.initializerRange));
            activation = c.hiddenAct;
        }

        NDArray forward(NDArray x) {
            return Layers.activation(activation, dense.forward(x));
        }
    }

    /** One transformer layer. */
    public static final class Layer extends Module {
        final AttentionBlock attention;
        final Intermediate intermediate;
        final ResidualOutput output;

        Layer(BertConfig c, NDManager m) {
            attention = register("attention", new AttentionBlock(c, m));
            intermediate = register("intermediate", new Intermediate(c, m));
            output = register("output", new ResidualOutput(c, m, c.intermediateSize));
        }

        NDArray forward(NDArray x, NDArray additiveMask) {
            NDArray attended = attention.forward(x, additiveMask);
            return output.forward(intermediate.forward(attended), attended);
        }
    }

    /** The stack of layers. */
    public static final class Encoder extends Module {
        final Layers.ModuleList<Layer> layer;

        Encoder(BertConfig c, NDManager m) {
            layer = register("layer", new Layers.ModuleList<>());
            for (int i = 0; i < c.numHiddenLayers; i++) {
                layer.add(new Layer(c, m));
            }
        }

        NDArray forward(NDArray x, NDArray additiveMask) {
            for (Layer l : layer.items()) {
                x = l.forward(x, additiveMask);
            }
            return x;
        }
    }

    /** tanh(dense(first token)). */
    public static final class Pooler extends Module {
        final Linear dense;

        Pooler(BertConfig c, NDManager m) {
            dense = register("dense", new Linear(m, c.hiddenSize, c.hiddenSize, c.initializerRange));
        }

        NDArray forward(NDArray hidden) {
            return dense.forward(hidden.get(":, 0, :")).tanh();
        }
    }
}
