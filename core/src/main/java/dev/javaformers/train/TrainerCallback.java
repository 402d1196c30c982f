package dev.javaformers.train;

import java.util.Map;

/**
 * Hooks into a running {@link Trainer}, as transformers' {@code TrainerCallback}; set fields of the
 * {@link Control} to steer it (stop, save, evaluate).
 */
public interface TrainerCallback {

    /** What callbacks may ask the trainer to do after the current step. */
    final class Control {
        public boolean shouldTrainingStop;
        public boolean shouldSave;
        public boolean shouldEvaluate;
    }

    default void onTrainBegin(TrainingArguments args, TrainerState state, Control control) {}

    default void onStepEnd(TrainingArguments args, TrainerState state, Control control) {}

    default void onEpochEnd(TrainingArguments args, TrainerState state, Control control) {}

    /** Each log entry (loss, learning_rate, grad_norm, epoch; or evaluation metrics). */
    default void onLog(TrainingArguments args, TrainerState state, Control control, Map<String, Object> logs) {}

    default void onEvaluate(TrainingArguments args, TrainerState state, Control control,
            Map<String, Double> metrics) {}

    default void onSave(TrainingArguments args, TrainerState state, Control control) {}

    default void onTrainEnd(TrainingArguments args, TrainerState state, Control control) {}
}
