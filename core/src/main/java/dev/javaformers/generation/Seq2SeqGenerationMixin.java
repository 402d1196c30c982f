package dev.javaformers.generation;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.CausalLMOutput;
import dev.javaformers.models.DynamicCache;

/**
 * What an encoder-decoder needs to {@code generate} (T5ForConditionalGeneration, ...): the prompts are encoded
 * once, and the decoder, starting from {@code decoder_start_token_id}, produces the new tokens over the encoder's
 * states, with a cache for its self-attention and one for the cross-attention keys and values (filled on the
 * first step). {@code generate} returns the decoder's ids, the start token first, as transformers does.
 */
public interface Seq2SeqGenerationMixin extends GenerationMixin {

    /** The encoder's last hidden state [batch, source tokens, hidden]. */
    NDArray encode(NDArray inputIds, NDArray attentionMask);

    /**
     * The logits [batch, 1, vocab] after the decoder reads {@code decoderInputIds} (the new ones after those
     * in {@code selfCache}; null caches: all of them every step).
     */
    NDArray decodeNext(NDArray decoderInputIds, NDArray encoderStates, NDArray encoderMask, DynamicCache selfCache,
            DynamicCache crossCache);

    /** Not a decoder-only model: generation goes through {@link #encode} and {@link #decodeNext}. */
    @Override
    default CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels,
            DynamicCache cache) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is an encoder-decoder: its forward "
                + "takes decoder inputs (decoder_input_ids or labels)");
    }

    @Override
    default NDArray nextTokenLogits(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        throw new UnsupportedOperationException("an encoder-decoder generates through encode and decodeNext");
    }
}
