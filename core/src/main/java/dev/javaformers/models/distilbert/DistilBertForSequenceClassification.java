package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** DistilBERT with pre_classifier, ReLU, dropout and classifier on the first token. */
public class DistilBertForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {

    final DistilBertModel distilbert;
    final Layers.Linear preClassifier;
    final Layers.Linear classifier;
    private final double dropout;

    public DistilBertForSequenceClassification(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        distilbert = register("distilbert", new DistilBertModel(config, manager));
        preClassifier = register("pre_classifier", new Layers.Linear(manager, config.dim, config.dim,
                config.initializerRange));
        classifier = register("classifier", new Layers.Linear(manager, config.dim, config.numLabels(),
                config.initializerRange));
        dropout = config.seqClassifDropout;
    }

    public static DistilBertForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertForSequenceClassification.class,
                nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    public SequenceClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        NDArray first = distilbert.forward(inputIds, attentionMask).lastHiddenState().get(":, 0, :");
        NDArray x = ai.djl.nn.Activation.relu(preClassifier.forward(first));
        NDArray logits = classifier.forward(Layers.dropout(x, dropout, isTraining()));
        return new SequenceClassifierOutput(labels == null ? null
                : Losses.sequenceClassification(config, logits, labels), logits);
    }

    @Override
    public SequenceClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
