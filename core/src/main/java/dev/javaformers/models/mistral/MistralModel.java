package dev.javaformers.models.mistral;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaModel;
import java.util.Map;

/** The bare Mistral decoder: Llama's, each layer attending over the sliding window. */
public class MistralModel extends LlamaModel {

    public MistralModel(MistralConfig config, NDManager manager) {
        super(config, manager, false);
    }

    public static MistralModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(MistralModel.class, nameOrPath, kwargs);
    }
}
