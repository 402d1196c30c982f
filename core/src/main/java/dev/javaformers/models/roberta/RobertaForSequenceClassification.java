package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** RoBERTa with its classification head on the first token: dropout, dense, tanh, dropout, out_proj. */
public class RobertaForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {

    final RobertaModel roberta;
    final Layers.Linear dense;
    final Layers.Linear outProj;
    private final double dropout;

    public RobertaForSequenceClassification(RobertaConfig config, NDManager manager) {
        super(config, manager);
        roberta = register("roberta", new RobertaModel(config, manager, false));
        Layers.Container classifier = register("classifier", new Layers.Container());
        dense = classifier.add("dense", new Layers.Linear(manager, config.hiddenSize, config.hiddenSize,
                config.initializerRange));
        outProj = classifier.add("out_proj", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                config.initializerRange));
        dropout = config.classifierDropout != null ? config.classifierDropout : config.hiddenDropoutProb;
    }

    public static RobertaForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaForSequenceClassification.class,
                nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "roberta";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return WITHOUT_POOLER;
    }

    public SequenceClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        NDArray first = roberta.forward(inputIds, attentionMask, null).lastHiddenState().get(":, 0, :");
        NDArray x = dense.forward(Layers.dropout(first, dropout, isTraining())).tanh();
        NDArray logits = outProj.forward(Layers.dropout(x, dropout, isTraining()));
        return new SequenceClassifierOutput(labels == null ? null
                : Losses.sequenceClassification(config, logits, labels), logits);
    }

    @Override
    public SequenceClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
