package dev.javaformers.nn;

/**
 * Marks a normalisation module (LayerNorm, RMSNorm, T5's LayerNorm): transformers' {@code ALL_LAYERNORM_LAYERS},
 * whose parameters the Trainer's AdamW leaves out of weight decay.
 */
public interface NormalizationLayer {}
