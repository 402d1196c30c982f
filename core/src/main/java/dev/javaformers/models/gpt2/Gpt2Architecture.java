package dev.javaformers.models.gpt2;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/**
 * GPT-2 in the Auto classes: model_type {@code gpt2}, its config, the bare decoder, the causal LM and the
 * classifier.
 */
public final class Gpt2Architecture extends DeclaredArchitecture {

    public Gpt2Architecture() {
        super("gpt2", Gpt2Config.class, Map.of(Task.BASE, GPT2Model.class, Task.CAUSAL_LM, GPT2LMHeadModel.class,
                Task.SEQUENCE_CLASSIFICATION, GPT2ForSequenceClassification.class));
    }
}
