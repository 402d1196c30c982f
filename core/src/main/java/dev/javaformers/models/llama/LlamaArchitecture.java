package dev.javaformers.models.llama;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/**
 * Llama in the Auto classes: model_type {@code llama}, its config, the bare decoder, the causal LM and the
 * classifier.
 */
public final class LlamaArchitecture extends DeclaredArchitecture {

    public LlamaArchitecture() {
        super("llama", LlamaConfig.class, Map.of(Task.BASE, LlamaModel.class, Task.CAUSAL_LM, LlamaForCausalLM.class,
                Task.SEQUENCE_CLASSIFICATION, LlamaForSequenceClassification.class));
    }
}
