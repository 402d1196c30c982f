package dev.javaformers.models.llama;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/**
 * transformers' {@code LlamaConfig}, with its defaults (those of Llama-7B). {@code rope_scaling} is
 * {@code {"type": "linear" | "dynamic", "factor": f}}; {@code rope_theta} (from later transformers) is the rotary
 * base, 10000 as 4.31 fixes it.
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

    @Override
    protected void validate() {
        super.validate();
        if (ropeScaling != null) {
            Object type = ropeScaling.get("type");
            Object factor = ropeScaling.get("factor");
            if (!"linear".equals(type) && !"dynamic".equals(type)) {
                throw new IllegalArgumentException("rope_scaling's type must be 'linear' or 'dynamic', got " + type);
            }
            if (!(factor instanceof Number f) || f.doubleValue() <= 1) {
                throw new IllegalArgumentException("rope_scaling's factor must be a number > 1, got " + factor);
            }
        }
        if (numAttentionHeads % keyValueHeads() != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads + ") must be a multiple of "
                    + "num_key_value_heads (" + keyValueHeads() + ")");
        }
    }
}
