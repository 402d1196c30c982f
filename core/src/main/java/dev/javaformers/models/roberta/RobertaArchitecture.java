package dev.javaformers.models.roberta;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** RoBERTa in the Auto classes: model_type {@code roberta}, its config, and a model per task. */
public final class RobertaArchitecture extends DeclaredArchitecture {

    public RobertaArchitecture() {
        super("roberta", RobertaConfig.class, Map.of(Task.BASE, RobertaModel.class,
                Task.SEQUENCE_CLASSIFICATION, RobertaForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, RobertaForTokenClassification.class,
                Task.MASKED_LM, RobertaForMaskedLM.class,
                Task.QUESTION_ANSWERING, RobertaForQuestionAnswering.class,
                Task.MULTIPLE_CHOICE, RobertaForMultipleChoice.class));
    }
}
