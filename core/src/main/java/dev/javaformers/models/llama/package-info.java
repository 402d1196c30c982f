/** Llama (Touvron et al., 2023): RMSNorm, rotary positions with scaling, grouped-query attention, gated SiLU MLP. */
package dev.javaformers.models.llama;
