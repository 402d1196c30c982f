package dev.javaformers.train;

import java.io.PrintStream;
import java.util.Locale;

/** A tqdm-like bar (steps, loss, rate, time left), drawn in place, only when writing to a terminal. */
final class ProgressBar {

    private final PrintStream out;
    private final int total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private int done;

    ProgressBar(int total, boolean disabled) {
        this.total = total;
        this.out = System.err;
        this.enabled = !disabled && System.console() != null;
    }

    void update(int step, Double loss) {
        if (!enabled) {
            return;
        }
        done = step;
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        int width = 30;
        int filled = (int) Math.round(width * (double) done / Math.max(total, 1));
        out.printf(Locale.ROOT, "\r%3d%%|%s%s| %d/%d [%s<%s, %.2f it/s%s]", 100 * done / Math.max(total, 1),
                "█".repeat(filled), " ".repeat(width - filled), done, total, clock(seconds),
                clock((total - done) / Math.max(rate, 1e-9)), rate, loss == null ? "" : String.format(Locale.ROOT,
                        ", loss=%.4f", loss));
        out.flush();
    }

    void close() {
        if (enabled) {
            out.println();
        }
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
