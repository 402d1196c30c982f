/** Qwen2 (Qwen team, 2024): Llama with biases on the query, key and value projections and optional sliding windows. */
package dev.javaformers.models.qwen2;
