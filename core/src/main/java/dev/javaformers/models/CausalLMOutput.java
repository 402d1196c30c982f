package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/**
 * Next-token logits [batch, tokens, vocab], and when labels were given the loss of predicting token {@code t+1}
 * from the tokens up to {@code t} (labels shifted inside the model, -100 ignored), as transformers'
 * CausalLMOutput.
 */
public record CausalLMOutput(NDArray loss, NDArray logits) implements ModelOutput {}
