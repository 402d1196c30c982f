package dev.javaformers.models.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.Losses;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Seq2SeqModelOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** The bare BART encoder-decoder: {@code shared} token embeddings, {@code encoder}, {@code decoder}. */
public class BartModel extends PreTrainedModel<Seq2SeqModelOutput> {

    final Layers.Embedding shared;
    final BartModules.Stack encoder;
    final BartModules.Stack decoder;

    public BartModel(BartConfig config, NDManager manager) {
        super(config, manager);
        shared = register("shared", new Layers.Embedding(manager, config.vocabSize, config.dModel, config.initStd,
                config.padTokenId));
        encoder = register("encoder", new BartModules.Stack(config, manager, shared.weight, false));
        decoder = register("decoder", new BartModules.Stack(config, manager, shared.weight, true));
    }

    public static BartModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BartModel.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "model";
    }

    /**
     * The encoder on {@code inputIds}, then the decoder on {@code decoderInputIds}; without them, BART's own
     * default: the inputs shifted right after {@code decoder_start_token_id}.
     */
    public Seq2SeqModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            NDArray decoderAttentionMask) {
        NDArray decoderIds = decoderInputIds != null ? decoderInputIds
                : Losses.shiftTokensRight(inputIds, config.padTokenId, config.decoderStartTokenId);
        NDArray encoded = encoder.forward(inputIds, attentionMask, null, null, null, null);
        NDArray decoded = decoder.forward(decoderIds, decoderAttentionMask, encoded, attentionMask, null, null);
        return new Seq2SeqModelOutput(decoded, encoded);
    }

    @Override
    public Seq2SeqModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("decoder_input_ids"),
                in.get("decoder_attention_mask"));
    }
}
