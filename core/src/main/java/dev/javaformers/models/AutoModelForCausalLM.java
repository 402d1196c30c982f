package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * Loads a causal language model (GPT2LMHeadModel, ...) for whatever architecture a checkpoint's config names, as transformers' {@code AutoModelForCausalLM}: a thin alias of {@code ModelFactory.forTask(Task.CAUSAL_LM)}.
 *
 * <pre>{@code
 * var model = AutoModelForCausalLM.fromPretrained("openai-community/gpt2");
 * }</pre>
 */
public final class AutoModelForCausalLM {

    public static final ModelFactory FACTORY = ModelFactory.forTask(Task.CAUSAL_LM);

    private AutoModelForCausalLM() {}

    /** See {@link ModelFactory#fromPretrained(String, Map)} for {@code kwargs}. */
    public static PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return FACTORY.fromPretrained(nameOrPath, kwargs);
    }

    public static PreTrainedModel<?> fromPretrained(String nameOrPath) {
        return FACTORY.fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoModelForCausalLM.fromPretrained('gpt2', n_layer: 2)}. */
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
