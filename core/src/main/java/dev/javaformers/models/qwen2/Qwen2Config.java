package dev.javaformers.models.qwen2;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.javaformers.models.llama.LlamaConfig;

/**
 * transformers' {@code Qwen2Config}, with its defaults. It is Llama's (Qwen2 is Llama with q/k/v biases), less the
 * Llama-only keys, plus sliding windows: with {@code use_sliding_window}, layers from {@code max_window_layers} on
 * attend to the last {@code sliding_window} tokens.
 */
@JsonIgnoreProperties(value = {"pretraining_tp", "attention_bias", "mlp_bias", "head_dim"}, allowSetters = true)
public class Qwen2Config extends LlamaConfig {

    public boolean useSlidingWindow = false;
    public Integer slidingWindow = 4096;
    public int maxWindowLayers = 28;

    public Qwen2Config() {
        vocabSize = 151936;
        intermediateSize = 22016;
        numKeyValueHeads = 32;
        maxPositionEmbeddings = 32768;
        bosTokenId = null;
        eosTokenId = null;
    }

    @Override
    public String getModelType() {
        return "qwen2";
    }

    @Override
    public Integer slidingWindowOf(int layer) {
        return useSlidingWindow && layer >= maxWindowLayers ? slidingWindow : null;
    }
}
