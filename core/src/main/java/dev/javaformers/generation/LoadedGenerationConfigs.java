package dev.javaformers.generation;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Each model's generation config, read from its files the first time it is asked for and kept while the model is. */
final class LoadedGenerationConfigs {

    private static final Map<GenerationMixin, GenerationConfig> BY_MODEL =
            Collections.synchronizedMap(new WeakHashMap<>());

    private LoadedGenerationConfigs() {}

    static GenerationConfig of(GenerationMixin model) {
        return BY_MODEL.computeIfAbsent(model, m -> GenerationConfig.forModel(m.config().nameOrPath, m.config()));
    }
}
