package dev.javaformers.models.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Seq2SeqModelOutput;
import dev.javaformers.nn.Layers;
import java.util.Map;

/** The bare T5 encoder-decoder: {@code shared} token embeddings, {@code encoder}, {@code decoder}. */
public class T5Model extends PreTrainedModel<Seq2SeqModelOutput> {

    final Layers.Embedding shared;
    final T5Stack encoder;
    final T5Stack decoder;

    public T5Model(T5Config config, NDManager manager) {
        super(config, manager);
        shared = register("shared", new Layers.Embedding(manager, config.vocabSize, config.dModel,
                config.initializerFactor, null));
        encoder = register("encoder", new T5Stack(config, manager, shared.weight, false));
        decoder = register("decoder", new T5Stack(config, manager, shared.weight, true));
    }

    public static T5Model fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(T5Model.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "transformer";
    }

    /** The encoder on {@code inputIds} [batch, source tokens], then the decoder on {@code decoderInputIds}. */
    public Seq2SeqModelOutput forward(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            NDArray decoderAttentionMask) {
        NDArray encoded = encoder.forward(inputIds, attentionMask, null, null);
        NDArray decoded = decoder.forward(decoderInputIds, decoderAttentionMask, encoded, attentionMask);
        return new Seq2SeqModelOutput(decoded, encoded);
    }

    @Override
    public Seq2SeqModelOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("decoder_input_ids"),
                in.get("decoder_attention_mask"));
    }
}
