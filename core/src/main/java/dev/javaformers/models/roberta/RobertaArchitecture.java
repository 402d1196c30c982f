package dev.javaformers.models.roberta;

import dev.javaformers.models.Architecture;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import java.util.Map;

/** RoBERTa in the Auto classes: model_type {@code roberta}, its config, and a model per task. */
public final class RobertaArchitecture implements Architecture {

    @Override
    public String modelType() {
        return "roberta";
    }

    @Override
    public Class<RobertaConfig> configClass() {
        return RobertaConfig.class;
    }

    @Override
    public Map<Task, Class<? extends PreTrainedModel<?>>> models() {
        return Map.of(Task.BASE, RobertaModel.class,
                Task.SEQUENCE_CLASSIFICATION, RobertaForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, RobertaForTokenClassification.class,
                Task.MASKED_LM, RobertaForMaskedLM.class);
    }
}
