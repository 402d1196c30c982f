package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/** An encoder-decoder's hidden states, as transformers' Seq2SeqModelOutput: the decoder's and the encoder's last. */
public record Seq2SeqModelOutput(NDArray lastHiddenState, NDArray encoderLastHiddenState) implements ModelOutput {}
