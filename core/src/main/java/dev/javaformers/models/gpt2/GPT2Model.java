package dev.javaformers.models.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.Attention;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bare GPT-2 decoder: token and position embeddings, causal blocks, the final LayerNorm. */
public class GPT2Model extends PreTrainedModel<BaseModelOutput> {

    /** Buffers older GPT-2 checkpoints hold (the causal mask), which the model computes instead. */
    static final List<Pattern> ATTENTION_BUFFERS = List.of(Pattern.compile("attn\\.masked_bias$"),
            Pattern.compile("attn\\.bias$"));

    final Layers.Embedding wte;
    final Layers.Embedding wpe;
    final Layers.ModuleList<Gpt2Modules.Block> h;
    final Layers.LayerNorm lnF;
    private final double embdDropout;

    public GPT2Model(Gpt2Config config, NDManager manager) {
        super(config, manager);
        wte = register("wte", new Layers.Embedding(manager, config.vocabSize, config.nEmbd, config.initializerRange,
                null));
        wpe = register("wpe", new Layers.Embedding(manager, config.nPositions, config.nEmbd, config.initializerRange,
                null));
        h = register("h", new Layers.ModuleList<>());
        for (int i = 0; i < config.nLayer; i++) {
            h.add(new Gpt2Modules.Block(config, manager, i));
        }
        lnF = register("ln_f", new Layers.LayerNorm(manager, config.nEmbd, config.layerNormEpsilon));
        embdDropout = config.embdPdrop;
    }

    public static GPT2Model fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(GPT2Model.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "transformer";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return ATTENTION_BUFFERS;
    }

    /**
     * The decoder on token ids [batch, tokens]; {@code attentionMask} (1 attend, 0 padding) and
     * {@code positionIds} may be null (positions then count 0, 1, 2, ... in every row, as in transformers).
     */
    public BaseModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds) {
        return forward(inputIds, attentionMask, positionIds, null);
    }

    /**
     * The decoder on the new token ids [batch, new tokens] after those in {@code cache} (null: none kept), which
     * receives their keys and values. {@code attentionMask} covers all tokens, cached and new; positions default
     * to counting on from the cached length.
     */
    public BaseModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        long past = cache == null ? 0 : cache.seqLength();
        NDArray positions = Attention.positions(inputIds, positionIds, past);
        NDArray x = Layers.dropout(wte.forward(inputIds).add(wpe.forward(positions)), embdDropout, isTraining());
        NDArray mask = Attention.decoderMask(inputIds.getManager(), past, inputIds.getShape().get(1), attentionMask,
                x.getDataType());
        for (Gpt2Modules.Block block : h.items()) {
            x = block.forward(x, mask, cache);
        }
        return new BaseModelOutput(lnF.forward(x), null);
    }

    @Override
    public BaseModelOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"), inputs.get("position_ids"));
    }
}
