package dev.javaformers.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.DecoderClassification;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Llama with {@code score}, a linear layer without bias, on each row's last non-pad token. */
public class LlamaForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {

    final LlamaModel model;
    final Layers.Linear score;

    public LlamaForSequenceClassification(LlamaConfig config, NDManager manager) {
        this(config, manager, new LlamaModel(config, manager));
    }

    protected LlamaForSequenceClassification(LlamaConfig config, NDManager manager, LlamaModel base) {
        super(config, manager);
        model = register("model", base);
        score = register("score", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                config.initializerRange, false));
    }

    public static LlamaForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(LlamaForSequenceClassification.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "model";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return LlamaModel.ROTARY_BUFFERS;
    }

    public SequenceClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds,
            NDArray labels) {
        NDArray hidden = model.forward(inputIds, attentionMask, positionIds, null).lastHiddenState();
        return DecoderClassification.output(config, score.forward(hidden), inputIds, labels);
    }

    @Override
    public SequenceClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("position_ids"), in.get("labels"));
    }
}
