package dev.javaformers.bench;

import java.util.Arrays;

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
        Arrays.sort(times);
        return times[runs / 2];
    }
}
