package dev.javaformers.models;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * Loads a masked language modelling head for whatever architecture a checkpoint's config names, as transformers' {@code AutoModelForMaskedLM}.
 *
 * <pre>{@code
 * var model = AutoModelForMaskedLM.fromPretrained("sentence-transformers/all-MiniLM-L6-v2");
 * }</pre>
 */
public final class AutoModelForMaskedLM {

    public static final ModelFactory FACTORY = new ModelFactory("AutoModelForMaskedLM");

    static {
        BuiltInModels.registerAutoModelForMaskedLM(FACTORY);
    }

    private AutoModelForMaskedLM() {}

    /**
     * Loads a model from a local folder or the Hub. {@code kwargs}: Hub options ({@code revision},
     * {@code cache_dir}, {@code token}, ...), {@code device} ("cpu", "gpu", "auto"), {@code torch_dtype}
     * ("float32", "float16", "auto"), {@code ignore_mismatched_sizes}, and config overrides
     * ({@code num_labels}, {@code id2label}, {@code heads}, ...).
     */
    public static PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return FACTORY.fromPretrained(null, nameOrPath, kwargs);
    }

    public static PreTrainedModel<?> fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoModelForMaskedLM.fromPretrained('bert-base-cased', num_labels: 2)}. */
    public static PreTrainedModel<?> fromPretrained(Map<String, ?> kwargs, String nameOrPath) {
        return fromPretrained(nameOrPath, kwargs);
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
