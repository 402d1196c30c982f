package dev.javaformers.models.mistral;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaForSequenceClassification;
import java.util.Map;

/** Mistral with {@code score} on each row's last non-pad token. */
public class MistralForSequenceClassification extends LlamaForSequenceClassification {

    public MistralForSequenceClassification(MistralConfig config, NDManager manager) {
        super(config, manager, new MistralModel(config, manager));
    }

    public static MistralForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(MistralForSequenceClassification.class, nameOrPath, kwargs);
    }
}
