package dev.javaformers.models.bert;

import dev.javaformers.config.PretrainedConfig;

/** transformers' {@code BertConfig}, with its defaults (those of bert-base-uncased). */
public class BertConfig extends PretrainedConfig {

    public int vocabSize = 30522;
    public int hiddenSize = 768;
    public int numHiddenLayers = 12;
    public int numAttentionHeads = 12;
    public int intermediateSize = 3072;
    public String hiddenAct = "gelu";
    public double hiddenDropoutProb = 0.1;
    public double attentionProbsDropoutProb = 0.1;
    public int maxPositionEmbeddings = 512;
    public int typeVocabSize = 2;
    public double initializerRange = 0.02;
    public double layerNormEps = 1e-12;
    public String positionEmbeddingType = "absolute";
    public boolean useCache = true;
    public Double classifierDropout = null;

    public BertConfig() {
        padTokenId = 0;
    }

    @Override
    public String getModelType() {
        return "bert";
    }
}
