package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * An {@link Architecture} given by its three values, so that a model folder's declaration is one constructor:
 * {@code public BertArchitecture() { super("bert", BertConfig.class, Map.of(Task.BASE, BertModel.class, ...)); }}.
 */
public abstract class DeclaredArchitecture implements Architecture {

    private final String modelType;
    private final Class<? extends PretrainedConfig> configClass;
    private final Map<Task, Class<? extends PreTrainedModel<?>>> models;

    protected DeclaredArchitecture(String modelType, Class<? extends PretrainedConfig> configClass,
            Map<Task, Class<? extends PreTrainedModel<?>>> models) {
        this.modelType = modelType;
        this.configClass = configClass;
        this.models = Map.copyOf(models);
    }

    @Override
    public final String modelType() {
        return modelType;
    }

    @Override
    public final Class<? extends PretrainedConfig> configClass() {
        return configClass;
    }

    @Override
    public final Map<Task, Class<? extends PreTrainedModel<?>>> models() {
        return models;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + modelType + ": " + configClass.getSimpleName() + ", " + models + ")";
    }
}
