package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.data.Dataset;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    static PreTrainedTokenizer tokenizer;
    static Dataset train;
    static Dataset eval;
    static Path initial;

    @BeforeAll
    static void setUp() throws Exception {
        tokenizer = TrainFixtures.tokenizer(shared.resolve("cache"));
        train = TrainFixtures.sentences(tokenizer, 96);
        eval = dev.javaformers.data.Datasets.builtin("sentiment-sentences").shuffle(2).selectRange(0, 40)
                .map(tokenizer, "text", Map.of("truncation", true, "max_length", 32));
        initial = TrainFixtures.smallModel(shared.resolve("initial"), 7);
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
    }

    private TrainingArguments args(Path out, Object... more) {
        Map<String, Object> m = new HashMap<>(Map.of("output_dir", out.toString(), "per_device_train_batch_size", 8,
                "learning_rate", 1e-3, "logging_steps", 1, "save_steps", 4, "seed", 42, "disable_tqdm", true,
                "num_train_epochs", 1));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return TrainingArguments.of(m);
    }

    private List<Double> run(Path out, String resume, Object... more) {
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            Trainer trainer = new Trainer(model, args(out, more)).optTrainDataset(train).optProcessingClass(tokenizer);
            trainer.train(resume);
            return trainer.state().losses();
        }
    }

    @Test
    void trainsLogsAndSavesCheckpointsAsTransformers() throws Exception {
        Path out = tmp.resolve("run");
        List<Double> losses = run(out, null, "num_train_epochs", 2, "save_total_limit", 2);
        assertEquals(24, losses.size(), "96 rows / batch 8 = 12 steps an epoch, 2 epochs, logged every step");
        double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
        double last = (losses.get(21) + losses.get(22) + losses.get(23)) / 3;
        assertTrue(last < first, "loss falls: " + losses);
        assertEquals(List.of("checkpoint-20", "checkpoint-24"), CheckpointIO.list(out).stream()
                .map(p -> p.getFileName().toString()).toList(), "save_total_limit keeps the newest two");
        Path checkpoint = out.resolve("checkpoint-24");
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "optimizer.safetensors", "scheduler.json", "rng_state.json",
                "training_args.json", "trainer_state.json")) {
            assertTrue(Files.exists(checkpoint.resolve(file)), file);
        }
        var state = PyJson.read(checkpoint.resolve("trainer_state.json"));
        assertEquals(24, state.get("global_step").asInt());
        assertEquals(2.0, state.get("epoch").asDouble());
        var firstLog = state.get("log_history").get(0);
        assertTrue(firstLog.has("loss") && firstLog.has("learning_rate") && firstLog.has("grad_norm")
                && firstLog.get("step").asInt() == 1, firstLog.toString());
        assertEquals(25, Files.readAllLines(out.resolve("log_history.jsonl")).size(), "24 logs and the summary");
        assertEquals(1e-3 * 23 / 24, state.get("log_history").get(0).get("learning_rate").asDouble(), 1e-12,
                "linear decay from the peak, no warmup");
    }

    @Test
    void trainingLeavesNoArraysBehind() {
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            int params = (int) model.namedParameters().values().stream().distinct().count();
            new Trainer(model, args(tmp.resolve("leak"), "save_strategy", "no")).optTrainDataset(train)
                    .optProcessingClass(tokenizer).train();
            int arrays = model.manager().getManagedArrays().size();
            assertTrue(arrays <= 3 * params + 8, "after 12 steps the model's manager holds " + arrays
                    + " arrays for " + params + " parameters (weights and two Adam moments each)");
        }
    }

    /** Without dropout, batches of 4 accumulated twice follow batches of 8: the same rows, the same gradients. */
    @Test
    void gradientAccumulationMatchesTheLargerBatch() throws Exception {
        Path plain = tmp.resolve("no-dropout");
        try (PreTrainedModel<?> m = dev.javaformers.models.AutoModelForSequenceClassification.fromPretrained(
                initial.toString(), Map.of("hidden_dropout_prob", 0.0, "attention_probs_dropout_prob", 0.0))) {
            m.save(plain);
        }
        List<List<Double>> runs = new java.util.ArrayList<>();
        for (Object[] shape : new Object[][] {{8, 1}, {4, 2}}) {
            try (PreTrainedModel<?> model = TrainFixtures.load(plain)) {
                Trainer trainer = new Trainer(model, args(tmp.resolve("acc" + shape[0]), "per_device_train_batch_size",
                        shape[0], "gradient_accumulation_steps", shape[1], "save_strategy", "no"))
                        .optTrainDataset(train).optProcessingClass(tokenizer);
                trainer.train();
                runs.add(trainer.state().losses());
            }
        }
        assertEquals(12, runs.get(1).size(), "12 optimizer steps either way");
        for (int i = 0; i < 12; i++) {
            assertEquals(runs.get(0).get(i), runs.get(1).get(i), 2e-4, "step " + (i + 1));
        }
    }

    @Test
    void sameSeedSameLossHistory() {
        assertEquals(run(tmp.resolve("a"), null), run(tmp.resolve("b"), null));
    }

    /** A notebook's interrupt button interrupts the training thread: the step ends, a checkpoint is saved. */
    @Test
    void threadInterruptStopsAfterTheStepAndSavesThroughTheNotebookProgressHook() {
        Path out = tmp.resolve("interrupted");
        List<String> seen = new java.util.ArrayList<>();
        Frontend notebook = new Frontend() {
            @Override
            public TrainerCallback trainingProgress() {
                return new TrainerCallback() {
                    @Override
                    public void onStepEnd(TrainingArguments a, TrainerState s, Control c) {
                        seen.add("step " + s.globalStep);
                        if (s.globalStep == 3) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
            }

            @Override
            public boolean show(Object value) {
                return false;
            }
        };
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            Trainer trainer = Frontend.runWith(notebook, () -> new Trainer(model, args(out, "disable_tqdm", false))
                    .optTrainDataset(train).optProcessingClass(tokenizer));
            assertSame(Frontend.TERMINAL, Frontend.current(), "the frontend is the cell's only");
            trainer.train();
            assertEquals(3, trainer.state().globalStep);
        }
        assertEquals(List.of("step 1", "step 2", "step 3"), seen);
        assertTrue(Files.exists(out.resolve("checkpoint-3/model.safetensors")), "saved at the interrupt");
        assertTrue(!Thread.currentThread().isInterrupted(), "the interrupt was taken, not left set");
    }

    @Test
    void resumingContinuesTheSameRun() {
        List<Double> whole = run(tmp.resolve("whole"), null);
        Path out = tmp.resolve("resumed");
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            new Trainer(model, args(out)).optTrainDataset(train).optProcessingClass(tokenizer)
                    .optCallbacks(new TrainerCallback() { // the run is cut short after step 8, as by a crash
                        @Override
                        public void onStepEnd(TrainingArguments a, TrainerState s, Control c) {
                            c.shouldTrainingStop = s.globalStep == 8;
                        }
                    }).train();
        }
        assertTrue(Files.exists(out.resolve("checkpoint-8")));
        List<Double> resumed = run(out, out.resolve("checkpoint-8").toString());
        assertEquals(whole, resumed, "steps 9-12 after resuming equal the uninterrupted run's");
        assertEquals(12, resumed.size(), "the resumed history continues the saved one");
        try {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("whole/checkpoint-12/model.safetensors")),
                    Files.readAllBytes(out.resolve("checkpoint-12/model.safetensors"))),
                    "the final weights are bit for bit those of the uninterrupted run");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void evaluationBestModelAndEarlyStopping() throws Exception {
        Path out = tmp.resolve("eval");
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            List<Map<String, Double>> seen = new java.util.ArrayList<>();
            Trainer trainer = new Trainer(model, args(out, "num_train_epochs", 6, "eval_strategy", "epoch",
                    "save_strategy", "epoch", "load_best_model_at_end", true, "metric_for_best_model", "accuracy",
                    "learning_rate", 0.5, "save_total_limit", 1))
                    .optTrainDataset(train).optEvalDataset(eval).optProcessingClass(tokenizer)
                    .optComputeMetrics(Metrics::classification)
                    .optCallbacks(new EarlyStoppingCallback(1), new TrainerCallback() {
                        @Override
                        public void onEvaluate(TrainingArguments a, TrainerState s, Control c, Map<String, Double> m) {
                            seen.add(m);
                        }
                    });
            trainer.train();
            assertTrue(seen.size() < 6, "early stopping ended the run after " + seen.size() + " evaluations");
            assertTrue(seen.get(0).containsKey("eval_accuracy") && seen.get(0).containsKey("eval_f1")
                    && seen.get(0).containsKey("eval_loss"), seen.get(0).toString());
            String best = trainer.state().bestModelCheckpoint;
            assertNotNull(best);
            double bestAccuracy = seen.stream().mapToDouble(m -> m.get("eval_accuracy")).max().orElseThrow();
            assertEquals(bestAccuracy, trainer.state().bestMetric);
            assertTrue(Files.exists(Path.of(best)), "save_total_limit=1 never deletes the best checkpoint");
            assertEquals(bestAccuracy, trainer.evaluate().get("eval_accuracy"), 1e-9,
                    "load_best_model_at_end restored the best weights");
            Trainer.PredictionOutput predictions = trainer.predict(eval);
            assertEquals(40, predictions.predictions().length);
            assertTrue(predictions.metrics().containsKey("test_accuracy"));
        }
    }

    @Test
    void nanLossStopsWithTheStep() throws Exception {
        Path out = tmp.resolve("nan");
        run(out, null, "max_steps", 4);
        try (PreTrainedModel<?> model = TrainFixtures.load(initial)) {
            Trainer trainer = new Trainer(model, args(out, "learning_rate", Double.NaN, "max_steps", 12))
                    .optTrainDataset(train).optProcessingClass(tokenizer);
            var e = assertThrows(TrainingDivergedException.class, () -> trainer.train());
            assertTrue(e.getMessage().contains("at step 2") && e.getMessage().contains("checkpoint-4"),
                    e.getMessage());
        }
        assertEquals(List.of("checkpoint-4"), CheckpointIO.list(out).stream().map(p -> p.getFileName().toString())
                .toList(), "nothing was saved from the diverged state");
        assertFalse(Files.exists(out.resolve("checkpoint-1")));
    }
}
