package dev.javaformers.models.distilbert;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** DistilBERT in the Auto classes: model_type {@code distilbert}, its config, and a model per task. */
public final class DistilBertArchitecture extends DeclaredArchitecture {

    public DistilBertArchitecture() {
        super("distilbert", DistilBertConfig.class, Map.of(Task.BASE, DistilBertModel.class,
                Task.SEQUENCE_CLASSIFICATION, DistilBertForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, DistilBertForTokenClassification.class,
                Task.MASKED_LM, DistilBertForMaskedLM.class,
                Task.QUESTION_ANSWERING, DistilBertForQuestionAnswering.class,
                Task.MULTIPLE_CHOICE, DistilBertForMultipleChoice.class));
    }
}
