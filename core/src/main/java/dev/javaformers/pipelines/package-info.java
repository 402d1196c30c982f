/**
 * transformers' pipelines: {@link dev.javaformers.pipelines.Pipelines#pipeline} builds a task's model, tokenizer
 * and pre/post-processing behind one call, with transformers' outputs as Java lists and maps.
 */
package dev.javaformers.pipelines;
