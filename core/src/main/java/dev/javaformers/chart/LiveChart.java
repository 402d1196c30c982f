package dev.javaformers.chart;

import dev.javaformers.train.TrainerCallback;
import dev.javaformers.train.TrainerState;
import dev.javaformers.train.TrainingArguments;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A loss chart bound to a running Trainer: add it as a callback and it redraws its series at each log entry,
 * then tells its listeners (a notebook display, a window) that it changed.
 *
 * <pre>{@code
 * LiveChart live = new LiveChart();
 * trainer.optCallbacks(live);
 * live.onChange(chart -> display.update(chart));
 * }</pre>
 */
public final class LiveChart implements TrainerCallback {

    private final LineChart chart = Charts.line("Training and evaluation loss", "Step", "Loss");
    private final List<Consumer<LineChart>> listeners = new CopyOnWriteArrayList<>();
    private int updates;

    public LineChart chart() {
        return chart;
    }

    /** Calls {@code listener} with the chart after each update. */
    public LiveChart onChange(Consumer<LineChart> listener) {
        listeners.add(listener);
        return this;
    }

    /** How many log entries have updated the chart. */
    public int updates() {
        return updates;
    }

    @Override
    public void onLog(TrainingArguments args, TrainerState state, Control control, Map<String, Object> logs) {
        boolean changed = false;
        synchronized (chart) {
            changed |= Charts.addSeries(chart, "training loss", state, "loss", false);
            changed |= Charts.addSeries(chart, "evaluation loss", state, "eval_loss", true);
        }
        if (changed) {
            updates++;
            listeners.forEach(l -> l.accept(chart));
        }
    }
}
