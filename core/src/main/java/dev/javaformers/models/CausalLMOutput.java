package dev.javaformers.models;

import ai.djl.ndarray.NDArray;

/**
 * Next-token logits [batch, tokens, vocab]; when labels were given the loss of predicting token {@code t+1} from
 * the tokens up to {@code t} (labels shifted inside the model, -100 ignored); and with {@code use_cache} the
 * keys and values so far, as transformers' CausalLMOutputWithPast.
 */
public record CausalLMOutput(NDArray loss, NDArray logits, DynamicCache pastKeyValues) implements ModelOutput {}
