package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.TokenClassifierOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** DistilBERT with dropout and a linear classifier on every token. */
public class DistilBertForTokenClassification extends PreTrainedModel<TokenClassifierOutput> {

    final DistilBertModel distilbert;
    final Layers.Linear classifier;
    private final double dropout;

    public DistilBertForTokenClassification(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        distilbert = register("distilbert", new DistilBertModel(config, manager));
        classifier = register("classifier", new Layers.Linear(manager, config.dim, config.numLabels(),
                config.initializerRange));
        dropout = config.dropout;
    }

    public static DistilBertForTokenClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertForTokenClassification.class,
                nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    public TokenClassifierOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        NDArray hidden = distilbert.forward(inputIds, attentionMask).lastHiddenState();
        NDArray logits = classifier.forward(Layers.dropout(hidden, dropout, isTraining()));
        return new TokenClassifierOutput(labels == null ? null : Losses.crossEntropy(logits, labels), logits);
    }

    @Override
    public TokenClassifierOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
