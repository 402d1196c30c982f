/** Mistral (Jiang et al., 2023): Llama with grouped-query attention over a sliding window of recent tokens. */
package dev.javaformers.models.mistral;
