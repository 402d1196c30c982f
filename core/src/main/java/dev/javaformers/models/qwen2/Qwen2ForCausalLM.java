package dev.javaformers.models.qwen2;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaForCausalLM;
import java.util.Map;

/** Qwen2 with {@code lm_head} (tied to the embeddings in the small Qwen2.5 models). */
public class Qwen2ForCausalLM extends LlamaForCausalLM {

    public Qwen2ForCausalLM(Qwen2Config config, NDManager manager) {
        super(config, manager, new Qwen2Model(config, manager));
    }

    public static Qwen2ForCausalLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(Qwen2ForCausalLM.class, nameOrPath, kwargs);
    }
}
