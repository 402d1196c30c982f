package dev.javaformers.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.javaformers.data.DataLoader;
import dev.javaformers.models.ModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Engines;
import dev.javaformers.nn.Parameter;
import dev.javaformers.nn.Tensors;
import dev.javaformers.weights.Safetensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of {@link Trainer#train}, in named steps: the plan (steps, epochs, warm-up), {@link #resume} from a
 * checkpoint, then per batch {@link #forwardBackward}, per accumulated group {@link #optimizationStep}, and after
 * each step and epoch the policy that logs, evaluates, saves and stops ({@link #afterStep}, {@link #afterEpoch}),
 * as transformers' training loop and DefaultFlowCallback do; {@link #finish} reports the run.
 */
final class TrainingLoop {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final Trainer trainer;
    private final TrainingArguments args;
    private final PreTrainedModel<?> model;
    private final List<TrainerCallback> callbacks;
    private final DataLoader loader;
    private final int updatesPerEpoch;
    private final int maxSteps;
    private final int epochs;
    private final int warmup;
    private final Map<String, Parameter> parameters;
    private final AdamW optimizer;
    private final TrainerState state = new TrainerState();
    private final TrainerCallback.Control control = new TrainerCallback.Control();
    private volatile boolean interrupted;

    private double lossSinceLog;
    private int stepsSinceLog;
    private double lossTotal;
    private int stepsTotal;
    private double gradNorm;
    private double accumulated;
    private int micro;

    TrainingLoop(Trainer trainer, DataLoader loader, List<TrainerCallback> callbacks) {
        this.trainer = trainer;
        this.args = trainer.args();
        this.model = trainer.model();
        this.callbacks = callbacks;
        this.loader = loader;
        updatesPerEpoch = Math.max(loader.numBatches() / args.gradientAccumulationSteps, 1);
        maxSteps = args.maxSteps > 0 ? args.maxSteps : (int) Math.ceil(args.numTrainEpochs * updatesPerEpoch);
        epochs = args.maxSteps > 0 ? (int) Math.ceil((double) maxSteps / updatesPerEpoch)
                : (int) Math.ceil(args.numTrainEpochs);
        warmup = args.warmupSteps > 0 ? args.warmupSteps : (int) Math.ceil(args.warmupRatio * maxSteps);
        parameters = model.namedParameters();
        parameters.values().forEach(p -> p.array().setRequiresGradient(true));
        optimizer = new AdamW(model, args.adamBeta1, args.adamBeta2, args.adamEpsilon, args.weightDecay);
        state.maxSteps = maxSteps;
        state.numTrainEpochs = epochs;
        state.trainBatchSize = args.perDeviceTrainBatchSize;
        state.loggingSteps = args.loggingSteps;
        state.evalSteps = args.evalSteps();
        state.saveSteps = args.saveSteps;
    }

    TrainerState state() {
        return state;
    }

    /** Trains from {@code checkpoint} (null: from the start) to the end, a stop, or an interrupt. */
    Trainer.TrainOutput run(Path checkpoint) {
        resume(checkpoint);
        int firstEpoch = state.globalStep / updatesPerEpoch;
        int batchesToSkip = (state.globalStep % updatesPerEpoch) * args.gradientAccumulationSteps;
        callbacks.forEach(c -> c.onTrainBegin(args, state, control));
        model.train();
        ProgressBar bar = new ProgressBar(maxSteps, args.disableTqdm);
        Object previousHandler = installInterruptHandler();
        long start = System.nanoTime();
        boolean stop = state.globalStep >= maxSteps;
        try (NDManager steps = model.manager().newSubManager()) {
            for (int epoch = firstEpoch; epoch < epochs && !stop; epoch++) {
                int batchIndex = 0;
                micro = 0;
                accumulated = 0;
                for (DataLoader.Batch batch : loader.epoch(epoch, steps)) {
                    try (batch) {
                        if (epoch == firstEpoch && batchIndex < batchesToSkip) {
                            batchIndex++;
                            continue;
                        }
                        accumulated += forwardBackward(batch, epoch);
                        micro++;
                        batchIndex++;
                        boolean endOfEpoch = batchIndex == loader.numBatches();
                        if (micro % args.gradientAccumulationSteps != 0 && !endOfEpoch) {
                            continue;
                        }
                        double stepLoss = optimizationStep(epoch);
                        state.epoch = epoch + (double) batchIndex / loader.numBatches();
                        bar.update(state.globalStep, stepLoss);
                        if (afterStep(stepLoss)) {
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
                if (afterEpoch()) {
                    break;
                }
            }
        } finally {
            bar.close();
            restoreInterruptHandler(previousHandler);
            parameters.values().forEach(p -> p.array().setRequiresGradient(false));
            model.eval();
        }
        return finish(start);
    }

    /** Loads the model, optimizer and state of a checkpoint, so that the run goes on as if never stopped. */
    private void resume(Path checkpoint) {
        CheckpointIO.removeStaging(args.outputPath()); // leftovers of a save that a killed process left half-done
        if (checkpoint == null) {
            return;
        }
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

    /** One micro-batch: dropout seeded from the step (so a resumed run repeats it), the loss, its gradients. */
    private double forwardBackward(DataLoader.Batch batch, int epoch) {
        Trainer.setSeed(args.seed * 1_000_003L + (long) state.globalStep * 64 + micro);
        double loss;
        try (GradientCollector collector = Engines.engine().newGradientCollector()) {
            ModelOutput out = model.forward(batch.inputs());
            if (out.loss() == null) {
                throw new IllegalStateException("The model returned no loss: the batches need labels (a 'label' or "
                        + "'labels' column)");
            }
            collector.backward(Tensors.div(out.loss(), args.gradientAccumulationSteps));
            loss = out.loss().toType(DataType.FLOAT64, false).getDouble();
        }
        if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException("The training loss is " + loss + " at step " + (state.globalStep + 1)
                    + " (epoch " + epoch + "). Training stopped; nothing was saved from this state"
                    + (CheckpointIO.list(args.outputPath()).isEmpty() ? "."
                    : ", and the last checkpoint, " + Trainer.lastCheckpoint(args.outputPath()) + ", is intact.")
                    + " Try a lower learning rate or max_grad_norm.");
        }
        return loss;
    }

    /** Clips the accumulated gradients, updates the weights at the scheduled rate; returns the step's mean loss. */
    private double optimizationStep(int epoch) {
        gradNorm = optimizer.clipGradNorm(args.maxGradNorm);
        if (!Double.isFinite(gradNorm)) {
            throw new TrainingDivergedException("The gradient of " + optimizer.nonFiniteGradient() + " is not finite"
                    + " at step " + (state.globalStep + 1) + " (epoch " + epoch + "); training stopped before the "
                    + "update, and nothing was saved from this state.");
        }
        optimizer.step(learningRate());
        optimizer.zeroGrad();
        double stepLoss = accumulated / micro;
        accumulated = 0;
        micro = 0;
        state.globalStep++;
        return stepLoss;
    }

    private double learningRate() {
        return args.learningRate * LrSchedule.factor(args.lrSchedulerType, state.globalStep, warmup, maxSteps);
    }

    /** The policy after an optimisation step: log, evaluate, save as the strategies say; true to stop. */
    private boolean afterStep(double stepLoss) {
        lossSinceLog += stepLoss;
        stepsSinceLog++;
        lossTotal += stepLoss;
        stepsTotal++;
        callbacks.forEach(c -> c.onStepEnd(args, state, control));
        if (due(args.loggingStrategy, args.loggingSteps)) {
            logTraining();
        }
        if (due(args.evalStrategy, args.evalSteps()) || control.shouldEvaluate) {
            control.shouldEvaluate = false;
            trainer.evaluateDuringTraining(control);
        }
        boolean reachedEnd = state.globalStep >= maxSteps;
        // a notebook's interrupt button (and Thread.interrupt) stops as Ctrl-C does; the flag is cleared, so that
        // the checkpoint's file channels are not closed by it
        interrupted |= Thread.interrupted();
        // as transformers' DefaultFlowCallback: the steps strategy also saves at the last step
        if (due(args.saveStrategy, args.saveSteps) || control.shouldSave || interrupted
                || (reachedEnd && args.saveStrategy == TrainingArguments.IntervalStrategy.STEPS)) {
            control.shouldSave = false;
            save();
        }
        if (interrupted) {
            LOG.warn("Interrupted: stopped after step {} and saved a checkpoint", state.globalStep);
        }
        return interrupted || control.shouldTrainingStop || reachedEnd;
    }

    /** The policy at the end of an epoch: the epoch strategies log, evaluate and save; true to stop. */
    private boolean afterEpoch() {
        callbacks.forEach(c -> c.onEpochEnd(args, state, control));
        if (args.loggingStrategy == TrainingArguments.IntervalStrategy.EPOCH && stepsSinceLog > 0) {
            logTraining();
        }
        if (args.evalStrategy == TrainingArguments.IntervalStrategy.EPOCH) {
            trainer.evaluateDuringTraining(control);
        }
        if (args.saveStrategy == TrainingArguments.IntervalStrategy.EPOCH) {
            save();
        }
        return control.shouldTrainingStop;
    }

    private boolean due(TrainingArguments.IntervalStrategy strategy, double every) {
        if (strategy != TrainingArguments.IntervalStrategy.STEPS || every <= 0) {
            return false;
        }
        long interval = every < 1 ? Math.max(1, (long) Math.ceil(every * state.maxSteps)) : (long) every;
        return state.globalStep % interval == 0;
    }

    private void logTraining() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("loss", Trainer.round4(lossSinceLog / stepsSinceLog));
        entry.put("grad_norm", gradNorm);
        entry.put("learning_rate", learningRate());
        entry.put("epoch", Trainer.round4(state.epoch));
        entry.put("step", state.globalStep);
        trainer.record(entry, control);
        lossSinceLog = 0;
        stepsSinceLog = 0;
    }

    private void save() {
        trainer.saveCheckpoint(optimizer, warmup, maxSteps, control);
    }

    /** Loads the best model when asked, and logs and returns the run's figures. */
    private Trainer.TrainOutput finish(long start) {
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
        trainer.record(summary, control);
        callbacks.forEach(c -> c.onTrainEnd(args, state, control));
        return new Trainer.TrainOutput(state.globalStep, trainLoss, metrics);
    }

    @SuppressWarnings("removal")
    private Object installInterruptHandler() {
        interrupted = false;
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
