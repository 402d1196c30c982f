package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bert.BertForMultipleChoice;
import java.util.Map;

/**
 * RoBERTa (with its pooler, as transformers' RobertaForMultipleChoice) with dropout (hidden_dropout_prob; this
 * head does not read classifier_dropout) and a linear layer scoring each choice's pooled first token.
 */
public class RobertaForMultipleChoice extends BertForMultipleChoice {

    public RobertaForMultipleChoice(RobertaConfig config, NDManager manager) {
        super(config, manager, "roberta", new RobertaModel(config, manager, true), config.hiddenDropoutProb);
    }

    public static RobertaForMultipleChoice fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaForMultipleChoice.class, nameOrPath, kwargs);
    }
}
