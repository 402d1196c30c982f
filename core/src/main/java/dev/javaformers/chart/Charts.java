package dev.javaformers.chart;

import ai.djl.ndarray.NDArray;
import dev.javaformers.data.ClassLabel;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.TokenColumn;
import dev.javaformers.models.Attention;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.Trainer;
import dev.javaformers.train.TrainerState;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts of training runs and data. Each method returns an XChart chart (restyle it as you like) that saves
 * itself as PNG or SVG: {@code Charts.loss(trainer.state()).save(Path.of("out/loss.png"))}.
 */
public final class Charts {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;

    private Charts() {}

    /** Training loss per step and evaluation loss per evaluation, on one chart. */
    public static LineChart loss(TrainerState state) {
        LineChart chart = line("Training and evaluation loss", "Step", "Loss");
        addSeries(chart, "training loss", state, "loss", false);
        addSeries(chart, "evaluation loss", state, "eval_loss", true);
        requireData(chart, "no loss has been logged yet");
        return chart;
    }

    /** One logged metric over the steps, e.g. {@code eval_accuracy}. */
    public static LineChart metric(TrainerState state, String name) {
        String key = state.logHistory.stream().anyMatch(e -> e.containsKey(name)) ? name : "eval_" + name;
        LineChart chart = line(pretty(key) + " during training", "Step", pretty(key));
        addSeries(chart, pretty(key), state, key, true);
        requireData(chart, "no '" + name + "' in the log history");
        return chart;
    }

    /** The learning rate at each logged step (the schedule, warmup included). */
    public static LineChart learningRate(TrainerState state) {
        LineChart chart = line("Learning rate schedule", "Step", "Learning rate");
        addSeries(chart, "learning rate", state, "learning_rate", false);
        requireData(chart, "no learning rate has been logged yet");
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /**
     * The confusion matrix of a trainer's model on {@code dataset} (argmax of the logits against the labels), the
     * classes named by the model's {@code id2label}.
     */
    public static HeatMap confusionMatrix(Trainer trainer, Dataset dataset) {
        return confusionMatrix(trainer.confusionMatrix(dataset),
                List.copyOf(new TreeMap<>(trainer.model().config().id2label).values()));
    }

    /** A confusion matrix as a heat map with the count in each cell: rows true class, columns predicted. */

    public static HeatMap confusionMatrix(long[][] matrix, List<String> labels) {
        HeatMap chart = new HeatMap(WIDTH, HEIGHT);
        chart.setTitle("Confusion matrix");
        chart.setXAxisTitle("Predicted label");
        chart.setYAxisTitle("True label");
        List<Number[]> cells = new ArrayList<>();
        long max = 1;
        for (int t = 0; t < matrix.length; t++) {
            for (int p = 0; p < matrix[t].length; p++) {
                cells.add(new Number[] {p, matrix.length - 1 - t, matrix[t][p]});
                max = Math.max(max, matrix[t][p]);
            }
        }
        List<String> yLabels = new ArrayList<>(labels);
        java.util.Collections.reverse(yLabels); // the first class on top, as in sklearn's plot
        chart.addSeries("counts", labels, yLabels, cells);
        chart.getStyler().setShowValue(true).setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF,
                java.awt.Font.BOLD, 18)).setValueFontColor(Color.BLACK).setMin(0).setMax(max)
                .setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)});
        chart.getStyler().setLegendVisible(true);
        return chart;
    }

    /** The number of rows of each class of a label column (names from its ClassLabel when it has one). */
    public static BarChart labelDistribution(Dataset dataset, String column) {
        ClassLabel names = dataset.classLabel(column);
        Map<String, Long> counts = new TreeMap<>();
        for (Object v : dataset.column(column)) {
            String key = v == null ? "(missing)" : names != null && v instanceof Number n ? names.decode(n.intValue())
                    : v.toString();
            counts.merge(key, 1L, Long::sum);
        }
        BarChart chart = new BarChart(WIDTH, HEIGHT);
        chart.setTitle("Label distribution of '" + column + "' (" + dataset.numRows() + " rows)");
        chart.setXAxisTitle(column);
        chart.setYAxisTitle("Rows");
        chart.addSeries("rows", new ArrayList<>(counts.keySet()), new ArrayList<Number>(counts.values()));
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setLabelsVisible(true);
        return chart;
    }

    /** A histogram of the token counts of {@code input_ids}, with {@code maxLength} marked. */
    public static LineChart tokenLengths(Dataset dataset, int maxLength) {
        TokenColumn ids = dataset.sequences("input_ids");
        int longest = 0;
        for (int i = 0; i < ids.size(); i++) {
            longest = Math.max(longest, ids.length(i));
        }
        int top = Math.max(longest, maxLength) + 1;
        int binWidth = Math.max(1, (int) Math.ceil(top / 40.0));
        int bins = (top + binWidth - 1) / binWidth;
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = b * binWidth;
        }
        for (int i = 0; i < ids.size(); i++) {
            y[ids.length(i) / binWidth]++;
        }
        LineChart chart = line("Tokens per row (" + ids.size() + " rows)", "Tokens", "Rows");
        XYSeries s = chart.addSeries("rows", x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        chart.addAnnotation(new AnnotationLine(maxLength, true, false));
        double peak = java.util.Arrays.stream(y).max().orElse(1);
        chart.addAnnotation(new AnnotationText("max_length = " + maxLength, maxLength, peak * 0.95, false));
        chart.getStyler().setLegendVisible(false);
        return chart;
    }

    /** The attention of one head of one layer for a text, tokens on both axes (rows attend to columns). */
    public static HeatMap attention(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, String text, int layer,
            int head) {
        try (BatchEncoding enc = tokenizer.encode(text, Map.of("return_tensors", "pt"))) {
            List<NDArray> layers = Attention.recordWhile(() -> model.forward(enc));
            if (layer < 0 || layer >= layers.size()) {
                throw new IllegalArgumentException("layer " + layer + " is outside 0.." + (layers.size() - 1));
            }
            NDArray probs = layers.get(layer);
            long heads = probs.getShape().get(1);
            if (head < 0 || head >= heads) {
                throw new IllegalArgumentException("head " + head + " is outside 0.." + (heads - 1));
            }
            int n = (int) probs.getShape().get(2);
            float[] values = probs.get(0, head).toFloatArray();
            List<String> tokens = new ArrayList<>();
            String[] raw = enc.tokens(0);
            for (int i = 0; i < n; i++) {
                tokens.add(i + ":" + raw[i]); // positions keep repeated tokens apart
            }
            List<Number[]> cells = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                for (int k = 0; k < n; k++) {
                    cells.add(new Number[] {k, n - 1 - q, values[q * n + k]});
                }
            }
            List<String> rows = new ArrayList<>(tokens);
            java.util.Collections.reverse(rows);
            HeatMap chart = new HeatMap(Math.max(WIDTH, 40 * n + 200), Math.max(HEIGHT, 30 * n + 150));
            chart.setTitle("Attention, layer " + layer + ", head " + head);
            chart.setXAxisTitle("Attended token (key)");
            chart.setYAxisTitle("Attending token (query)");
            chart.addSeries("attention", tokens, rows, cells);
            chart.getStyler().setMin(0).setMax(1).setRangeColors(new Color[] {Color.WHITE, new Color(255, 140, 0),
                new Color(128, 0, 0)});
            chart.getStyler().setXAxisLabelRotation(60);
            return chart;
        }
    }

    /** Saves a chart as PNG or SVG, by the file's extension; the folder is created. */
    public static Path save(Chart<?, ?> chart, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            if (name.endsWith(".png")) {
                dev.javaformers.util.AtomicFiles.write(file, out -> ImageIO.write(BitmapEncoder.getBufferedImage(chart),
                        "png", out));
            } else if (name.endsWith(".svg")) {
                dev.javaformers.util.AtomicFiles.write(file, (OutputStream out) -> VectorGraphicsEncoder
                        .saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
            } else {
                throw new IllegalArgumentException("Save charts as .png or .svg, not " + file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the chart to " + file, e);
        }
    }

    static LineChart line(String title, String x, String y) {
        LineChart chart = new LineChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(x);
        chart.setYAxisTitle(y);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    /** Adds the values of {@code key} by step as a series; returns false when the history has none. */
    static boolean addSeries(LineChart chart, String name, TrainerState state, String key, boolean markers) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Map<String, Object> entry : state.logHistory) {
            if (entry.get(key) instanceof Number v && entry.get("step") instanceof Number step) {
                xs.add(step.doubleValue());
                ys.add(v.doubleValue());
            }
        }
        if (xs.isEmpty()) {
            return false;
        }
        XYSeries s = chart.getSeriesMap().containsKey(name) ? chart.updateXYSeries(name, xs, ys, null)
                : chart.addSeries(name, xs, ys);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return true;
    }

    private static void requireData(LineChart chart, String message) {
        if (chart.getSeriesMap().isEmpty()) {
            throw new IllegalArgumentException("Nothing to chart: " + message);
        }
    }

    private static String pretty(String key) {
        String k = key.startsWith("eval_") ? "eval " + key.substring(5) : key;
        return k.replace('_', ' ');
    }
}
