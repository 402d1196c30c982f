package dev.javaformers.models.bert;

import dev.javaformers.models.Architecture;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import java.util.Map;

/** BERT in the Auto classes: model_type {@code bert}, its config, and a model per task. */
public final class BertArchitecture implements Architecture {

    @Override
    public String modelType() {
        return "bert";
    }

    @Override
    public Class<BertConfig> configClass() {
        return BertConfig.class;
    }

    @Override
    public Map<Task, Class<? extends PreTrainedModel<?>>> models() {
        return Map.of(Task.BASE, BertModel.class,
                Task.SEQUENCE_CLASSIFICATION, BertForSequenceClassification.class,
                Task.TOKEN_CLASSIFICATION, BertForTokenClassification.class,
                Task.MASKED_LM, BertForMaskedLM.class);
    }
}
