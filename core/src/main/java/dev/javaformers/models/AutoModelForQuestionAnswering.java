package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * Loads a question answering head for whatever architecture a checkpoint's config names, as transformers' {@code AutoModelForQuestionAnswering}: a thin alias of {@code ModelFactory.forTask(Task.QUESTION_ANSWERING)}.
 *
 * <pre>{@code
 * var model = AutoModelForQuestionAnswering.fromPretrained("distilbert-base-cased-distilled-squad");
 * }</pre>
 */
public final class AutoModelForQuestionAnswering {

    public static final ModelFactory FACTORY = ModelFactory.forTask(Task.QUESTION_ANSWERING);

    private AutoModelForQuestionAnswering() {}

    /** See {@link ModelFactory#fromPretrained(String, Map)} for {@code kwargs}. */
    public static PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return FACTORY.fromPretrained(nameOrPath, kwargs);
    }

    public static PreTrainedModel<?> fromPretrained(String nameOrPath) {
        return FACTORY.fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoModelForQuestionAnswering.fromPretrained('bert-base-cased', device: 'auto')}. */
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
