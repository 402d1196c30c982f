/**
 * Text generation as transformers 4.31 has it: {@link dev.javaformers.generation.GenerationConfig}
 * ({@code generation_config.json}), {@link dev.javaformers.generation.GenerationMixin#generate} with greedy search,
 * seeded multinomial sampling and beam search, {@link dev.javaformers.generation.LogitsProcessor}s and
 * {@link dev.javaformers.generation.StoppingCriteria} as composable pieces, and
 * {@link dev.javaformers.generation.TextStreamer} for text as it comes.
 */
package dev.javaformers.generation;
