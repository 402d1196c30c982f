package dev.javaformers.generation;

import ai.djl.ndarray.NDArray;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.CausalLMOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.tokenize.BatchEncoding;
import java.util.Map;

/**
 * What a causal language model needs to {@code generate}, as transformers' GenerationMixin: a forward pass over
 * new tokens after a cache. {@code GPT2LMHeadModel} implements it; {@code generate} then decodes greedily, by
 * sampling or by beam search as its {@link GenerationConfig} says.
 *
 * <pre>{@code
 * try (var model = (GPT2LMHeadModel) AutoModelForCausalLM.fromPretrained("gpt2")) {
 *     long[][] ids = model.generate(new long[][] {{464, 2068}}, null, Map.of("max_new_tokens", 20));
 * }
 * }</pre>
 */
public interface GenerationMixin {

    /** Logits of the new tokens after those in {@code cache} (null: none), which receives their keys and values. */
    CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels,
            DynamicCache cache);

    /**
     * The logits of the last position alone, [batch, 1, vocab], which is all {@code generate} reads (later
     * transformers' {@code logits_to_keep=1}): models apply their head to that position only, which saves most of
     * a step's time when the whole sequence is run (no cache, or the prompt).
     */
    default NDArray nextTokenLogits(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        return forward(inputIds, attentionMask, positionIds, null, cache).logits().get(":, -1:, :");
    }

    PretrainedConfig config();

    ai.djl.ndarray.NDManager manager();

    /**
     * The model's own generation config (transformers' {@code model.generation_config}): its
     * generation_config.json, or the one derived from its config. Read once per model, not per call; changes to it
     * apply to later calls.
     */
    default GenerationConfig generationConfig() {
        return LoadedGenerationConfigs.of(this);
    }

    /**
     * Generates after the prompts {@code inputIds} [rows][tokens] (left-padded, with {@code attentionMask} 0 on
     * the padding; null when unpadded). Returns the prompts followed by the new tokens, as transformers does.
     */
    default long[][] generate(long[][] inputIds, long[][] attentionMask, GenerationConfig config) {
        return Generation.generate(this, inputIds, attentionMask, config, null, java.util.List.of(),
                java.util.List.of());
    }

    /** The model's generation config with {@code overrides} ({@code max_new_tokens}, {@code num_beams}, ...). */
    default long[][] generate(long[][] inputIds, long[][] attentionMask, Map<String, ?> overrides) {
        return generate(inputIds, attentionMask, generationConfig().with(overrides));
    }

    /** Generates after a tokenizer's output (its input_ids and attention_mask), streaming to {@code streamer}. */
    default long[][] generate(BatchEncoding batch, Map<String, ?> overrides, Streamer streamer) {
        return Generation.generate(this, batch.inputIds(), batch.attentionMask(), generationConfig().with(overrides), streamer,
                java.util.List.of(), java.util.List.of());
    }
}
