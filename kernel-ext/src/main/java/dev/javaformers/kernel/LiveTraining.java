package dev.javaformers.kernel;

import dev.javaformers.chart.Charts;
import dev.javaformers.train.TrainerCallback;
import dev.javaformers.train.TrainerState;
import dev.javaformers.train.TrainingArguments;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * A running Trainer in a notebook: one display, a progress bar with the loss and the time left and the loss
 * chart, updated in place ({@code update_display_data}) as log entries come, as transformers'
 * NotebookProgressCallback does. Every Trainer made in our kernel gets one, unless {@code disable_tqdm}.
 */
final class LiveTraining implements TrainerCallback {

    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private final BaseKernel kernel;
    private final String displayId = UUID.randomUUID().toString();
    private long start;
    private long lastUpdate;
    private Map<String, Double> lastEval;

    LiveTraining(BaseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void onTrainBegin(TrainingArguments args, TrainerState state, Control control) {
        start = System.nanoTime();
        DisplayData data = render(state, false);
        data.setDisplayId(displayId);
        kernel.display(data);
    }

    @Override
    public void onLog(TrainingArguments args, TrainerState state, Control control, Map<String, Object> logs) {
        long now = System.nanoTime();
        if (now - lastUpdate >= MIN_INTERVAL_NANOS || logs.keySet().stream().anyMatch(k -> k.startsWith("eval_"))) {
            lastUpdate = now;
            kernel.getIO().display.updateDisplay(displayId, render(state, true));
        }
    }

    @Override
    public void onEvaluate(TrainingArguments args, TrainerState state, Control control, Map<String, Double> metrics) {
        lastEval = metrics;
    }

    @Override
    public void onTrainEnd(TrainingArguments args, TrainerState state, Control control) {
        kernel.getIO().display.updateDisplay(displayId, render(state, true));
    }

    private DisplayData render(TrainerState state, boolean chart) {
        double seconds = (System.nanoTime() - start) / 1e9;
        int step = state.globalStep;
        int max = Math.max(state.maxSteps, 1);
        double left = step == 0 ? Double.NaN : seconds / step * (max - step);
        List<Double> losses = state.losses();
        Double loss = losses.isEmpty() ? null : losses.get(losses.size() - 1);
        StringBuilder html = new StringBuilder("<div class=\"javaformers-training\"><progress value=\"")
                .append(step).append("\" max=\"").append(max).append("\" style=\"width:300px\"></progress> ")
                .append(String.format("[%d/%d, epoch %.2f, %s elapsed, %s left]", step, max, state.epoch,
                        clock(seconds), Double.isNaN(left) ? "?" : clock(left)));
        if (loss != null) {
            html.append(String.format(" training loss %.4f", loss));
        }
        if (lastEval != null) {
            html.append("<table><tr>");
            lastEval.keySet().forEach(k -> html.append("<th>").append(Html.escape(k)).append("</th>"));
            html.append("</tr><tr>");
            lastEval.values().forEach(v -> html.append(String.format("<td>%.4f</td>", v)));
            html.append("</tr></table>");
        }
        html.append("</div>");
        DisplayData data = new DisplayData(String.format("step %d/%d%s", step, max,
                loss == null ? "" : String.format(", loss %.4f", loss)));
        data.putHTML(html.toString());
        if (chart && losses.size() >= 2) {
            data.putData("image/png", JavaformersExtension.png(Charts.loss(state)));
        }
        return data;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}
