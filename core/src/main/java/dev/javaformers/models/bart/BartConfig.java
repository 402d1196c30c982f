package dev.javaformers.models.bart;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/** transformers' {@code BartConfig}, with its defaults (those of bart-large). */
public class BartConfig extends PretrainedConfig {

    public int vocabSize = 50265;
    public int maxPositionEmbeddings = 1024;
    public int encoderLayers = 12;
    public int encoderFfnDim = 4096;
    public int encoderAttentionHeads = 16;
    public int decoderLayers = 12;
    public int decoderFfnDim = 4096;
    public int decoderAttentionHeads = 16;
    public double encoderLayerdrop = 0.0;
    public double decoderLayerdrop = 0.0;
    public String activationFunction = "gelu";
    public int dModel = 1024;
    public double dropout = 0.1;
    public double attentionDropout = 0.0;
    public double activationDropout = 0.0;
    public double initStd = 0.02;
    public double classifierDropout = 0.0;
    public boolean scaleEmbedding = false;
    public boolean useCache = true;
    public int numHiddenLayers = 12;

    public BartConfig() {
        setNumLabels(3);
        padTokenId = 1;
        bosTokenId = 0;
        eosTokenId = 2;
        isEncoderDecoder = true;
        decoderStartTokenId = 2;
        forcedEosTokenId = 2;
    }

    @Override
    public String getModelType() {
        return "bart";
    }

    /** Marian's positions are fixed sinusoids from 0, without layernorm_embedding; BART's are learned, from 2. */
    public boolean sinusoidalPositions() {
        return false;
    }

    @Override
    public Map<String, String> attributeMap() {
        return Map.of("num_attention_heads", "encoder_attention_heads", "hidden_size", "d_model");
    }
}
