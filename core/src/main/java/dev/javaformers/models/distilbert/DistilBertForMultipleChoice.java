package dev.javaformers.models.distilbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.MultipleChoiceModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import java.util.Map;

/**
 * DistilBERT scoring each choice's first token with pre_classifier, ReLU, dropout (seq_classif_dropout) and
 * classifier: inputs [batch, choices, tokens] are run as [batch * choices, tokens], logits come back
 * [batch, choices].
 */
public class DistilBertForMultipleChoice extends PreTrainedModel<MultipleChoiceModelOutput> {

    final DistilBertModel distilbert;
    final Layers.Linear preClassifier;
    final Layers.Linear classifier;
    private final double dropout;

    public DistilBertForMultipleChoice(DistilBertConfig config, NDManager manager) {
        super(config, manager);
        distilbert = register("distilbert", new DistilBertModel(config, manager));
        preClassifier = register("pre_classifier", new Layers.Linear(manager, config.dim, config.dim,
                config.initializerRange));
        classifier = register("classifier", new Layers.Linear(manager, config.dim, 1, config.initializerRange));
        dropout = config.seqClassifDropout;
    }

    public static DistilBertForMultipleChoice fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(DistilBertForMultipleChoice.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "distilbert";
    }

    /**
     * Logits [batch, choices] for inputs [batch, choices, tokens] ({@code attentionMask} may be null); the loss
     * when {@code labels} [batch] (the right choice's index) are given.
     */
    public MultipleChoiceModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray labels) {
        long choices = inputIds.getShape().get(1);
        NDArray hidden = distilbert.forward(MultipleChoiceModelOutput.flattenChoices(inputIds),
                MultipleChoiceModelOutput.flattenChoices(attentionMask)).lastHiddenState();
        NDArray x = ai.djl.nn.Activation.relu(preClassifier.forward(hidden.get(":, 0, :")));
        NDArray scores = classifier.forward(Layers.dropout(x, dropout, isTraining()));
        return MultipleChoiceModelOutput.fromChoiceScores(scores, choices, labels);
    }

    @Override
    public MultipleChoiceModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("labels"));
    }
}
