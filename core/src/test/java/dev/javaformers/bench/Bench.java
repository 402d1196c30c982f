package dev.javaformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Timing helpers for the bench programs: warm up, then the median of repeated runs. */
final class Bench {

    private Bench() {}

    interface Body {
        void run() throws Exception;
    }

    /** Median wall time in seconds of {@code runs} runs after {@code warmup} unmeasured ones. */
    static double median(int warmup, int runs, Body body) throws Exception {
        for (int i = 0; i < warmup; i++) {
            body.run();
        }
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            body.run();
            times[i] = (System.nanoTime() - start) / 1e9;
        }
        return median(times);
    }

    /** The median of {@code values}, which stay as they are. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * Copies of a batch's arrays attached to {@code scope}: the activations a forward pass attaches to its inputs'
     * manager are then freed with the scope, every run, as the Trainer frees each batch.
     */
    static Map<String, NDArray> copiesIn(NDManager scope, Map<String, NDArray> batch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        batch.forEach((name, array) -> {
            NDArray copy = array.duplicate();
            copy.attach(scope);
            out.put(name, copy);
        });
        return out;
    }
}
