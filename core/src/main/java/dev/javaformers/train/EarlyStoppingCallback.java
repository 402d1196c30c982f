package dev.javaformers.train;

import java.util.Map;

/**
 * Stops training when the metric for the best model has not improved by more than {@code threshold} for
 * {@code patience} evaluations in a row, as transformers' {@code EarlyStoppingCallback}.
 */
public final class EarlyStoppingCallback implements TrainerCallback {

    private final int patience;
    private final double threshold;
    private Double best;
    private int waited;

    public EarlyStoppingCallback(int patience, double threshold) {
        this.patience = patience;
        this.threshold = threshold;
    }

    public EarlyStoppingCallback(int patience) {
        this(patience, 0.0);
    }

    @Override
    public void onTrainBegin(TrainingArguments args, TrainerState state, Control control) {
        if (!args.loadBestModelAtEnd || args.bestMetric() == null) {
            throw new IllegalArgumentException("EarlyStoppingCallback requires load_best_model_at_end = True and "
                    + "metric_for_best_model to be defined");
        }
        best = state.bestMetric;
    }

    @Override
    public void onEvaluate(TrainingArguments args, TrainerState state, Control control, Map<String, Double> metrics) {
        Double value = metrics.get(args.bestMetric());
        if (value == null) {
            throw new IllegalArgumentException("early stopping needs the metric " + args.bestMetric()
                    + ", which the evaluation did not report (it reported " + metrics.keySet() + ")");
        }
        boolean better = best == null || (args.greaterIsBetter() ? value > best : value < best);
        if (better && (best == null || Math.abs(value - best) > threshold)) {
            best = value;
            waited = 0;
        } else if (++waited >= patience) {
            control.shouldTrainingStop = true;
        }
    }
}
