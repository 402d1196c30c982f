package dev.javaformers.models.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.generation.Seq2SeqGenerationMixin;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.Losses;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Seq2SeqLMOutput;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;
import java.util.Map;

/**
 * T5 with {@code lm_head}: tied to {@code shared} (the decoder's output then scaled by {@code d_model ** -0.5},
 * as t5 is) or its own (flan-T5). With {@code labels} and no {@code decoder_input_ids} the decoder reads the
 * labels shifted right after {@code decoder_start_token_id}, and the loss is their cross entropy.
 */
public class T5ForConditionalGeneration extends PreTrainedModel<Seq2SeqLMOutput> implements Seq2SeqGenerationMixin {

    final Layers.Embedding shared;
    final T5Stack encoder;
    final T5Stack decoder;
    private final Parameter headWeight;
    private final T5Config t5;

    public T5ForConditionalGeneration(T5Config config, NDManager manager) {
        super(config, manager);
        t5 = config;
        shared = register("shared", new Layers.Embedding(manager, config.vocabSize, config.dModel,
                config.initializerFactor, null));
        encoder = register("encoder", new T5Stack(config, manager, shared.weight, false));
        decoder = register("decoder", new T5Stack(config, manager, shared.weight, true));
        headWeight = config.tieWordEmbeddings
                ? register("lm_head", new Layers.Container()).add("weight", shared.weight)
                : register("lm_head", new Layers.Linear(manager, config.dModel, config.vocabSize,
                        config.initializerFactor, false)).weight;
    }

    public static T5ForConditionalGeneration fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(T5ForConditionalGeneration.class, nameOrPath, kwargs);
    }

    @Override
    protected void saveGenerationConfig(java.nio.file.Path dir) {
        generationConfig().save(dir);
    }

    @Override
    public String baseModelPrefix() {
        return "transformer";
    }

    /** The encoder's last hidden state for {@code inputIds}, which {@link #decode} attends to. */
    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask) {
        return encoder.forward(inputIds, attentionMask, null, null);
    }

    /** Next-token logits of the decoder on {@code decoderInputIds} after the encoder's {@code encoded} states. */
    public NDArray decode(NDArray decoderInputIds, NDArray decoderAttentionMask, NDArray encoded,
            NDArray attentionMask) {
        return head(decoder.forward(decoderInputIds, decoderAttentionMask, encoded, attentionMask));
    }

    @Override
    public NDArray decodeNext(NDArray decoderInputIds, NDArray encoderStates, NDArray encoderMask,
            DynamicCache selfCache, DynamicCache crossCache) {
        NDArray out = decoder.forward(decoderInputIds, null, encoderStates, encoderMask, selfCache, crossCache);
        return head(out.get(":, -1:, :"));
    }

    private NDArray head(NDArray decoded) {
        NDArray out = config.tieWordEmbeddings ? Tensors.mul(decoded, Math.pow(t5.dModel, -0.5)) : decoded;
        return Layers.matMulTransposed(out, headWeight.array());
    }

    public Seq2SeqLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            NDArray decoderAttentionMask, NDArray labels) {
        if (decoderInputIds == null) {
            if (labels == null) {
                throw new IllegalArgumentException("T5ForConditionalGeneration needs decoder_input_ids or labels");
            }
            decoderInputIds = Losses.shiftTokensRight(labels, config.padTokenId, config.decoderStartTokenId);
        }
        NDArray encoded = encode(inputIds, attentionMask);
        NDArray logits = decode(decoderInputIds, decoderAttentionMask, encoded, attentionMask);
        NDArray loss = labels == null ? null : Losses.crossEntropy(logits, labels);
        return new Seq2SeqLMOutput(loss, logits, encoded);
    }

    @Override
    public Seq2SeqLMOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("decoder_input_ids"),
                in.get("decoder_attention_mask"), in.get("labels"));
    }
}
