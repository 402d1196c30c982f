package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/**
 * An encoder-decoder language model's output, as transformers' Seq2SeqLMOutput: the loss against {@code labels}
 * (-100 ignored) when they were given, the decoder's next-token logits [batch, target tokens, vocab], and the
 * encoder's last hidden state.
 */
public record Seq2SeqLMOutput(NDArray loss, NDArray logits, NDArray encoderLastHiddenState) implements ModelOutput {}
