package dev.javaformers.models.bart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.generation.Seq2SeqGenerationMixin;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.Losses;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Seq2SeqLMOutput;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * BART with {@code lm_head}, tied to the shared embeddings, plus {@code final_logits_bias} [1, vocab] (a buffer in
 * transformers, here a parameter the Trainer also updates). With {@code labels} and no {@code decoder_input_ids}
 * the decoder reads the labels shifted right after {@code decoder_start_token_id}.
 */
public class BartForConditionalGeneration extends PreTrainedModel<Seq2SeqLMOutput> implements Seq2SeqGenerationMixin {

    final BartModel model;
    final Parameter finalLogitsBias;

    public BartForConditionalGeneration(BartConfig config, NDManager manager) {
        super(config, manager);
        model = register("model", new BartModel(config, manager));
        register("lm_head", new Layers.Container()).add("weight", model.shared.weight);
        finalLogitsBias = register("final_logits_bias", Layers.filled(manager, new Shape(1, config.vocabSize), 0f));
    }

    public static BartForConditionalGeneration fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(BartForConditionalGeneration.class, nameOrPath, kwargs);
    }

    @Override
    protected void saveGenerationConfig(java.nio.file.Path dir) {
        generationConfig().save(dir);
    }

    @Override
    public String baseModelPrefix() {
        return "model";
    }

    @Override
    protected List<Pattern> ignoredWhenMissing() {
        return List.of(Pattern.compile("^final_logits_bias$")); // transformers' _keys_to_ignore_on_load_missing
    }

    @Override
    public NDArray encode(NDArray inputIds, NDArray attentionMask) {
        return model.encoder.forward(inputIds, attentionMask, null, null, null, null);
    }

    @Override
    public NDArray decodeNext(NDArray decoderInputIds, NDArray encoderStates, NDArray encoderMask,
            DynamicCache selfCache, DynamicCache crossCache) {
        NDArray out = model.decoder.forward(decoderInputIds, null, encoderStates, encoderMask, selfCache, crossCache);
        return head(out.get(":, -1:, :"));
    }

    private NDArray head(NDArray decoded) {
        return Layers.matMulTransposed(decoded, model.shared.weight.array()).add(finalLogitsBias.array());
    }

    public Seq2SeqLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray decoderInputIds,
            NDArray decoderAttentionMask, NDArray labels) {
        if (decoderInputIds == null && labels != null) {
            decoderInputIds = Losses.shiftTokensRight(labels, config.padTokenId, config.decoderStartTokenId);
        }
        var out = model.forward(inputIds, attentionMask, decoderInputIds, decoderAttentionMask);
        NDArray logits = head(out.lastHiddenState());
        NDArray loss = labels == null ? null : Losses.crossEntropy(logits, labels);
        return new Seq2SeqLMOutput(loss, logits, out.encoderLastHiddenState());
    }

    @Override
    public Seq2SeqLMOutput forward(Map<String, NDArray> in) {
        return forward(in.get("input_ids"), in.get("attention_mask"), in.get("decoder_input_ids"),
                in.get("decoder_attention_mask"), in.get("labels"));
    }
}
