package dev.javaformers.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.data.DataCollatorWithPadding;
import dev.javaformers.data.DataLoader;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.ModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import dev.javaformers.weights.Safetensors;
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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * transformers' {@code Trainer}: trains a model on a dataset with AdamW, a learning-rate schedule, gradient
 * accumulation and clipping; logs, evaluates and saves checkpoints at the intervals the arguments name; resumes
 * a run from a checkpoint exactly (dropout is re-seeded from the seed and step, so the loss curve is the same).
 * Ctrl-C stops after the current step and saves a checkpoint.
 *
 * <pre>{@code
 * Trainer trainer = new Trainer(model, args).optTrainDataset(splits.split("train"))
 *         .optEvalDataset(splits.split("test")).optProcessingClass(tokenizer)
 *         .optComputeMetrics(Metrics::classification);
 * trainer.train();
 * }</pre>
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final PreTrainedModel<?> model;
    private final TrainingArguments args;
    private Dataset trainDataset;
    private Dataset evalDataset;
    private PreTrainedTokenizer tokenizer;
    private DataCollatorWithPadding collator;
    private Function<Metrics.EvalPrediction, Map<String, Double>> computeMetrics;
    private final List<TrainerCallback> callbacks = new ArrayList<>();
    private TrainerState state = new TrainerState();
    private volatile boolean interrupted;

    public Trainer(PreTrainedModel<?> model, TrainingArguments args) {
        this.model = model;
        this.args = args.validate();
        Supplier<TrainerCallback> progress = notebookProgress;
        if (progress != null && !this.args.disableTqdm) {
            callbacks.add(progress.get());
        }
    }

    private static volatile Supplier<TrainerCallback> notebookProgress;

    /**
     * The progress display every new Trainer gets in a notebook, in place of the terminal's progress bar (as
     * transformers picks NotebookProgressCallback under IPython). The Jupyter kernel sets it; null removes it.
     */
    public static void setNotebookProgress(Supplier<TrainerCallback> factory) {
        notebookProgress = factory;
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

    public Trainer optDataCollator(DataCollatorWithPadding collator) {
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
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    }

    /** What {@link #train} returns: the steps taken, the mean training loss, and the run's figures. */
    public record TrainOutput(int globalStep, double trainingLoss, Map<String, Double> metrics) {}

    /** Trains from the start. */
    public TrainOutput train() {
        return train(null);
    }

    /**
     * Trains, resuming from {@code resumeFromCheckpoint}: a checkpoint folder, or "last" for the newest one in
     * the output folder (null starts afresh).
     */
    public TrainOutput train(String resumeFromCheckpoint) {
        if (trainDataset == null) {
            throw new IllegalStateException("Trainer: no train_dataset given (optTrainDataset)");
        }
        DataCollatorWithPadding batches = collator();
        DataLoader loader = new DataLoader(trainDataset, args.perDeviceTrainBatchSize, batches).optShuffle(true)
                .optSeed(args.seed).optDropLast(args.dataloaderDropLast);
        int updatesPerEpoch = Math.max(loader.numBatches() / args.gradientAccumulationSteps, 1);
        int maxSteps = args.maxSteps > 0 ? args.maxSteps : (int) Math.ceil(args.numTrainEpochs * updatesPerEpoch);
        int epochs = args.maxSteps > 0 ? (int) Math.ceil((double) maxSteps / updatesPerEpoch)
                : (int) Math.ceil(args.numTrainEpochs);
        int warmup = args.warmupSteps > 0 ? args.warmupSteps : (int) Math.ceil(args.warmupRatio * maxSteps);

        Map<String, Parameter> named = model.namedParameters();
        named.values().forEach(p -> p.array().setRequiresGradient(true));
        AdamW optimizer = new AdamW(named, args.adamBeta1, args.adamBeta2, args.adamEpsilon, args.weightDecay);
        state = new TrainerState();
        state.maxSteps = maxSteps;
        state.numTrainEpochs = epochs;
        state.trainBatchSize = args.perDeviceTrainBatchSize;
        state.loggingSteps = args.loggingSteps;
        state.evalSteps = args.evalSteps();
        state.saveSteps = args.saveSteps;
        CheckpointIO.removeStaging(args.outputPath()); // leftovers of a save that a killed process left half-done
        Path checkpoint = resolveCheckpoint(resumeFromCheckpoint);
        if (checkpoint != null) {
            CheckpointIO.loadModel(checkpoint, model);
            optimizer.loadStateDict(Safetensors.read(checkpoint.resolve("optimizer.safetensors")), model.manager());
            TrainerState saved = TrainerState.load(checkpoint.resolve("trainer_state.json"));
            state.globalStep = saved.globalStep;
            state.epoch = saved.epoch;
            state.bestMetric = saved.bestMetric;
            state.bestModelCheckpoint = saved.bestModelCheckpoint;
            state.logHistory.addAll(saved.logHistory);
            LOG.info("Resuming from {} at step {}", checkpoint, state.globalStep);
        }
        int firstEpoch = state.globalStep / updatesPerEpoch;
        int batchesToSkip = (state.globalStep % updatesPerEpoch) * args.gradientAccumulationSteps;

        TrainerCallback.Control control = new TrainerCallback.Control();
        callbacks.forEach(c -> c.onTrainBegin(args, state, control));
        model.train();
        ProgressBar bar = new ProgressBar(maxSteps, args.disableTqdm);
        interrupted = false;
        Object previousHandler = installInterruptHandler();
        long start = System.nanoTime();
        double lossSinceLog = 0;
        int stepsSinceLog = 0;
        double lossTotal = 0;
        int stepsTotal = 0;
        double gradNorm = 0;
        boolean stop = state.globalStep >= maxSteps;
        try (NDManager steps = model.manager().newSubManager()) {
            for (int epoch = firstEpoch; epoch < epochs && !stop; epoch++) {
                int batchIndex = 0;
                int micro = 0;
                double accumulated = 0;
                for (DataLoader.Batch batch : loader.epoch(epoch, steps)) {
                    try (batch) {
                        if (epoch == firstEpoch && batchIndex < batchesToSkip) {
                            batchIndex++;
                            continue;
                        }
                        setSeed(args.seed * 1_000_003L + (long) state.globalStep * 64 + micro);
                        double loss;
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            ModelOutput out = model.forward(batch.inputs());
                            if (out.loss() == null) {
                                throw new IllegalStateException("The model returned no loss: the batches need "
                                        + "labels (a 'label' or 'labels' column)");
                            }
                            NDArray scaled = Tensors.div(out.loss(), args.gradientAccumulationSteps);
                            collector.backward(scaled);
                            loss = out.loss().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
                        }
                        if (!Double.isFinite(loss)) {
                            throw new TrainingDivergedException("The training loss is " + loss + " at step "
                                    + (state.globalStep + 1) + " (epoch " + epoch + "). Training stopped; nothing "
                                    + "was saved from this state"
                                    + (CheckpointIO.list(args.outputPath()).isEmpty() ? "."
                                    : ", and the last checkpoint, " + last(args.outputPath()) + ", is intact.")
                                    + " Try a lower learning rate or max_grad_norm.");
                        }
                        accumulated += loss;
                        micro++;
                        batchIndex++;
                        boolean endOfEpoch = batchIndex == loader.numBatches();
                        if (micro % args.gradientAccumulationSteps != 0 && !endOfEpoch) {
                            continue;
                        }
                        gradNorm = optimizer.clipGradNorm(args.maxGradNorm);
                        if (!Double.isFinite(gradNorm)) {
                            throw new TrainingDivergedException("The gradient of " + optimizer.nonFiniteGradient()
                                    + " is not finite at step " + (state.globalStep + 1) + " (epoch " + epoch
                                    + "); training stopped before the update, and nothing was saved from this state.");
                        }
                        double lr = args.learningRate * LrSchedule.factor(args.lrSchedulerType, state.globalStep,
                                warmup, maxSteps);
                        optimizer.step(lr);
                        optimizer.zeroGrad();
                        double stepLoss = accumulated / micro;
                        accumulated = 0;
                        micro = 0;
                        state.globalStep++;
                        state.epoch = epoch + (double) batchIndex / loader.numBatches();
                        lossSinceLog += stepLoss;
                        stepsSinceLog++;
                        lossTotal += stepLoss;
                        stepsTotal++;
                        bar.update(state.globalStep, stepLoss);
                        callbacks.forEach(c -> c.onStepEnd(args, state, control));

                        if (due(args.loggingStrategy, args.loggingSteps)) {
                            logTraining(lossSinceLog / stepsSinceLog, gradNorm, warmup, maxSteps, control);
                            lossSinceLog = 0;
                            stepsSinceLog = 0;
                        }
                        if (due(args.evalStrategy, args.evalSteps()) || control.shouldEvaluate) {
                            control.shouldEvaluate = false;
                            evaluateDuringTraining(control);
                        }
                        boolean reachedEnd = state.globalStep >= maxSteps;
                        // a notebook's interrupt button (and Thread.interrupt) stops as Ctrl-C does; the flag is
                        // cleared, so that the checkpoint's file channels are not closed by it
                        interrupted |= Thread.interrupted();
                        boolean stopNow = interrupted || control.shouldTrainingStop || reachedEnd;
                        // as transformers' DefaultFlowCallback: the steps strategy also saves at the last step
                        if (due(args.saveStrategy, args.saveSteps) || control.shouldSave || interrupted
                                || (reachedEnd && args.saveStrategy == TrainingArguments.IntervalStrategy.STEPS)) {
                            control.shouldSave = false;
                            save(optimizer, warmup, maxSteps, control);
                        }
                        if (stopNow) {
                            if (interrupted) {
                                LOG.warn("Interrupted: stopped after step {} and saved a checkpoint", state.globalStep);
                            }
                            stop = true;
                            break;
                        }
                    }
                }
                if (interrupted) {
                    break;
                }
                if (batchIndex == loader.numBatches()) {
                    state.epoch = epoch + 1;
                }
                callbacks.forEach(c -> c.onEpochEnd(args, state, control));
                if (args.loggingStrategy == TrainingArguments.IntervalStrategy.EPOCH && stepsSinceLog > 0) {
                    logTraining(lossSinceLog / stepsSinceLog, gradNorm, warmup, maxSteps, control);
                    lossSinceLog = 0;
                    stepsSinceLog = 0;
                }
                if (args.evalStrategy == TrainingArguments.IntervalStrategy.EPOCH) {
                    evaluateDuringTraining(control);
                }
                if (args.saveStrategy == TrainingArguments.IntervalStrategy.EPOCH) {
                    save(optimizer, warmup, maxSteps, control);
                }
                if (control.shouldTrainingStop) {
                    break;
                }
            }
        } finally {
            bar.close();
            restoreInterruptHandler(previousHandler);
            named.values().forEach(p -> p.array().setRequiresGradient(false));
            model.eval();
        }
        if (args.loadBestModelAtEnd && state.bestModelCheckpoint != null) {
            LOG.info("Loading the best model from {} (score {})", state.bestModelCheckpoint, state.bestMetric);
            CheckpointIO.loadModel(Path.of(state.bestModelCheckpoint), model);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("train_runtime", seconds);
        metrics.put("train_samples_per_second", stepsTotal * (double) args.perDeviceTrainBatchSize
                * args.gradientAccumulationSteps / seconds);
        metrics.put("train_steps_per_second", stepsTotal / seconds);
        double trainLoss = stepsTotal == 0 ? 0 : lossTotal / stepsTotal;
        metrics.put("train_loss", trainLoss);
        metrics.put("epoch", state.epoch);
        Map<String, Object> summary = new LinkedHashMap<>(metrics);
        summary.put("step", state.globalStep);
        record(summary, control);
        callbacks.forEach(c -> c.onTrainEnd(args, state, control));
        return new TrainOutput(state.globalStep, trainLoss, metrics);
    }

    private boolean due(TrainingArguments.IntervalStrategy strategy, double every) {
        if (strategy != TrainingArguments.IntervalStrategy.STEPS || every <= 0) {
            return false;
        }
        long interval = every < 1 ? Math.max(1, (long) Math.ceil(every * state.maxSteps)) : (long) every;
        return state.globalStep % interval == 0;
    }

    private void logTraining(double loss, double gradNorm, int warmup, int maxSteps, TrainerCallback.Control control) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("loss", round4(loss));
        entry.put("grad_norm", gradNorm);
        entry.put("learning_rate", args.learningRate * LrSchedule.factor(args.lrSchedulerType, state.globalStep,
                warmup, maxSteps));
        entry.put("epoch", round4(state.epoch));
        entry.put("step", state.globalStep);
        record(entry, control);
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** Adds a log entry to the history, to log_history.jsonl in the output folder, and to the callbacks. */
    private void record(Map<String, Object> entry, TrainerCallback.Control control) {
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

    private void evaluateDuringTraining(TrainerCallback.Control control) {
        if (evalDataset == null) {
            throw new IllegalStateException("eval_strategy is " + args.evalStrategy + " but no eval_dataset was given");
        }
        lastEval = evaluate(evalDataset, "eval", control);
        lastEvalStep = state.globalStep;
        model.train();
    }

    private void save(AdamW optimizer, int warmup, int maxSteps, TrainerCallback.Control control) {
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
        PredictionOutput out = predict(dataset, prefix);
        Map<String, Object> entry = new LinkedHashMap<>(out.metrics());
        entry.put("epoch", round4(state.epoch));
        entry.put("step", state.globalStep);
        record(entry, control);
        callbacks.forEach(c -> c.onEvaluate(args, state, control, out.metrics()));
        return out.metrics();
    }

    /** Logits, labels and metrics for a dataset, as transformers' {@code PredictionOutput}. */
    public record PredictionOutput(float[][] predictions, long[] labelIds, Map<String, Double> metrics) {}

    public PredictionOutput predict(Dataset dataset) {
        return predict(dataset, "test");
    }

    private PredictionOutput predict(Dataset dataset, String prefix) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long start = System.nanoTime();
        DataLoader loader = new DataLoader(dataset, args.perDeviceEvalBatchSize, collator());
        List<float[]> rows = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        double lossSum = 0;
        int lossRows = 0;
        try (NDManager scope = model.manager().newSubManager()) {
            for (DataLoader.Batch batch : loader.epoch(0, scope)) {
                try (batch) {
                    ModelOutput out = model.forward(batch.inputs());
                    NDArray logits = logitsOf(out);
                    long[] shape = logits.getShape().getShape();
                    float[] flat = logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                    int width = (int) (flat.length / shape[0]);
                    for (int i = 0; i < shape[0]; i++) {
                        rows.add(java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width));
                    }
                    NDArray y = batch.inputs().get("labels");
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
        metrics.put(prefix + "_samples_per_second", predictions.length / seconds);
        return new PredictionOutput(predictions, labelIds, metrics);
    }

    private static NDArray logitsOf(ModelOutput out) {
        if (out.logits() == null) {
            throw new IllegalStateException(out.getClass().getSimpleName() + " has no logits to evaluate: give the "
                    + "Trainer a model with a head (AutoModelForSequenceClassification, ...)");
        }
        return out.logits();
    }

    private DataCollatorWithPadding collator() {
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

    private static String last(Path outputDir) {
        List<Path> all = CheckpointIO.list(outputDir);
        return all.isEmpty() ? "none" : all.get(all.size() - 1).toString();
    }

    @SuppressWarnings("removal")
    private Object installInterruptHandler() {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> interrupted = true);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null; // no signals here (e.g. an embedded JVM); Ctrl-C then ends the process
        }
    }

    @SuppressWarnings("removal")
    private static void restoreInterruptHandler(Object previous) {
        if (previous instanceof sun.misc.SignalHandler handler) {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
        }
    }
}
