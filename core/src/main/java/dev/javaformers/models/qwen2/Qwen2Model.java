package dev.javaformers.models.qwen2;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.llama.LlamaModel;
import java.util.Map;

/** The bare Qwen2 decoder: Llama's, with biases on the query, key and value projections. */
public class Qwen2Model extends LlamaModel {

    public Qwen2Model(Qwen2Config config, NDManager manager) {
        super(config, manager, true);
    }

    public static Qwen2Model fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(Qwen2Model.class, nameOrPath, kwargs);
    }
}
