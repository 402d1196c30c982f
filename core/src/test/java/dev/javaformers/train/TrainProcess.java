package dev.javaformers.train;

import dev.javaformers.data.Dataset;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A training run in its own JVM, for the tests that kill or interrupt it:
 * {@code TrainProcess CACHE MODEL_DIR OUTPUT_DIR [resume]}. It prints "step N" after each step.
 */
public final class TrainProcess {

    public static void main(String[] args) {
        try (PreTrainedTokenizer tokenizer = TrainFixtures.tokenizer(Path.of(args[0]));
                PreTrainedModel<?> model = TrainFixtures.load(Path.of(args[1]))) {
            Dataset train = TrainFixtures.sentences(tokenizer, 96);
            TrainingArguments a = TrainingArguments.of(Map.of("output_dir", args[2], "per_device_train_batch_size", 8,
                    "learning_rate", 1e-3, "logging_steps", 1, "save_steps", 2, "seed", 42, "disable_tqdm", true,
                    "num_train_epochs", 1));
            Trainer trainer = new Trainer(model, a).optTrainDataset(train).optProcessingClass(tokenizer)
                    .optCallbacks(new TrainerCallback() {
                        @Override
                        public void onStepEnd(TrainingArguments x, TrainerState s, Control c) {
                            System.out.println("step " + s.globalStep);
                            System.out.flush();
                            if (Boolean.getBoolean("slowSteps")) {
                                try {
                                    Thread.sleep(300);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }
                    });
            Trainer.TrainOutput out = trainer.train(args.length > 3 ? args[3] : null);
            System.out.println("done " + out.globalStep());
        }
    }
}
