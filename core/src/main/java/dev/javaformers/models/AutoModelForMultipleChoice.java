package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * Loads a multiple choice head for whatever architecture a checkpoint's config names, as transformers' {@code AutoModelForMultipleChoice}: a thin alias of {@code ModelFactory.forTask(Task.MULTIPLE_CHOICE)}.
 *
 * <pre>{@code
 * var model = AutoModelForMultipleChoice.fromPretrained("bert-base-uncased");
 * }</pre>
 */
public final class AutoModelForMultipleChoice {

    public static final ModelFactory FACTORY = ModelFactory.forTask(Task.MULTIPLE_CHOICE);

    private AutoModelForMultipleChoice() {}

    /** See {@link ModelFactory#fromPretrained(String, Map)} for {@code kwargs}. */
    public static PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return FACTORY.fromPretrained(nameOrPath, kwargs);
    }

    public static PreTrainedModel<?> fromPretrained(String nameOrPath) {
        return FACTORY.fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoModelForMultipleChoice.fromPretrained('bert-base-cased', device: 'auto')}. */
    public static PreTrainedModel<?> fromPretrained(Map<String, ?> kwargs, String nameOrPath) {
        return FACTORY.fromPretrained(nameOrPath, kwargs);
    }

    /** A model with fresh random weights for {@code config}. */
    public static PreTrainedModel<?> fromConfig(PretrainedConfig config) {
        return FACTORY.fromConfig(config);
    }

    /** Makes a custom model loadable: checkpoints whose config is a {@code configClass} build a {@code modelClass}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void register(Class<? extends PretrainedConfig> configClass, Class<? extends PreTrainedModel> modelClass) {
        FACTORY.register(configClass, (Class) modelClass);
    }
}
