package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bert.BertForQuestionAnswering;
import java.util.Map;

/** RoBERTa (without pooler) with {@code qa_outputs}, a start and an end score for every token. */
public class RobertaForQuestionAnswering extends BertForQuestionAnswering {

    public RobertaForQuestionAnswering(RobertaConfig config, NDManager manager) {
        super(config, manager, "roberta", new RobertaModel(config, manager, false));
    }

    public static RobertaForQuestionAnswering fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaForQuestionAnswering.class, nameOrPath, kwargs);
    }
}
