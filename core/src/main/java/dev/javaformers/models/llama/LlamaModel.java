package dev.javaformers.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.models.Attention;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bare Llama decoder: token embeddings, rotary decoder layers, the final RMSNorm. */
public class LlamaModel extends PreTrainedModel<BaseModelOutput> {

    /** transformers 4.31 saves each layer's rotary inv_freq; the model computes it. */
    static final List<Pattern> ROTARY_BUFFERS = List.of(Pattern.compile("rotary_emb\\.inv_freq$"));

    final Layers.Embedding embedTokens;
    final Layers.ModuleList<LlamaModules.DecoderLayer> layers;
    final LlamaModules.RMSNorm norm;
    private final LlamaConfig llama;

    public LlamaModel(LlamaConfig config, NDManager manager) {
        this(config, manager, false);
    }

    /** {@code qkvBias}: Qwen2's q, k and v projections have biases. */
    protected LlamaModel(LlamaConfig config, NDManager manager, boolean qkvBias) {
        super(config, manager);
        llama = config;
        embedTokens = register("embed_tokens", new Layers.Embedding(manager, config.vocabSize, config.hiddenSize,
                config.initializerRange, config.padTokenId));
        layers = register("layers", new Layers.ModuleList<>());
        for (int i = 0; i < config.numHiddenLayers; i++) {
            layers.add(new LlamaModules.DecoderLayer(config, manager, i, qkvBias));
        }
        norm = register("norm", new LlamaModules.RMSNorm(manager, config.hiddenSize, config.rmsNormEps));
    }

    public static LlamaModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(LlamaModel.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "model";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return ROTARY_BUFFERS;
    }

    /**
     * The decoder on the new token ids after those in {@code cache} (null: none), which receives their keys and
     * values; {@code attentionMask} covers cached and new tokens; positions default to counting on from the cache.
     */
    public BaseModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        long tokens = inputIds.getShape().get(1);
        long past = cache == null ? 0 : cache.seqLength();
        NDArray positions = Attention.positions(inputIds, positionIds, past);
        NDArray x = embedTokens.forward(inputIds);
        DataType embeddingType = x.getDataType();
        Map<Integer, NDArray> masks = new HashMap<>(); // by sliding window (null: none), built once per forward
        NDArray[] cosSin = LlamaModules.rotary(positions, past + tokens, llama.headSize(), llama);
        for (LlamaModules.DecoderLayer layer : layers.items()) {
            NDArray mask = masks.computeIfAbsent(layer.slidingWindow, window -> Attention.decoderMask(
                    inputIds.getManager(), past, tokens, attentionMask, embeddingType, window));
            x = layer.forward(x, mask, cosSin, cache);
        }
        return new BaseModelOutput(norm.forward(x), null);
    }

    @Override
    public BaseModelOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"), inputs.get("position_ids"), null);
    }
}
