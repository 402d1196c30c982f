package dev.javaformers.models.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.MultipleChoiceModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import java.util.Map;

/**
 * BERT with dropout and a linear layer scoring the pooled first token of each choice: inputs [batch, choices,
 * tokens] are run as [batch * choices, tokens], and the scores come back as logits [batch, choices].
 */
public class BertForMultipleChoice extends PreTrainedModel<MultipleChoiceModelOutput> {

    final BertModel bert;
    final Layers.Linear classifier;
    private final double dropout;
    private final String prefix;

    public BertForMultipleChoice(BertConfig config, NDManager manager) {
        this(config, manager, "bert", new BertModel(config, manager, true),
                config.classifierDropout != null ? config.classifierDropout : config.hiddenDropoutProb);
    }

    /** For RoBERTa: the same head on another encoder (with pooler), registered under {@code prefix}. */
    protected BertForMultipleChoice(BertConfig config, NDManager manager, String prefix, BertModel encoder,
            double dropout) {
        super(config, manager);
        this.prefix = prefix;
        bert = register(prefix, encoder);
        classifier = register("classifier", new Layers.Linear(manager, config.hiddenSize, 1,
                config.initializerRange));
        this.dropout = dropout;
    }

    public static BertForMultipleChoice fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BertForMultipleChoice.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return prefix;
    }

    /**
     * Logits [batch, choices] for inputs [batch, choices, tokens] ({@code attentionMask} and {@code tokenTypeIds}
     * may be null); the loss when {@code labels} [batch] (the right choice's index) are given.
     */
    public MultipleChoiceModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
            NDArray labels) {
        long choices = inputIds.getShape().get(1);
        NDArray pooled = bert.forward(MultipleChoiceModelOutput.flattenChoices(inputIds),
                MultipleChoiceModelOutput.flattenChoices(attentionMask),
                MultipleChoiceModelOutput.flattenChoices(tokenTypeIds)).poolerOutput();
        NDArray scores = classifier.forward(Layers.dropout(pooled, dropout, isTraining()));
        return MultipleChoiceModelOutput.fromChoiceScores(scores, choices, labels);
    }

    @Override
    public MultipleChoiceModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("token_type_ids"), in.get("labels"));
    }
}
