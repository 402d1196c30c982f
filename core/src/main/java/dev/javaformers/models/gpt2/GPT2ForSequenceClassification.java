package dev.javaformers.models.gpt2;

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

/** GPT-2 with {@code score}, a linear layer without bias, on each row's last non-pad token. */
public class GPT2ForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {

    final GPT2Model transformer;
    final Layers.Linear score;

    public GPT2ForSequenceClassification(Gpt2Config config, NDManager manager) {
        super(config, manager);
        transformer = register("transformer", new GPT2Model(config, manager));
        score = register("score", new Layers.Linear(manager, config.nEmbd, config.numLabels(),
                config.initializerRange, false));
    }

    public static GPT2ForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(GPT2ForSequenceClassification.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "transformer";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return GPT2Model.ATTENTION_BUFFERS;
    }

    public SequenceClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds,
            NDArray labels) {
        NDArray hidden = transformer.forward(inputIds, attentionMask, positionIds).lastHiddenState();
        return DecoderClassification.output(config, score.forward(hidden), inputIds, labels);
    }

    @Override
    public SequenceClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("position_ids"), in.get("labels"));
    }
}
