package dev.javaformers.models.mistral;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaForCausalLM;
import java.util.Map;

/** Mistral with its own {@code lm_head} (or the embeddings, with {@code tie_word_embeddings}). */
public class MistralForCausalLM extends LlamaForCausalLM {

    public MistralForCausalLM(MistralConfig config, NDManager manager) {
        super(config, manager, new MistralModel(config, manager));
    }

    public static MistralForCausalLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(MistralForCausalLM.class, nameOrPath, kwargs);
    }
}
