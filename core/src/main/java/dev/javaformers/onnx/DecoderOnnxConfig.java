package dev.javaformers.onnx;

import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * The export of a decoder without past key values, as optimum's {@code TextDecoderOnnxConfig}: inputs
 * {@code input_ids} and {@code attention_mask}, tasks {@code default} (last_hidden_state) and {@code causal-lm}
 * (logits at every position, the hidden states times the LM head), opset 14. A model folder gives the decoder's
 * graph and its LM head.
 */
public abstract class DecoderOnnxConfig extends OnnxConfig {

    protected DecoderOnnxConfig(PretrainedConfig config, String task) {
        super(config, task);
    }

    @Override
    public List<String> supportedTasks() {
        return List.of("default", "causal-lm");
    }

    @Override
    public int defaultOnnxOpset() {
        return 14;
    }

    /** The decoder's last hidden state: of {@code model} itself for default, of its base model for causal-lm. */
    protected abstract String decoder(OnnxGraph graph, PreTrainedModel<?> model, String inputIds,
            String attentionMask);

    /** The causal LM's output matrix [vocab, hidden]: lm_head's weight, or the tied token embeddings. */
    protected abstract Parameter lmHead(PreTrainedModel<?> causalLm);

    @Override
    protected Map<String, String> graph(OnnxGraph g, PreTrainedModel<?> model, Map<String, String> inputs) {
        String hidden = decoder(g, model, inputs.get("input_ids"), inputs.get("attention_mask"));
        if (task().equals("default")) {
            return Map.of("last_hidden_state", hidden);
        }
        return Map.of("logits", g.op("MatMul", hidden, g.op("Transpose", g.parameter(lmHead(model)))));
    }
}
