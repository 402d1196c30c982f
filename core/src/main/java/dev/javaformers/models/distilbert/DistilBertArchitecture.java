package dev.javaformers.models.distilbert;

import dev.javaformers.models.Architecture;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import java.util.Map;

/** DistilBERT in the Auto classes: model_type {@code distilbert}, its config, and a model per task. */
public final class DistilBertArchitecture implements Architecture {

    @Override
    public String modelType() {
        return "distilbert";
    }

    @Override
    public Class<DistilBertConfig> configClass() {
        return DistilBertConfig.class;
    }

    @Override
    public Map<Task, Class<? extends PreTrainedModel<?>>> models() {
        return Map.of(Task.BASE, DistilBertModel.class,
                Task.SEQUENCE_CLASSIFICATION, DistilBertForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, DistilBertForTokenClassification.class,
                Task.MASKED_LM, DistilBertForMaskedLM.class);
    }
}
