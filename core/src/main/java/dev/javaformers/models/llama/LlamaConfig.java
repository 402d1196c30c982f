package dev.javaformers.models.llama;

import dev.javaformers.config.PretrainedConfig;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code LlamaConfig}, with its defaults (those of Llama-7B). {@code rope_scaling} is
 * {@code {"rope_type" (or "type"): "linear" | "dynamic" | "llama3", "factor": f}}, llama3 with
 * {@code low_freq_factor}, {@code high_freq_factor} and {@code original_max_position_embeddings};
 * {@code rope_theta} is the rotary base. {@code attention_bias}, {@code mlp_bias} and {@code head_dim} are those of
 * later transformers (Llama 3 files carry them). Qwen2 and Mistral extend it with their defaults.
 */
public class LlamaConfig extends PretrainedConfig {

    public int vocabSize = 32000;
    public int hiddenSize = 4096;
    public int intermediateSize = 11008;
    public int numHiddenLayers = 32;
    public int numAttentionHeads = 32;
    public Integer numKeyValueHeads = null;
    public String hiddenAct = "silu";
    public int maxPositionEmbeddings = 2048;
    public double initializerRange = 0.02;
    public double rmsNormEps = 1e-6;
    public boolean useCache = true;
    public int pretrainingTp = 1;
    public Map<String, Object> ropeScaling = null;
    public double ropeTheta = 10000.0;
    public boolean attentionBias = false;
    public double attentionDropout = 0.0;
    public boolean mlpBias = false;
    public Integer headDim = null;

    public LlamaConfig() {
        bosTokenId = 1;
        eosTokenId = 2;
        tieWordEmbeddings = false;
    }

    @Override
    public String getModelType() {
        return "llama";
    }

    /** The key/value heads: {@code num_key_value_heads}, or one per attention head when it is not set. */
    public int keyValueHeads() {
        return numKeyValueHeads != null ? numKeyValueHeads : numAttentionHeads;
    }

    /** The size of one attention head: {@code head_dim}, or {@code hidden_size / num_attention_heads}. */
    public int headSize() {
        return headDim != null ? headDim : hiddenSize / numAttentionHeads;
    }

    /** The rope scaling type ({@code rope_type}, or the older {@code type}); null without scaling. */
    public String ropeType() {
        if (ropeScaling == null) {
            return null;
        }
        Object type = ropeScaling.getOrDefault("rope_type", ropeScaling.get("type"));
        return "default".equals(type) ? null : (String) type;
    }

    /** A number in {@code rope_scaling}. */
    public double ropeScalingValue(String key) {
        return ((Number) ropeScaling.get(key)).doubleValue();
    }

    /** The sliding attention window of a layer (keys less than this many positions back), null for all keys. */
    public Integer slidingWindowOf(int layer) {
        return null;
    }

    @Override
    protected void validate() {
        super.validate();
        if (numAttentionHeads < 1 || keyValueHeads() < 1) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads + ") and num_key_value_heads ("
                    + keyValueHeads() + ") must be at least 1");
        }
        if (ropeScaling != null) {
            Object type = ropeScaling.getOrDefault("rope_type", ropeScaling.get("type"));
            if (!(type instanceof String name && List.of("default", "linear", "dynamic", "llama3").contains(name))) {
                throw new IllegalArgumentException("rope_scaling's rope_type must be 'default', 'linear', 'dynamic' "
                        + "or 'llama3', got " + type);
            }
            List<String> numbers = "llama3".equals(type)
                    ? List.of("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings")
                    : "default".equals(type) ? List.of() : List.of("factor");
            for (String key : numbers) {
                if (!(ropeScaling.get(key) instanceof Number)) {
                    throw new IllegalArgumentException("rope_scaling of type " + type + " needs a number '" + key
                            + "', got " + ropeScaling.get(key));
                }
            }
            if (numbers.contains("factor") && ropeScalingValue("factor") < 1) {
                throw new IllegalArgumentException("rope_scaling's factor must be a number >= 1, got "
                        + ropeScaling.get("factor"));
            }
            if ("llama3".equals(type) && ropeScalingValue("low_freq_factor") >= ropeScalingValue("high_freq_factor")) {
                throw new IllegalArgumentException("rope_scaling's low_freq_factor must be below high_freq_factor, got "
                        + ropeScaling.get("low_freq_factor") + " and " + ropeScaling.get("high_freq_factor"));
            }
        }
        if (numAttentionHeads % keyValueHeads() != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads + ") must be a multiple of "
                    + "num_key_value_heads (" + keyValueHeads() + ")");
        }
    }
}
