package dev.javaformers.models.qwen2;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaForSequenceClassification;
import java.util.Map;

/** Qwen2 with {@code score} on each row's last non-pad token. */
public class Qwen2ForSequenceClassification extends LlamaForSequenceClassification {

    public Qwen2ForSequenceClassification(Qwen2Config config, NDManager manager) {
        super(config, manager, new Qwen2Model(config, manager));
    }

    public static Qwen2ForSequenceClassification fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(Qwen2ForSequenceClassification.class, nameOrPath, kwargs);
    }
}
