package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bert.BertForTokenClassification;
import java.util.Map;

/** RoBERTa with dropout and a linear classifier on every token. */
public class RobertaForTokenClassification extends BertForTokenClassification {

    public RobertaForTokenClassification(RobertaConfig config, NDManager manager) {
        super(config, manager, "roberta", new RobertaModel(config, manager, false));
    }

    public static RobertaForTokenClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaForTokenClassification.class,
                nameOrPath, kwargs);
    }
}
