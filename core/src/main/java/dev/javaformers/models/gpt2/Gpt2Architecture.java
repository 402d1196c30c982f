package dev.javaformers.models.gpt2;

import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.Task;
import java.util.Map;

/** GPT-2 in the Auto classes: its config only, for now (the modeling comes with the decoder issue). */
public final class Gpt2Architecture extends DeclaredArchitecture {

    public Gpt2Architecture() {
        super("gpt2", Gpt2Config.class, Map.of());
    }
}
