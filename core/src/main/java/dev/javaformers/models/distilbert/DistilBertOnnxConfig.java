package dev.javaformers.models.distilbert;

import static dev.javaformers.onnx.OnnxLayers.activation;
import static dev.javaformers.onnx.OnnxLayers.additiveMask;
import static dev.javaformers.onnx.OnnxLayers.attend;
import static dev.javaformers.onnx.OnnxLayers.dim;
import static dev.javaformers.onnx.OnnxLayers.embedding;
import static dev.javaformers.onnx.OnnxLayers.firstRows;
import static dev.javaformers.onnx.OnnxLayers.firstToken;
import static dev.javaformers.onnx.OnnxLayers.flattenChoices;
import static dev.javaformers.onnx.OnnxLayers.keysTransposed;
import static dev.javaformers.onnx.OnnxLayers.lastAxisItem;
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
 * transformers' {@code DistilBertOnnxConfig}: inputs {@code input_ids} and {@code attention_mask} (DistilBERT takes
 * no token types), and the graph of DistilBERT and each of its heads.
 */
public class DistilBertOnnxConfig extends OnnxConfig {

    public DistilBertOnnxConfig(DistilBertConfig config, String task) {
        super(config, task);
    }

    @Override
    protected Map<String, String> graph(OnnxGraph g, PreTrainedModel<?> model, Map<String, String> in) {
        String ids = in.get("input_ids");
        String mask = in.get("attention_mask");
        Map<String, String> out = new LinkedHashMap<>();
        switch (task()) {
            case "default" -> out.put("last_hidden_state", encoder(g, expect(model, DistilBertModel.class), ids, mask));
            case "sequence-classification" -> {
                DistilBertForSequenceClassification m = expect(model, DistilBertForSequenceClassification.class);
                String first = firstToken(g, encoder(g, m.distilbert, ids, mask));
                out.put("logits", linear(g, m.classifier, g.op("Relu", linear(g, m.preClassifier, first))));
            }
            case "token-classification" -> {
                DistilBertForTokenClassification m = expect(model, DistilBertForTokenClassification.class);
                out.put("logits", linear(g, m.classifier, encoder(g, m.distilbert, ids, mask)));
            }
            case "masked-lm" -> {
                DistilBertForMaskedLM m = expect(model, DistilBertForMaskedLM.class);
                String hidden = encoder(g, m.distilbert, ids, mask);
                String h = layerNorm(g, m.norm, activation(g, m.activation, linear(g, m.transform, hidden)));
                out.put("logits", OnnxLayers.tiedLinear(g, m.distilbert.wordEmbeddings.weight, m.bias, h));
            }
            case "question-answering" -> {
                DistilBertForQuestionAnswering m = expect(model, DistilBertForQuestionAnswering.class);
                String spans = linear(g, m.qaOutputs, encoder(g, m.distilbert, ids, mask));
                out.put("start_logits", lastAxisItem(g, spans, 0));
                out.put("end_logits", lastAxisItem(g, spans, 1));
            }
            case "multiple-choice" -> {
                DistilBertForMultipleChoice m = expect(model, DistilBertForMultipleChoice.class);
                String first = firstToken(g, encoder(g, m.distilbert, flattenChoices(g, ids), flattenChoices(g, mask)));
                String scores = linear(g, m.classifier, g.op("Relu", linear(g, m.preClassifier, first)));
                out.put("logits", unflattenChoices(g, scores, ids));
            }
            default -> throw new IllegalArgumentException(getClass().getSimpleName() + " cannot export task "
                    + task());
        }
        return out;
    }

    /** Embeddings (words plus positions 0..T-1), then each layer, as DistilBertModel.forward. */
    static String encoder(OnnxGraph g, DistilBertModel model, String ids, String mask) {
        String x = g.op("Add", embedding(g, model.wordEmbeddings, ids), firstRows(g, model.positionEmbeddings,
                dim(g, ids, 1)));
        x = layerNorm(g, model.embeddingNorm, x);
        String additive = additiveMask(g, mask);
        for (DistilBertModel.Block b : model.layers.items()) {
            int heads = b.c.nHeads;
            int size = b.c.dim / heads;
            String q = g.op("Div", splitHeads(g, linear(g, b.q, x), heads, size), g.scalar((float) Math.sqrt(size)));
            String k = splitHeads(g, linear(g, b.k, x), heads, size);
            String v = splitHeads(g, linear(g, b.v, x), heads, size);
            String context = mergeHeads(g, attend(g, g.op("MatMul", q, keysTransposed(g, k)), v, additive), b.c.dim);
            String sa = layerNorm(g, b.saNorm, g.op("Add", linear(g, b.out, context), x));
            String ff = linear(g, b.lin2, activation(g, b.c.activation, linear(g, b.lin1, sa)));
            x = layerNorm(g, b.outNorm, g.op("Add", ff, sa));
        }
        return x;
    }
}
