package dev.javaformers.models.bert;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** BERT in the Auto classes: model_type {@code bert}, its config, and a model per task. */
public final class BertArchitecture extends DeclaredArchitecture {

    public BertArchitecture() {
        super("bert", BertConfig.class, Map.of(Task.BASE, BertModel.class,
                Task.SEQUENCE_CLASSIFICATION, BertForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, BertForTokenClassification.class,
                Task.MASKED_LM, BertForMaskedLM.class,
                Task.QUESTION_ANSWERING, BertForQuestionAnswering.class,
                Task.MULTIPLE_CHOICE, BertForMultipleChoice.class));
    }
}
