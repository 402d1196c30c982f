package dev.javaformers.models.qwen2;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** Qwen2 in the Auto classes: model_type {@code qwen2}. */
public final class Qwen2Architecture extends DeclaredArchitecture {

    public Qwen2Architecture() {
        super("qwen2", Qwen2Config.class, Map.of(Task.BASE, Qwen2Model.class, Task.CAUSAL_LM, Qwen2ForCausalLM.class,
                Task.SEQUENCE_CLASSIFICATION, Qwen2ForSequenceClassification.class));
    }
}
