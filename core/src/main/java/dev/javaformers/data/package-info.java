/**
 * Datasets as HuggingFace {@code datasets} has them, on Tablesaw: {@link dev.javaformers.data.Dataset} keeps the
 * raw columns in a Tablesaw {@code Table} and tokenized sequences in {@link dev.javaformers.data.TokenColumn}s
 * beside it; {@link dev.javaformers.data.Datasets} loads CSV, TSV, JSON, JSON Lines, Hub dataset repositories and
 * the built-in sets; {@link dev.javaformers.data.DataCollatorWithPadding} and
 * {@link dev.javaformers.data.DataLoader} turn rows into padded DJL batches.
 */
package dev.javaformers.data;
