package dev.javaformers.models.roberta;

import static dev.javaformers.onnx.OnnxLayers.activation;
import static dev.javaformers.onnx.OnnxLayers.firstToken;
import static dev.javaformers.onnx.OnnxLayers.layerNorm;
import static dev.javaformers.onnx.OnnxLayers.linear;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.bert.BertOnnxConfig;
import dev.javaformers.onnx.OnnxGraph;
import dev.javaformers.onnx.OnnxLayers;
import java.util.Map;

/**
 * transformers' {@code RobertaOnnxConfig}: inputs {@code input_ids} and {@code attention_mask} (no token types),
 * BERT's graph with RoBERTa's positions, and RoBERTa's own classification and masked-LM heads.
 */
public class RobertaOnnxConfig extends BertOnnxConfig {

    public RobertaOnnxConfig(RobertaConfig config, String task) {
        super(config, task);
    }

    @Override
    public Map<String, Map<Integer, String>> inputs() {
        return textInputs(false);
    }

    @Override
    protected Map<String, String> graph(OnnxGraph g, PreTrainedModel<?> model, Map<String, String> in) {
        String ids = in.get("input_ids");
        String mask = in.get("attention_mask");
        switch (task()) {
            case "sequence-classification" -> {
                RobertaForSequenceClassification m = expect(model, RobertaForSequenceClassification.class);
                String first = firstToken(g, encoder(g, m.roberta, ids, mask, null));
                return Map.of("logits", linear(g, m.outProj, g.op("Tanh", linear(g, m.dense, first))));
            }
            case "masked-lm" -> {
                RobertaForMaskedLM m = expect(model, RobertaForMaskedLM.class);
                String hidden = encoder(g, m.roberta, ids, mask, null);
                String h = layerNorm(g, m.layerNorm, activation(g, "gelu", linear(g, m.dense, hidden)));
                return Map.of("logits", OnnxLayers.tiedLinear(g, m.decoderWeight, m.bias, h));
            }
            default -> {
                return super.graph(g, model, in);
            }
        }
    }
}
