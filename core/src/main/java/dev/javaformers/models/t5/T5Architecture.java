package dev.javaformers.models.t5;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** T5 in the Auto classes: model_type {@code t5}, the bare encoder-decoder and the conditional generator. */
public final class T5Architecture extends DeclaredArchitecture {

    public T5Architecture() {
        super("t5", T5Config.class, Map.of(Task.BASE, T5Model.class, Task.SEQ2SEQ_LM,
                T5ForConditionalGeneration.class));
    }
}
