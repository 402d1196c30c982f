package dev.javaformers.models.mistral;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.javaformers.models.llama.LlamaConfig;

/**
 * transformers' {@code MistralConfig}, with its defaults (those of Mistral-7B). It is Llama's, less the Llama-only
 * keys, plus {@code sliding_window}: every layer attends to the keys less than that many positions back (null:
 * all).
 */
@JsonIgnoreProperties(value = {"pretraining_tp", "attention_bias", "mlp_bias"}, allowSetters = true)
public class MistralConfig extends LlamaConfig {

    public Integer slidingWindow = 4096;

    public MistralConfig() {
        intermediateSize = 14336;
        numKeyValueHeads = 8;
        maxPositionEmbeddings = 4096 * 32;
    }

    @Override
    public String getModelType() {
        return "mistral";
    }

    @Override
    public Integer slidingWindowOf(int layer) {
        return slidingWindow;
    }
}
