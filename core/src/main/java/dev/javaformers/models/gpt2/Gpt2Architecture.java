package dev.javaformers.models.gpt2;

import dev.javaformers.models.Architecture;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import java.util.Map;

/** GPT-2 in the Auto classes: its config only, for now (the modeling comes with the decoder issue). */
public final class Gpt2Architecture implements Architecture {

    @Override
    public String modelType() {
        return "gpt2";
    }

    @Override
    public Class<Gpt2Config> configClass() {
        return Gpt2Config.class;
    }

    @Override
    public Map<Task, Class<? extends PreTrainedModel<?>>> models() {
        return Map.of();
    }
}
