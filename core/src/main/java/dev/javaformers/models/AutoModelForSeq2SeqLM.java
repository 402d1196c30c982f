package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * Loads an encoder-decoder language model (T5ForConditionalGeneration, ...) for whatever architecture a checkpoint's config names, as transformers' {@code AutoModelForSeq2SeqLM}: a thin alias of {@code ModelFactory.forTask(Task.SEQ2SEQ_LM)}.
 *
 * <pre>{@code
 * var model = AutoModelForSeq2SeqLM.fromPretrained("google-t5/t5-small");
 * }</pre>
 */
public final class AutoModelForSeq2SeqLM {

    public static final ModelFactory FACTORY = ModelFactory.forTask(Task.SEQ2SEQ_LM);

    private AutoModelForSeq2SeqLM() {}

    /** See {@link ModelFactory#fromPretrained(String, Map)} for {@code kwargs}. */
    public static PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return FACTORY.fromPretrained(nameOrPath, kwargs);
    }

    public static PreTrainedModel<?> fromPretrained(String nameOrPath) {
        return FACTORY.fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoModelForSeq2SeqLM.fromPretrained('t5-small', num_layers: 2)}. */
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
