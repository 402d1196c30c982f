package dev.javaformers.train;

import java.util.function.Supplier;

/**
 * Where the running code shows training progress and charts: the terminal (the default: a progress bar, charts
 * saved as files) or a notebook. A notebook kernel hands its frontend to each cell it runs with {@link #runWith};
 * a Trainer made inside takes the frontend's progress display, as transformers picks NotebookProgressCallback
 * under IPython. Nothing is set for the whole process: two kernels in one JVM each show their own, and code run
 * outside a cell sees the terminal.
 */
public interface Frontend {

    /** A new progress display for one Trainer, or null for the terminal's progress bar alone. */
    TrainerCallback trainingProgress();

    /** Shows {@code value} (a chart, a table) where the code runs; false where there is nowhere to show it. */
    boolean show(Object value);

    /** The terminal: no display of its own, nothing shown inline. */
    Frontend TERMINAL = new Frontend() {
        @Override
        public TrainerCallback trainingProgress() {
            return null;
        }

        @Override
        public boolean show(Object value) {
            return false;
        }

        @Override
        public String toString() {
            return "Frontend.TERMINAL";
        }
    };

    /** The frontend the running code was given (threads it starts inherit it), else {@link #TERMINAL}. */
    static Frontend current() {
        Frontend f = CurrentFrontend.VALUE.get();
        return f != null ? f : TERMINAL;
    }

    /** Runs {@code action} with {@code frontend} as {@link #current()}, and puts the previous one back after. */
    static <T> T runWith(Frontend frontend, Supplier<T> action) {
        Frontend previous = CurrentFrontend.VALUE.get();
        CurrentFrontend.VALUE.set(frontend);
        try {
            return action.get();
        } finally {
            CurrentFrontend.VALUE.set(previous);
        }
    }
}

/** The frontend of the running thread, set only for the extent of {@link Frontend#runWith}. */
final class CurrentFrontend {

    static final InheritableThreadLocal<Frontend> VALUE = new InheritableThreadLocal<>();

    private CurrentFrontend() {}
}
