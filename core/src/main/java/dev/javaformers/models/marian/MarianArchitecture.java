package dev.javaformers.models.marian;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** Marian in the Auto classes: model_type {@code marian}. */
public final class MarianArchitecture extends DeclaredArchitecture {

    public MarianArchitecture() {
        super("marian", MarianConfig.class, Map.of(Task.BASE, MarianModel.class, Task.SEQ2SEQ_LM,
                MarianMTModel.class));
    }
}
