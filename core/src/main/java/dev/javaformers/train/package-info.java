/**
 * Fine-tuning as transformers' {@code Trainer}: {@link dev.javaformers.train.TrainingArguments} with
 * transformers' names and defaults, AdamW with decoupled weight decay, learning-rate schedules, gradient
 * accumulation and clipping, evaluation with metrics, checkpoints laid out as transformers lays them out
 * ({@code checkpoint-N/trainer_state.json}, ...), resuming, callbacks and early stopping.
 */
package dev.javaformers.train;
