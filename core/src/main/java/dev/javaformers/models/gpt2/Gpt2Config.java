package dev.javaformers.models.gpt2;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/** transformers' {@code GPT2Config}, with its defaults (those of gpt2). */
public class Gpt2Config extends PretrainedConfig {

    public int vocabSize = 50257;
    public int nPositions = 1024;
    public int nEmbd = 768;
    public int nLayer = 12;
    public int nHead = 12;
    public Integer nInner = null;
    public String activationFunction = "gelu_new";
    public double residPdrop = 0.1;
    public double embdPdrop = 0.1;
    public double attnPdrop = 0.1;
    public double layerNormEpsilon = 1e-5;
    public double initializerRange = 0.02;
    public String summaryType = "cls_index";
    public boolean summaryUseProj = true;
    public String summaryActivation = null;
    public boolean summaryProjToLabels = true;
    public double summaryFirstDropout = 0.1;
    public boolean scaleAttnWeights = true;
    public boolean useCache = true;
    public boolean scaleAttnByInverseLayerIdx = false;
    public boolean reorderAndUpcastAttn = false;

    public Gpt2Config() {
        bosTokenId = 50256;
        eosTokenId = 50256;
    }

    @Override
    public String getModelType() {
        return "gpt2";
    }

    @Override
    public Map<String, String> attributeMap() {
        return Map.of("hidden_size", "n_embd", "max_position_embeddings", "n_positions",
                "num_attention_heads", "n_head", "num_hidden_layers", "n_layer");
    }
}
