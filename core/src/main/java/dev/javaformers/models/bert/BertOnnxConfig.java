package dev.javaformers.models.bert;

import static dev.javaformers.onnx.OnnxLayers.activation;
import static dev.javaformers.onnx.OnnxLayers.additiveMask;
import static dev.javaformers.onnx.OnnxLayers.attend;
import static dev.javaformers.onnx.OnnxLayers.dim;
import static dev.javaformers.onnx.OnnxLayers.embedding;
import static dev.javaformers.onnx.OnnxLayers.firstRows;
import static dev.javaformers.onnx.OnnxLayers.firstToken;
import static dev.javaformers.onnx.OnnxLayers.flattenChoices;
import static dev.javaformers.onnx.OnnxLayers.keysTransposed;
import static dev.javaformers.onnx.OnnxLayers.layerNorm;
import static dev.javaformers.onnx.OnnxLayers.linear;
import static dev.javaformers.onnx.OnnxLayers.mergeHeads;
import static dev.javaformers.onnx.OnnxLayers.splitHeads;
import static dev.javaformers.onnx.OnnxLayers.unflattenChoices;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.onnx.OnnxConfig;
import dev.javaformers.onnx.OnnxGraph;
import dev.javaformers.onnx.OnnxLayers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * transformers' {@code BertOnnxConfig}: inputs {@code input_ids}, {@code attention_mask}, {@code token_type_ids}
 * with axes {@code {0: batch, 1: sequence}} ({@code {0: batch, 1: choice, 2: sequence}} for multiple choice), and
 * the graph of BERT and each of its heads. RoBERTa's config extends it.
 */
public class BertOnnxConfig extends OnnxConfig {

    public BertOnnxConfig(BertConfig config, String task) {
        super(config, task);
    }

    @Override
    public Map<String, Map<Integer, String>> inputs() {
        return textInputs(true);
    }

    /** The bare model also gives its pooled first token, as BertModel returns it. */
    @Override
    public Map<String, Map<Integer, String>> outputs() {
        Map<String, Map<Integer, String>> out = super.outputs();
        if (task().equals("default")) {
            out.put("pooler_output", Map.of(0, "batch"));
        }
        return out;
    }

    @Override
    protected Map<String, String> graph(OnnxGraph g, PreTrainedModel<?> model, Map<String, String> in) {
        String ids = in.get("input_ids");
        String mask = in.get("attention_mask");
        String types = in.get("token_type_ids");
        Map<String, String> out = new LinkedHashMap<>();
        switch (task()) {
            case "default" -> {
                BertModel m = expect(model, BertModel.class);
                String hidden = encoder(g, m, ids, mask, types);
                out.put("last_hidden_state", hidden);
                out.put("pooler_output", pooler(g, m, hidden));
            }
            case "sequence-classification" -> {
                BertForSequenceClassification m = expect(model, BertForSequenceClassification.class);
                String hidden = encoder(g, m.bert, ids, mask, types);
                out.put("logits", linear(g, m.classifier, pooler(g, m.bert, hidden)));
            }
            case "token-classification" -> {
                BertForTokenClassification m = expect(model, BertForTokenClassification.class);
                out.put("logits", linear(g, m.classifier, encoder(g, m.bert, ids, mask, types)));
            }
            case "masked-lm" -> {
                BertForMaskedLM m = expect(model, BertForMaskedLM.class);
                String hidden = encoder(g, m.bert, ids, mask, types);
                String h = layerNorm(g, m.transformNorm, activation(g, m.activation, linear(g, m.transformDense,
                        hidden)));
                out.put("logits", OnnxLayers.tiedLinear(g, m.bert.embeddings.wordEmbeddings.weight, m.bias, h));
            }
            case "question-answering" -> {
                BertForQuestionAnswering m = expect(model, BertForQuestionAnswering.class);
                String spans = linear(g, m.qaOutputs, encoder(g, m.bert, ids, mask, types));
                out.put("start_logits", OnnxLayers.lastAxisItem(g, spans, 0));
                out.put("end_logits", OnnxLayers.lastAxisItem(g, spans, 1));
            }
            case "multiple-choice" -> {
                BertForMultipleChoice m = expect(model, BertForMultipleChoice.class);
                String hidden = encoder(g, m.bert, flattenChoices(g, ids), flattenChoices(g, mask),
                        types == null ? null : flattenChoices(g, types));
                out.put("logits", unflattenChoices(g, linear(g, m.classifier, pooler(g, m.bert, hidden)), ids));
            }
            default -> throw new IllegalArgumentException(getClass().getSimpleName() + " cannot export task "
                    + task());
        }
        return out;
    }

    /**
     * The encoder's last hidden state: embeddings (RoBERTa's positions counted after the padding index), then each
     * layer. {@code types} may be null: token type 0 throughout.
     */
    protected static String encoder(OnnxGraph g, BertModel model, String ids, String mask, String types) {
        BertConfig c = (BertConfig) model.config();
        BertModules.Embeddings e = model.embeddings;
        String words = embedding(g, e.wordEmbeddings, ids);
        String typeRows = types != null ? embedding(g, e.tokenTypeEmbeddings, types)
                : g.op("Gather", g.parameter(e.tokenTypeEmbeddings.weight), g.scalar(0L));
        String positions;
        if (e.positionsAfterPadding) {
            long pad = c.padTokenId == null ? 1 : c.padTokenId;
            String notPad = g.op("Cast", Map.of("to", (long) OnnxGraph.INT64), g.op("Not", g.op("Equal", ids,
                    g.scalar(pad))));
            String counted = g.op("Add", g.op("Mul", g.op("CumSum", notPad, g.scalar(1L)), notPad), g.scalar(pad));
            positions = embedding(g, e.positionEmbeddings, counted);
        } else {
            positions = firstRows(g, e.positionEmbeddings, dim(g, ids, 1));
        }
        String x = layerNorm(g, e.layerNorm, g.op("Add", g.op("Add", words, typeRows), positions));
        String additive = additiveMask(g, mask);
        int size = c.hiddenSize / c.numAttentionHeads;
        for (BertModules.Layer layer : model.encoder.layer.items()) {
            BertModules.SelfAttention sa = layer.attention.self;
            String q = splitHeads(g, linear(g, sa.query, x), sa.heads, size);
            String k = splitHeads(g, linear(g, sa.key, x), sa.heads, size);
            String v = splitHeads(g, linear(g, sa.value, x), sa.heads, size);
            String scores = g.op("Div", g.op("MatMul", q, keysTransposed(g, k)), g.scalar((float) Math.sqrt(size)));
            String context = mergeHeads(g, attend(g, scores, v, additive), c.hiddenSize);
            String attended = residual(g, layer.attention.output, context, x);
            String inner = activation(g, layer.intermediate.activation, linear(g, layer.intermediate.dense, attended));
            x = residual(g, layer.output, inner, attended);
        }
        return x;
    }

    private static String residual(OnnxGraph g, BertModules.ResidualOutput out, String x, String residual) {
        return layerNorm(g, out.layerNorm, g.op("Add", linear(g, out.dense, x), residual));
    }

    /** tanh(dense(first token)). */
    protected static String pooler(OnnxGraph g, BertModel model, String hidden) {
        if (model.pooler == null) {
            throw new IllegalArgumentException("This " + model.getClass().getSimpleName() + " has no pooler to export");
        }
        return g.op("Tanh", linear(g, model.pooler.dense, firstToken(g, hidden)));
    }
}
