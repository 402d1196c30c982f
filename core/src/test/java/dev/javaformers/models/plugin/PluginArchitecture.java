package dev.javaformers.models.plugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.DeclaredArchitecture;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.Losses;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.models.Task;
import dev.javaformers.nn.Layers;
import java.util.Map;

/**
 * An architecture outside Javaformers, declared only as a user would: this one class and a line in the test
 * class path's {@code META-INF/services/dev.javaformers.config.ConfigType}. No register call anywhere.
 */
public final class PluginArchitecture extends DeclaredArchitecture {

    public PluginArchitecture() {
        super("plugin-test", PluginConfig.class, Map.of(Task.BASE, PluginModel.class,
                Task.SEQUENCE_CLASSIFICATION, PluginForSequenceClassification.class));
    }

    public static class PluginConfig extends PretrainedConfig {
        public int vocabSize = 30;
        public int hiddenSize = 8;

        @Override
        public String getModelType() {
            return "plugin-test";
        }
    }

    /** Mean of the token embeddings. */
    public static class PluginModel extends PreTrainedModel<BaseModelOutput> {
        final Layers.Embedding embed;

        public PluginModel(PluginConfig config, NDManager manager) {
            super(config, manager);
            embed = register("embed", new Layers.Embedding(manager, config.vocabSize, config.hiddenSize, 0.02, null));
        }

        @Override
        public String baseModelPrefix() {
            return "plugin";
        }

        @Override
        public BaseModelOutput forward(Map<String, NDArray> inputs) {
            NDArray hidden = embed.forward(inputs.get("input_ids"));
            return new BaseModelOutput(hidden, hidden.mean(new int[] {1}));
        }
    }

    public static class PluginForSequenceClassification extends PreTrainedModel<SequenceClassifierOutput> {
        final PluginModel plugin;
        final Layers.Linear classifier;

        public PluginForSequenceClassification(PluginConfig config, NDManager manager) {
            super(config, manager);
            plugin = register("plugin", new PluginModel(config, manager));
            classifier = register("classifier", new Layers.Linear(manager, config.hiddenSize, config.numLabels(),
                    0.02));
        }

        @Override
        public String baseModelPrefix() {
            return "plugin";
        }

        @Override
        public SequenceClassifierOutput forward(Map<String, NDArray> inputs) {
            NDArray logits = classifier.forward(plugin.forward(inputs).poolerOutput());
            NDArray labels = inputs.get("labels");
            return new SequenceClassifierOutput(labels == null ? null
                    : Losses.sequenceClassification(config, logits, labels), logits);
        }
    }
}
