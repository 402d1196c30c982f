package dev.javaformers.models.bart;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** BART in the Auto classes: model_type {@code bart}, the bare encoder-decoder and the conditional generator. */
public final class BartArchitecture extends DeclaredArchitecture {

    public BartArchitecture() {
        super("bart", BartConfig.class, Map.of(Task.BASE, BartModel.class, Task.SEQ2SEQ_LM,
                BartForConditionalGeneration.class));
    }
}
