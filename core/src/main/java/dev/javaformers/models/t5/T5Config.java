package dev.javaformers.models.t5;

import dev.javaformers.config.PretrainedConfig;

/**
 * transformers' {@code T5Config}, with its defaults (those of t5-small). {@code feed_forward_proj} is
 * {@code "relu"} or {@code "gated-gelu"} (flan-T5) and, as transformers does, sets {@code dense_act_fn} and
 * {@code is_gated_act}, which are saved too.
 */
public class T5Config extends PretrainedConfig {

    public int vocabSize = 32128;
    public int dModel = 512;
    public int dKv = 64;
    public int dFf = 2048;
    public int numLayers = 6;
    public Integer numDecoderLayers = null;
    public int numHeads = 8;
    public int relativeAttentionNumBuckets = 32;
    public int relativeAttentionMaxDistance = 128;
    public double dropoutRate = 0.1;
    public double layerNormEpsilon = 1e-6;
    public double initializerFactor = 1.0;
    public String feedForwardProj = "relu";
    public boolean useCache = true;
    public String denseActFn = null;
    public Boolean isGatedAct = null;

    public T5Config() {
        padTokenId = 0;
        eosTokenId = 1;
        isEncoderDecoder = true;
    }

    @Override
    public String getModelType() {
        return "t5";
    }

    @Override
    public java.util.Map<String, String> attributeMap() {
        return java.util.Map.of("hidden_size", "d_model", "num_attention_heads", "num_heads", "num_hidden_layers",
                "num_layers");
    }

    /** The decoder's layers: {@code num_decoder_layers}, or as many as the encoder's. */
    public int decoderLayers() {
        return numDecoderLayers != null ? numDecoderLayers : numLayers;
    }

    /** The feed-forward activation: {@code gelu_new} for gated-gelu, else the name after "gated-". */
    public String activation() {
        String[] parts = feedForwardProj.split("-");
        return feedForwardProj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
    }

    /** Whether the feed-forward is gated ({@code wi_0}, {@code wi_1}). */
    public boolean gated() {
        return feedForwardProj.startsWith("gated-");
    }

    @Override
    protected void validate() {
        super.validate();
        String[] parts = feedForwardProj.split("-");
        if (parts.length > 2 || parts.length == 2 && !parts[0].equals("gated")) {
            throw new IllegalArgumentException("`feed_forward_proj`: " + feedForwardProj + " is not a valid "
                    + "activation function of the dense layer. Please make sure `feed_forward_proj` is of the format "
                    + "`gated-{ACT_FN}` or `{ACT_FN}`, e.g. 'gated-gelu' or 'relu'");
        }
        // what T5Config.__init__ derives (and saves)
        denseActFn = activation();
        isGatedAct = gated();
    }
}
