package dev.javaformers.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.DataCollatorWithPadding;
import dev.javaformers.data.DataLoader;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.AdamW;
import dev.javaformers.train.Trainer;
import dev.javaformers.train.TrainingArguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainer issue's benchmark: training throughput of a bert-base-sized classifier at sequence length 128 on
 * the CPU, and the ratio of the Trainer's wall time to the forward + backward + optimizer ops alone on the same
 * batches (the overhead of our loop: data, collation, logging). Run with {@code scripts/bench train [steps]}.
 */
public final class TrainBench {

    private static final int BATCH = 8;
    private static final int TOKENS = 128;

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        Path cache = Files.createTempDirectory("bench-hub");
        Path out = Files.createTempDirectory("bench-train");
        try (PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true));
                PreTrainedModel<?> model = AutoModelForSequenceClassification.fromConfig(AutoConfig.forModel("bert",
                        Map.of("num_labels", 2)))) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < BATCH * (steps + 1); i++) {
                long[] ids = new long[TOKENS];
                for (int t = 0; t < TOKENS; t++) {
                    ids[t] = 1000 + (i * 31 + t * 7) % 20000;
                }
                rows.add(Map.of("input_ids", ids, "label", i % 2));
            }
            Dataset data = Dataset.fromTable(tech.tablesaw.api.Table.create("bench",
                    tech.tablesaw.api.IntColumn.create("label", rows.stream().mapToInt(r -> (Integer) r.get("label"))
                            .toArray()))).map(row -> Map.of("input_ids", rows.get(0).get("input_ids")));
            double opsSeconds;
            double[] breakdown;
            double floor;
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                floor = ModelBench.trainingMatmulFloor(m, (dev.javaformers.models.bert.BertConfig) AutoConfig.forModel(
                        "bert", Map.of()), steps, BATCH, TOKENS);
            }
            // the work alone first, on its own fresh model: one pre-collated batch, forward + backward + clip + AdamW
            try (PreTrainedModel<?> alone = AutoModelForSequenceClassification.fromConfig(AutoConfig.forModel("bert",
                    Map.of("num_labels", 2)))) {
                var named = alone.namedParameters();
                named.values().forEach(p -> p.array().setRequiresGradient(true));
                AdamW optimizer = new AdamW(alone, 0.9, 0.999, 1e-8, 0.0);
                alone.train();
                try (NDManager manager = alone.manager().newSubManager()) {
                    DataLoader loader = new DataLoader(data, BATCH, new DataCollatorWithPadding(tokenizer));
                    DataLoader.Batch batch = loader.epoch(0, manager).iterator().next();
                    double[][] phases = new double[5][steps]; // forward, backward, clip, AdamW, zero_grad
                    double[] totals = new double[steps];
                    for (int s = -1; s < steps; s++) { // step -1 warms up
                        try (NDManager scope = manager.newSubManager()) {
                            Map<String, NDArray> inputs = Bench.copiesIn(scope, batch.inputs());
                            long t0 = System.nanoTime();
                            long t1;
                            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                                NDArray loss = alone.forward(inputs).loss();
                                loss.getFloat(); // waits for the forward
                                t1 = System.nanoTime();
                                collector.backward(loss);
                            }
                            long t2 = System.nanoTime();
                            optimizer.clipGradNorm(1.0);
                            long t3 = System.nanoTime();
                            optimizer.step(5e-5);
                            long t4 = System.nanoTime();
                            optimizer.zeroGrad();
                            long t5 = System.nanoTime();
                            if (s >= 0) {
                                long[] t = {t0, t1, t2, t3, t4, t5};
                                for (int i = 0; i < 5; i++) {
                                    phases[i][s] = (t[i + 1] - t[i]) / 1e9;
                                }
                                totals[s] = (t5 - t0) / 1e9;
                            }
                        }
                    }
                    opsSeconds = Bench.median(totals) * steps;
                    breakdown = new double[5];
                    for (int i = 0; i < 5; i++) {
                        breakdown[i] = Bench.median(phases[i]);
                    }
                }
            }
            TrainingArguments a = TrainingArguments.of(Map.of("output_dir", out.toString(), "max_steps", steps + 1,
                    "per_device_train_batch_size", BATCH, "save_strategy", "no", "logging_steps", 1,
                    "disable_tqdm", true));
            // the Trainer: its first step is the warm-up, so steps 2..n+1 are timed through the callback clock
            long[] stamps = new long[steps + 2];
            Trainer trainer = new Trainer(model, a).optTrainDataset(data).optProcessingClass(tokenizer)
                    .optCallbacks(new dev.javaformers.train.TrainerCallback() {
                        @Override
                        public void onStepEnd(TrainingArguments x, dev.javaformers.train.TrainerState s,
                                Control c) {
                            stamps[s.globalStep] = System.nanoTime();
                        }
                    });
            trainer.train();
            double trainerSeconds = (stamps[steps + 1] - stamps[1]) / 1e9;
            {
                System.out.printf("bert-base classifier, batch %d x %d tokens, %d steps (after one warm-up step)%n",
                        BATCH, TOKENS, steps);
                System.out.printf("Trainer:                     %.2f s/step, %.2f samples/s%n", trainerSeconds / steps,
                        BATCH * steps / trainerSeconds);
                System.out.printf("forward+backward+AdamW only: %.2f s/step (median)%n", opsSeconds / steps);
                System.out.printf("overhead of the loop: %.1f%% (goal under 10%%)%n",
                        100 * (trainerSeconds / opsSeconds - 1));
                System.out.printf("forward+backward matmuls alone: %.2f s: the step is %.2fx its matmul floor (goal 1.3x)%n",
                        floor, opsSeconds / steps / floor);
                String[] names = {"forward", "backward", "clip_grad_norm", "AdamW step", "zero_grad"};
                for (int i = 0; i < 5; i++) {
                    System.out.printf("  %-15s %.3f s%n", names[i], breakdown[i]);
                }
            }
        }
    }
}
