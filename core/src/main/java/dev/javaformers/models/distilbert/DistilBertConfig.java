package dev.javaformers.models.distilbert;

import dev.javaformers.config.PretrainedConfig;
import java.util.Map;

/** transformers' {@code DistilBertConfig}, with its defaults (those of distilbert-base-uncased). */
public class DistilBertConfig extends PretrainedConfig {

    public int vocabSize = 30522;
    public int maxPositionEmbeddings = 512;
    public boolean sinusoidalPosEmbds = false;
    public int nLayers = 6;
    public int nHeads = 12;
    public int dim = 768;
    public int hiddenDim = 4 * 768;
    public double dropout = 0.1;
    public double attentionDropout = 0.1;
    public String activation = "gelu";
    public double initializerRange = 0.02;
    public double qaDropout = 0.1;
    public double seqClassifDropout = 0.2;

    public DistilBertConfig() {
        padTokenId = 0;
    }

    @Override
    public String getModelType() {
        return "distilbert";
    }

    @Override
    public Map<String, String> attributeMap() {
        return Map.of("hidden_size", "dim", "num_attention_heads", "n_heads", "num_hidden_layers", "n_layers");
    }
}
