package dev.javaformers.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics as scikit-learn computes them (which is what transformers' examples use): accuracy,
 * precision, recall and F1 with binary, macro or weighted averaging, and the confusion matrix.
 */
public final class Metrics {

    private Metrics() {}

    /** Predictions and labels of an evaluation, as transformers' {@code EvalPrediction}. */
    public record EvalPrediction(float[][] predictions, long[] labelIds) {
        /** The predicted class of each row: the index of its largest logit. */
        public int[] argmax() {
            int[] out = new int[predictions.length];
            for (int i = 0; i < predictions.length; i++) {
                int best = 0;
                for (int j = 1; j < predictions[i].length; j++) {
                    if (predictions[i][j] > predictions[i][best]) {
                        best = j;
                    }
                }
                out[i] = best;
            }
            return out;
        }
    }

    public static double accuracy(int[] predicted, long[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) right / labels.length;
    }

    /** Rows: true class; columns: predicted class. */
    public static long[][] confusionMatrix(int[] predicted, long[] labels, int numClasses) {
        long[][] m = new long[numClasses][numClasses];
        for (int i = 0; i < labels.length; i++) {
            m[(int) labels[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * Precision, recall and F1 averaged as {@code average}: "binary" (class 1), "macro" (unweighted mean over
     * classes) or "weighted" (mean weighted by each class's support). Undefined ratios count as 0, as sklearn.
     */
    public static Map<String, Double> precisionRecallF1(int[] predicted, long[] labels, int numClasses,
            String average) {
        long[][] m = confusionMatrix(predicted, labels, numClasses);
        double p = 0;
        double r = 0;
        double f = 0;
        long total = labels.length;
        for (int c = 0; c < numClasses; c++) {
            if (average.equals("binary") && c != 1) {
                continue;
            }
            long tp = m[c][c];
            long predictedC = 0;
            long actualC = 0;
            for (int k = 0; k < numClasses; k++) {
                predictedC += m[k][c];
                actualC += m[c][k];
            }
            double precision = predictedC == 0 ? 0 : (double) tp / predictedC;
            double recall = actualC == 0 ? 0 : (double) tp / actualC;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            double weight = switch (average) {
                case "binary" -> 1.0;
                case "macro" -> 1.0 / numClasses;
                case "weighted" -> total == 0 ? 0 : (double) actualC / total;
                default -> throw new IllegalArgumentException("average must be binary, macro or weighted, got '"
                        + average + "'");
            };
            p += weight * precision;
            r += weight * recall;
            f += weight * f1;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("precision", p);
        out.put("recall", r);
        out.put("f1", f);
        return out;
    }

    /**
     * The usual compute_metrics for classification: accuracy, and precision / recall / F1 (binary for two
     * classes, else macro).
     */
    public static Map<String, Double> classification(EvalPrediction prediction) {
        int classes = prediction.predictions().length == 0 ? 2 : prediction.predictions()[0].length;
        int[] predicted = prediction.argmax();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("accuracy", accuracy(predicted, prediction.labelIds()));
        out.putAll(precisionRecallF1(predicted, prediction.labelIds(), classes, classes == 2 ? "binary" : "macro"));
        return out;
    }
}
