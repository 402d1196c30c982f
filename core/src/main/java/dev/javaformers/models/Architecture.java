package dev.javaformers.models;

import dev.javaformers.config.ConfigType;
import java.util.Map;

/**
 * One architecture's entry in the Auto classes: its {@code model_type}, its config class and its model class per
 * task, as the rows for one model in transformers' {@code CONFIG_MAPPING_NAMES} and {@code MODEL_*_MAPPING_NAMES}.
 * Each {@code models/<arch>} folder has one, listed in {@code META-INF/services/dev.javaformers.config.ConfigType};
 * that is all a new architecture needs to load through {@link dev.javaformers.config.AutoConfig} and every Auto class.
 *
 * <pre>{@code
 * public final class BertArchitecture extends DeclaredArchitecture {
 *     public BertArchitecture() {
 *         super("bert", BertConfig.class, Map.of(Task.BASE, BertModel.class,
 *                 Task.SEQUENCE_CLASSIFICATION, BertForSequenceClassification.class));
 *     }
 * }
 * }</pre>
 *
 * @see dev.javaformers.config.AutoConfig
 */
public interface Architecture extends ConfigType {

    /** The model class for each task the architecture has; each needs a constructor {@code (Config, NDManager)}. */
    Map<Task, Class<? extends PreTrainedModel<?>>> models();
}
