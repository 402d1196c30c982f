package dev.javaformers.config;

/**
 * A {@code model_type} and its config class: one row of transformers' {@code CONFIG_MAPPING}. Each architecture
 * folder declares itself in one class that implements this (through {@code dev.javaformers.models.Architecture},
 * which adds the model class per task) and is listed in {@code META-INF/services/dev.javaformers.config.ConfigType};
 * {@link AutoConfig} reads the list, so this package needs to know no architecture.
 */
public interface ConfigType {

    /** The {@code model_type} of {@code config.json}, e.g. {@code "bert"}. */
    String modelType();

    /** The config class for that type; its {@link PretrainedConfig#getModelType()} returns {@link #modelType()}. */
    Class<? extends PretrainedConfig> configClass();
}
