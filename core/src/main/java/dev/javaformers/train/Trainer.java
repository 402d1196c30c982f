package dev.javaformers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.data.DataCollator;
import dev.javaformers.data.DataCollatorWithPadding;
import dev.javaformers.data.DataLoader;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.ModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Engines;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * transformers' {@code Trainer}: trains a model on a dataset with AdamW, a learning-rate schedule, gradient
 * accumulation and clipping; logs, evaluates and saves checkpoints at the intervals the arguments name; resumes
 * a run from a checkpoint exactly (dropout is re-seeded from the seed and step, so the loss curve is the same).
 * Ctrl-C stops after the current step and saves a checkpoint. The loop's steps are {@link TrainingLoop}'s.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, args).optTrainDataset(splits.split("train"))
 *         .optEvalDataset(splits.split("test")).optProcessingClass(tokenizer)
 *         .optComputeMetrics(Metrics::classification);
 * trainer.train();
 * }</pre>
 */
public class Trainer {

    private final PreTrainedModel<?> model;
    private final TrainingArguments args;
    private Dataset trainDataset;
    private Dataset evalDataset;
    private PreTrainedTokenizer tokenizer;
    private DataCollator collator;
    private Function<Metrics.EvalPrediction, Map<String, Double>> computeMetrics;
    private final List<TrainerCallback> callbacks = new ArrayList<>();
    private TrainerState state = new TrainerState();
    private TrainerCallback progress;

    public Trainer(PreTrainedModel<?> model, TrainingArguments args) {
        this.model = model;
        this.args = args.validate();
        optFrontend(Frontend.current());
    }

    /**
     * Where progress shows: a notebook's frontend gives a live display in place of the terminal's progress bar
     * (unless {@code disable_tqdm}). By default the frontend of the code that made the Trainer
     * ({@link Frontend#current()}).
     */
    public Trainer optFrontend(Frontend frontend) {
        callbacks.remove(progress);
        progress = args.disableTqdm ? null : frontend.trainingProgress();
        if (progress != null) {
            callbacks.add(0, progress);
        }
        return this;
    }

    public Trainer optTrainDataset(Dataset dataset) {
        this.trainDataset = dataset;
        return this;
    }

    public Trainer optEvalDataset(Dataset dataset) {
        this.evalDataset = dataset;
        return this;
    }

    /** The tokenizer (transformers' processing_class): saved with checkpoints, and pads batches. */
    public Trainer optProcessingClass(PreTrainedTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        return this;
    }

    public Trainer optDataCollator(DataCollator collator) {
        this.collator = collator;
        return this;
    }

    public Trainer optComputeMetrics(Function<Metrics.EvalPrediction, Map<String, Double>> computeMetrics) {
        this.computeMetrics = computeMetrics;
        return this;
    }

    public Trainer optCallbacks(TrainerCallback... more) {
        callbacks.addAll(List.of(more));
        return this;
    }

    public TrainerState state() {
        return state;
    }

    public PreTrainedModel<?> model() {
        return model;
    }

    /** transformers' set_seed: fixes the engine's random numbers (weight init, dropout). */
    public static void setSeed(long seed) {
        Engines.engine().setRandomSeed((int) seed);
    }

    /** What {@link #train} returns: the steps taken, the mean training loss, and the run's figures. */
    public record TrainOutput(int globalStep, double trainingLoss, Map<String, Double> metrics) {}

    /** Trains from the start. */
    public TrainOutput train() {
        return train(null);
    }

    /**
     * Trains, resuming from {@code resumeFromCheckpoint}: a checkpoint folder, or "last" for the newest one in
     * the output folder (null starts afresh). The steps are {@link TrainingLoop}'s.
     */
    public TrainOutput train(String resumeFromCheckpoint) {
        if (trainDataset == null) {
            throw new IllegalStateException("Trainer: no train_dataset given (optTrainDataset)");
        }
        dev.javaformers.nn.Engines.hintMallocSettings();
        TrainingLoop loop = new TrainingLoop(this, trainDataLoader(trainDataset), callbacks);
        state = loop.state();
        return loop.run(resolveCheckpoint(resumeFromCheckpoint));
    }

    /** The shuffled batches of the train set (the Seq2SeqTrainer may sort them by length). */
    protected DataLoader trainDataLoader(Dataset dataset) {
        return new DataLoader(dataset, args.perDeviceTrainBatchSize, collator()).optShuffle(true).optSeed(args.seed)
                .optDropLast(args.dataloaderDropLast);
    }

    TrainingArguments args() {
        return args;
    }

    static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** Adds a log entry to the history, to log_history.jsonl in the output folder, and to the callbacks. */
    void record(Map<String, Object> entry, TrainerCallback.Control control) {
        state.logHistory.add(entry);
        try {
            Files.createDirectories(args.outputPath());
            Files.writeString(args.outputPath().resolve("log_history.jsonl"),
                    PyJson.MAPPER.writeValueAsString(entry) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not append to " + args.outputPath().resolve("log_history.jsonl"), e);
        }
        callbacks.forEach(c -> c.onLog(args, state, control, entry));
    }

    private Map<String, Double> lastEval;
    private int lastEvalStep = -1;

    void evaluateDuringTraining(TrainerCallback.Control control) {
        if (evalDataset == null) {
            throw new IllegalStateException("eval_strategy is " + args.evalStrategy + " but no eval_dataset was given");
        }
        lastEval = evaluate(evalDataset, "eval", control);
        lastEvalStep = state.globalStep;
        model.train();
    }

    /** Saves checkpoint-N (model, tokenizer, optimizer, state), keeping the best and the save_total_limit newest. */
    void saveCheckpoint(AdamW optimizer, int warmup, int maxSteps, TrainerCallback.Control control) {
        Path target = args.outputPath().resolve(CheckpointIO.PREFIX + state.globalStep);
        String metric = args.bestMetric();
        if (metric != null && lastEval != null && lastEvalStep == state.globalStep && lastEval.get(metric) != null) {
            double value = lastEval.get(metric);
            boolean better = state.bestMetric == null || (args.greaterIsBetter() ? value > state.bestMetric
                    : value < state.bestMetric);
            if (better) {
                state.bestMetric = value;
                state.bestModelCheckpoint = target.toString();
            }
        }
        ObjectNode scheduler = PyJson.MAPPER.createObjectNode().put("type", args.lrSchedulerType)
                .put("last_epoch", state.globalStep).put("warmup_steps", warmup).put("total_steps", maxSteps);
        CheckpointIO.save(args.outputPath(), model, tokenizer, optimizer, state, args, scheduler);
        CheckpointIO.rotate(args.outputPath(), args.saveTotalLimit, state.bestModelCheckpoint);
        callbacks.forEach(c -> c.onSave(args, state, control));
    }

    /** Evaluates on the eval dataset: {@code eval_loss}, the computed metrics, runtime. */
    public Map<String, Double> evaluate() {
        if (evalDataset == null) {
            throw new IllegalStateException("Trainer: no eval_dataset given (optEvalDataset)");
        }
        return evaluate(evalDataset, "eval", new TrainerCallback.Control());
    }

    /** Evaluates on {@code dataset}, naming the metrics {@code prefix_...}. */
    public Map<String, Double> evaluate(Dataset dataset, String prefix, TrainerCallback.Control control) {
        // Without compute_metrics only the loss is kept, as transformers' prediction_loss_only (a language
        // model's logits over the vocabulary would not fit in memory).
        Map<String, Double> metrics = evaluationMetrics(dataset, prefix);
        Map<String, Object> entry = new LinkedHashMap<>(metrics);
        entry.put("epoch", round4(state.epoch));
        entry.put("step", state.globalStep);
        record(entry, control);
        callbacks.forEach(c -> c.onEvaluate(args, state, control, metrics));
        return metrics;
    }

    /** The metrics of one evaluation ({@code prefix_loss}, compute_metrics' ...); Seq2SeqTrainer adds its own. */
    protected Map<String, Double> evaluationMetrics(Dataset dataset, String prefix) {
        return predict(dataset, prefix, computeMetrics == null).metrics();
    }

    /** The tokenizer given with {@code optProcessingClass}, or null. */
    public PreTrainedTokenizer processingClass() {
        return tokenizer;
    }

    /** The collator batches are made with (the given one, or one padding with the tokenizer). */
    protected DataCollator dataCollator() {
        return collator();
    }

    /** Logits, labels and metrics for a dataset, as transformers' {@code PredictionOutput}. */
    public record PredictionOutput(float[][] predictions, long[] labelIds, Map<String, Double> metrics) {}

    public PredictionOutput predict(Dataset dataset) {
        return predict(dataset, "test", false);
    }

    /** The confusion matrix on {@code dataset}: rows the true class, columns the predicted one (argmax). */
    public long[][] confusionMatrix(Dataset dataset) {
        PredictionOutput p = predict(dataset);
        return Metrics.confusionMatrix(new Metrics.EvalPrediction(p.predictions(), p.labelIds()).argmax(),
                p.labelIds(), model.config().numLabels());
    }

    private PredictionOutput predict(Dataset dataset, String prefix, boolean lossOnly) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long start = System.nanoTime();
        DataLoader loader = new DataLoader(dataset, args.perDeviceEvalBatchSize, collator());
        List<float[]> rows = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        double lossSum = 0;
        int lossRows = 0;
        int samples = 0;
        try (NDManager scope = model.manager().newSubManager()) {
            for (DataLoader.Batch batch : loader.epoch(0, scope)) {
                try (batch) {
                    ModelOutput out = model.forward(batch.inputs());
                    samples += batch.size();
                    if (!lossOnly) {
                        NDArray logits = logitsOf(out);
                        long[] shape = logits.getShape().getShape();
                        float[] flat = logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                        int width = (int) (flat.length / shape[0]);
                        for (int i = 0; i < shape[0]; i++) {
                            rows.add(java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width));
                        }
                    }
                    NDArray y = lossOnly ? null : batch.inputs().get("labels");
                    if (y != null) {
                        for (long v : y.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()) {
                            labels.add(v);
                        }
                    }
                    if (out.loss() != null) {
                        lossSum += out.loss().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble()
                                * batch.size();
                        lossRows += batch.size();
                    }
                }
            }
        } finally {
            if (wasTraining) {
                model.train();
            }
        }
        float[][] predictions = rows.toArray(new float[0][]);
        long[] labelIds = labels.stream().mapToLong(Long::longValue).toArray();
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (lossRows > 0) {
            metrics.put(prefix + "_loss", lossSum / lossRows);
        }
        if (computeMetrics != null && labelIds.length == predictions.length) {
            computeMetrics.apply(new Metrics.EvalPrediction(predictions, labelIds))
                    .forEach((k, v) -> metrics.put(prefix + "_" + k, v));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.put(prefix + "_runtime", seconds);
        metrics.put(prefix + "_samples_per_second", samples / seconds);
        return new PredictionOutput(predictions, labelIds, metrics);
    }

    private static NDArray logitsOf(ModelOutput out) {
        if (out.logits() == null) {
            throw new IllegalStateException(out.getClass().getSimpleName() + " has no logits to evaluate: give the "
                    + "Trainer a model with a head (AutoModelForSequenceClassification, ...)");
        }
        return out.logits();
    }

    private DataCollator collator() {
        if (collator == null) {
            if (tokenizer == null) {
                throw new IllegalStateException("Trainer needs a data_collator or a processing_class (tokenizer) "
                        + "to pad batches");
            }
            collator = new DataCollatorWithPadding(tokenizer);
        }
        return collator;
    }

    private Path resolveCheckpoint(String spec) {
        if (spec == null || spec.equals("false")) {
            return null;
        }
        if (spec.equals("last") || spec.equals("true")) {
            List<Path> all = CheckpointIO.list(args.outputPath());
            if (all.isEmpty()) {
                throw new IllegalArgumentException("No valid checkpoint found in output directory (" + args.outputDir
                        + ")");
            }
            return all.get(all.size() - 1);
        }
        Path p = Path.of(spec);
        if (!Files.exists(p.resolve("trainer_state.json"))) {
            throw new IllegalArgumentException("Can't find a valid checkpoint at " + spec
                    + " (no trainer_state.json)");
        }
        return p;
    }

    static String lastCheckpoint(Path outputDir) {
        List<Path> all = CheckpointIO.list(outputDir);
        return all.isEmpty() ? "none" : all.get(all.size() - 1).toString();
    }
}
