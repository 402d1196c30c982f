package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.Attention;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Tensors;
import dev.javaformers.nn.Layers.Embedding;
import dev.javaformers.nn.Layers.LayerNorm;
import dev.javaformers.nn.Layers.Linear;
import dev.javaformers.nn.Module;
import java.util.Map;

/** The DistilBERT encoder, named as transformers' modeling_distilbert: embeddings and transformer.layer.N. */
public class DistilBertModel extends PreTrainedModel<BaseModelOutput> {

    private static final double EPS = 1e-12;

    final Embedding wordEmbeddings;
    final Embedding positionEmbeddings;
    final LayerNorm embeddingNorm;
    final Layers.ModuleList<Block> layers;
    private final DistilBertConfig c;

    public DistilBertModel(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        this.c = config;
        Layers.Container embeddings = register("embeddings", new Layers.Container());
        wordEmbeddings = embeddings.add("word_embeddings", new Embedding(manager, c.vocabSize, c.dim,
                c.initializerRange, c.padTokenId));
        positionEmbeddings = embeddings.add("position_embeddings", c.sinusoidalPosEmbds
                ? new Embedding(manager, c.maxPositionEmbeddings, c.dim,
                        () -> sinusoidal(manager, c.maxPositionEmbeddings, c.dim))
                : new Embedding(manager, c.maxPositionEmbeddings, c.dim, c.initializerRange, null));
        embeddingNorm = embeddings.add("LayerNorm", new LayerNorm(manager, c.dim, EPS));
        layers = register("transformer", new Layers.Container()).add("layer", new Layers.ModuleList<>());
        for (int i = 0; i < c.nLayers; i++) {
            layers.add(new Block(c, manager));
        }
    }

    public static DistilBertModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertModel.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    /** Hidden states for token ids; DistilBERT takes no token types. */
    public BaseModelOutput forward(NDArray inputIds, NDArray attentionMask) {
        long tokens = inputIds.getShape().get(1);
        NDArray positions = inputIds.getManager().arange(0, (int) tokens, 1, DataType.INT64).expandDims(0);
        NDArray x = wordEmbeddings.forward(inputIds).add(positionEmbeddings.forward(positions));
        x = Layers.dropout(embeddingNorm.forward(x), c.dropout, isTraining());
        NDArray mask = Attention.additiveMask(attentionMask != null ? attentionMask : inputIds.onesLike(),
                x.getDataType());
        for (Block block : layers.items()) {
            x = block.forward(x, mask);
        }
        return new BaseModelOutput(x, null);
    }

    @Override
    public BaseModelOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"));
    }

    /** The fixed sin/cos table of "Attention is all you need", for sinusoidal_pos_embds. */
    static NDArray sinusoidal(NDManager manager, int positions, int dim) {
        float[] table = new float[positions * dim];
        for (int pos = 0; pos < positions; pos++) {
            for (int j = 0; j < dim; j++) {
                double angle = pos / Math.pow(10000, 2.0 * (j / 2) / dim);
                table[pos * dim + j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return Tensors.owned(manager.create(table, new Shape(positions, dim)));
    }

    /** One layer: attention (q_lin, k_lin, v_lin, out_lin), sa_layer_norm, ffn (lin1, lin2), output_layer_norm. */
    static final class Block extends Module {
        final Linear q;
        final Linear k;
        final Linear v;
        final Linear out;
        final LayerNorm saNorm;
        final Linear lin1;
        final Linear lin2;
        final LayerNorm outNorm;
        final DistilBertConfig c;

        Block(DistilBertConfig c, NDManager m) {
            if (c.dim % c.nHeads != 0) {
                throw new IllegalArgumentException("dim (" + c.dim + ") is not a multiple of n_heads (" + c.nHeads + ")");
            }
            this.c = c;
            double std = c.initializerRange;
            Layers.Container attention = register("attention", new Layers.Container());
            q = attention.add("q_lin", new Linear(m, c.dim, c.dim, std));
            k = attention.add("k_lin", new Linear(m, c.dim, c.dim, std));
            v = attention.add("v_lin", new Linear(m, c.dim, c.dim, std));
            out = attention.add("out_lin", new Linear(m, c.dim, c.dim, std));
            saNorm = register("sa_layer_norm", new LayerNorm(m, c.dim, EPS));
            Layers.Container ffn = register("ffn", new Layers.Container());
            lin1 = ffn.add("lin1", new Linear(m, c.dim, c.hiddenDim, std));
            lin2 = ffn.add("lin2", new Linear(m, c.hiddenDim, c.dim, std));
            outNorm = register("output_layer_norm", new LayerNorm(m, c.dim, EPS));
        }

        NDArray forward(NDArray x, NDArray additiveMask) {
            NDArray qh = Attention.splitHeads(q.forward(x), c.nHeads);
            qh = Tensors.div(qh, Math.sqrt(qh.getShape().get(3)));
            NDArray kh = Attention.splitHeads(k.forward(x), c.nHeads);
            NDArray vh = Attention.splitHeads(v.forward(x), c.nHeads);
            NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).add(additiveMask);
            NDArray softmax = scores.softmax(-1);
            Attention.record(softmax);
            NDArray probs = Layers.dropout(softmax, c.attentionDropout, isTraining());
            NDArray attended = out.forward(Attention.mergeHeads(probs.matMul(vh)));
            NDArray sa = saNorm.forward(attended.add(x));
            NDArray ff = lin2.forward(Layers.activation(c.activation, lin1.forward(sa)));
            return outNorm.forward(Layers.dropout(ff, c.dropout, isTraining()).add(sa));
        }
    }
}
