package dev.javaformers.models.mistral;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** Mistral in the Auto classes: model_type {@code mistral}. */
public final class MistralArchitecture extends DeclaredArchitecture {

    public MistralArchitecture() {
        super("mistral", MistralConfig.class, Map.of(Task.BASE, MistralModel.class, Task.CAUSAL_LM,
                MistralForCausalLM.class,
                Task.SEQUENCE_CLASSIFICATION, MistralForSequenceClassification.class));
    }
}
