package dev.javaformers.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.data.Dataset;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.Metrics;
import dev.javaformers.train.TrainerState;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart renders headless to a PNG of the expected size that is not blank. */
class ChartsTest {

    @TempDir
    static Path cache;
    @TempDir
    Path tmp;
    static PreTrainedTokenizer tokenizer;

    @BeforeAll
    static void load() {
        assertEquals("true", System.getProperty("java.awt.headless"));
        tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true));
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    /** A log history shaped like the Trainer's: a loss per step, an evaluation every 10 steps. */
    static TrainerState history() {
        TrainerState state = new TrainerState();
        for (int step = 1; step <= 30; step++) {
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("loss", 0.7 * Math.exp(-step / 12.0) + 0.02 * Math.sin(step));
            log.put("learning_rate", 5e-5 * Math.min(1, step / 5.0) * (30 - step) / 25.0);
            log.put("step", step);
            state.logHistory.add(log);
            if (step % 10 == 0) {
                state.logHistory.add(Map.of("eval_loss", 0.6 * Math.exp(-step / 15.0), "eval_accuracy",
                        0.6 + step / 100.0, "step", step));
            }
        }
        return state;
    }

    static BufferedImage renderedPng(SavableChart chart, Path file, int width, int height) throws Exception {
        chart.save(file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth(), "width of " + file.getFileName());
        assertEquals(height, image.getHeight(), "height of " + file.getFileName());
        Set<Integer> colors = new HashSet<>();
        long nonWhite = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                colors.add(rgb);
                nonWhite += rgb == 0xffffff ? 0 : 1;
            }
        }
        assertTrue(colors.size() > 20, file.getFileName() + " has only " + colors.size() + " colors");
        assertTrue(nonWhite > image.getWidth() * image.getHeight() / 4 / 50, file.getFileName() + " is nearly blank");
        return image;
    }

    @Test
    void trainingCharts() throws Exception {
        TrainerState state = history();
        LineChart loss = Charts.loss(state);
        assertEquals(Set.of("training loss", "evaluation loss"), loss.getSeriesMap().keySet());
        renderedPng(loss, tmp.resolve("loss.png"), 800, 500);
        renderedPng(Charts.metric(state, "accuracy"), tmp.resolve("accuracy.png"), 800, 500);
        renderedPng(Charts.learningRate(state), tmp.resolve("lr.png"), 800, 500);
        Path svg = Charts.loss(state).save(tmp.resolve("loss.svg"));
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG document");
        var empty = assertThrows(IllegalArgumentException.class, () -> Charts.metric(state, "f1"));
        assertTrue(empty.getMessage().contains("f1"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.loss(state).save(tmp.resolve("loss.gif")));
    }

    @Test
    void confusionMatrixLabelsAndTokenLengths() throws Exception {
        long[][] matrix = Metrics.confusionMatrix(new int[] {0, 1, 1, 0, 1, 1}, new long[] {0, 1, 0, 0, 1, 1}, 2);
        HeatMap confusion = Charts.confusionMatrix(matrix, List.of("negative", "positive"));
        assertTrue(confusion.getStyler().isShowValue(), "counts are printed in the cells");
        renderedPng(confusion, tmp.resolve("confusion.png"), 800, 500);

        Dataset sentences = Datasets.builtin("sentiment-sentences");
        BarChart labels = Charts.labelDistribution(sentences, "label");
        assertEquals(List.of("negative", "positive"), labels.getSeriesMap().get("rows").getXData());
        renderedPng(labels, tmp.resolve("labels.png"), 800, 500);

        Dataset tokenized = sentences.selectRange(0, 500).map(tokenizer, "text", Map.of());
        renderedPng(Charts.tokenLengths(tokenized, 32), tmp.resolve("lengths.png"), 800, 500);
    }

    @Test
    void attentionMapOfARealModel() throws Exception {
        try (PreTrainedModel<?> model = AutoModel.fromPretrained("sentence-transformers/all-MiniLM-L6-v2",
                Map.of("cache_dir", cache.toString(), "local_files_only", true))) {
            HeatMap map = Charts.attention(model, tokenizer, "The cat sat on the mat.", 2, 5);
            List<?> tokens = map.getSeriesMap().get("attention").getXData();
            assertEquals("0:[CLS]", tokens.get(0));
            assertEquals(9, tokens.size());
            renderedPng(map, tmp.resolve("attention.png"), map.getWidth(), map.getHeight());
            var e = assertThrows(IllegalArgumentException.class, () -> Charts.attention(model, tokenizer, "x", 6, 0));
            assertTrue(e.getMessage().contains("0..5"), e.getMessage());
        }
    }
}
