package dev.javaformers.generation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The n best finished sequences of one prompt in beam search, scored as transformers' BeamHypotheses. */
final class BeamHypotheses {

    record Hypothesis(double score, long[] tokens) {}

    private final int numBeams;
    private final double lengthPenalty;
    private final Object earlyStopping;
    private final int maxLength;
    final List<Hypothesis> beams = new ArrayList<>();
    private double worstScore = 1e9;

    BeamHypotheses(int numBeams, double lengthPenalty, Object earlyStopping, int maxLength) {
        this.numBeams = numBeams;
        this.lengthPenalty = lengthPenalty;
        this.earlyStopping = earlyStopping;
        this.maxLength = maxLength;
    }

    /** Adds a finished sequence; its score is the sum of log-probabilities over its length to the penalty. */
    void add(long[] tokens, double sumLogprobs) {
        double score = sumLogprobs / Math.pow(tokens.length, lengthPenalty);
        if (beams.size() < numBeams || score > worstScore) {
            beams.add(new Hypothesis(score, tokens));
            if (beams.size() > numBeams) {
                List<Hypothesis> sorted = new ArrayList<>(beams);
                sorted.sort(Comparator.comparingDouble(Hypothesis::score));
                beams.remove(sorted.get(0));
                worstScore = sorted.get(1).score();
            } else {
                worstScore = Math.min(score, worstScore);
            }
        }
    }

    /** Whether no running beam can beat the worst kept hypothesis any more ({@code early_stopping} decides how). */
    boolean isDone(double bestSumLogprobs, int curLen) {
        if (beams.size() < numBeams) {
            return false;
        }
        if (Boolean.TRUE.equals(earlyStopping)) {
            return true;
        }
        double highest = "never".equals(earlyStopping) && lengthPenalty > 0
                ? bestSumLogprobs / Math.pow(maxLength, lengthPenalty)
                : bestSumLogprobs / Math.pow(curLen, lengthPenalty);
        return worstScore >= highest;
    }
}
