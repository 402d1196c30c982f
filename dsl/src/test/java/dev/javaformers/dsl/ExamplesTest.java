package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every script in scripts/examples runs, with small settings, and makes what it says it makes. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("../scripts/examples");

    @TempDir
    Path tmp;

    private Scripts.Result run(String script, String... args) {
        Scripts.Result r = Scripts.run(EXAMPLES.resolve(script), args);
        assertEquals(0, r.status(), script + " failed: " + r.err());
        return r;
    }

    private static void assertPng(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', file + " is a PNG");
    }

    @Test
    void sentimentTrainsChartsPredictsAndSavesAModelThatPredictLoads() throws Exception {
        Scripts.Result r = run("sentiment.groovy", "steps=4", "out=" + tmp);
        assertTrue(r.out().matches("(?s).*eval accuracy 0\\.\\d+, F1 [01]\\.\\d+, loss \\d\\.\\d+.*"), r.out());
        assertPng(tmp.resolve("loss.png"));
        assertPng(tmp.resolve("confusion.png"));
        assertEquals(4, r.out().lines().filter(l -> l.matches(".* -> (positive|negative) +[01]\\.\\d\\d")).count(),
                r.out());
        JsonNode config = new ObjectMapper().readTree(tmp.resolve("sentiment-model/config.json").toFile());
        assertEquals("negative", config.at("/id2label/0").asText());
        assertEquals("positive", config.at("/id2label/1").asText());
        assertTrue(Files.exists(tmp.resolve("sentiment-model/model.safetensors")));
        assertTrue(Files.exists(tmp.resolve("sentiment-model/tokenizer.json")));
        assertTrue(Files.readString(tmp.resolve("run/log_history.jsonl")).contains("\"step\":4"));

        Scripts.Result p = run("predict.groovy", tmp.resolve("sentiment-model").toString(), "What a great day.",
                "Never again.");
        List<String> lines = p.out().lines().toList();
        assertEquals(2, lines.size(), p.out());
        assertTrue(lines.get(0).matches("What a great day\\. +(positive|negative) +0\\.\\d{3}"), lines.get(0));

        Scripts.Result pipelines = run("pipelines.groovy", tmp.resolve("sentiment-model").toString());
        assertEquals(3, pipelines.out().lines().filter(l -> l.matches(".{40} (positive|negative) +[01]\\.\\d{3}"))
                .count(), pipelines.out());
        assertTrue(pipelines.out().matches("(?s).*every label: \\[\\[label:(positive|negative), score:0\\.\\d+\\], "
                + "\\[label:(positive|negative), score:0\\.\\d+\\]\\].*"), pipelines.out());
        assertTrue(pipelines.out().contains("pred_label") && pipelines.out().contains("pred_score"),
                "the dataset with the predictions as columns: " + pipelines.out());
        assertTrue(pipelines.out().matches("(?s).*agreement with the labels on the first 100 sentences: "
                + "[01]\\.\\d\\d.*"), pipelines.out());
        Matcher cosines = Pattern.compile("embeddings of 384 numbers; cosine\\(eating, eating\\) (0\\.\\d+), "
                + "cosine\\(eating, stocks\\) (-?0\\.\\d+)").matcher(pipelines.out());
        assertTrue(cosines.find(), pipelines.out());
        assertTrue(Double.parseDouble(cosines.group(1)) > 0.6 && Double.parseDouble(cosines.group(2)) < 0.2,
                pipelines.out());
    }

    @Test
    void configOverridesChangeTheLoadedModel() {
        Scripts.Result r = run("config-overrides.groovy");
        assertTrue(r.out().contains("stored config: 6 layers, 12 heads, hidden size 384"), r.out());
        assertTrue(r.out().contains("loaded model: 3 layers, 12 heads, dropout 0.0, labels [negative, neutral, "
                + "positive]"), r.out());
        assertTrue(r.out().contains("checkpoint tensors not used (layers 3 to 5): 48"), r.out());
        assertTrue(r.out().contains("refused: BertConfig loaded from sentence-transformers/all-MiniLM-L6-v2 has no "
                + "key [hedas]"), r.out());
    }

    @Test
    void aRegisteredCustomModelSavesLoadsAndLearns() throws Exception {
        Scripts.Result r = run("custom-model.groovy", "out=" + tmp);
        assertTrue(Files.readString(tmp.resolve("bag-model/config.json")).contains("\"model_type\": \"bag-of-embeddings\""));
        Matcher m = Pattern.compile("BagForSequenceClassification: \\d+ parameters, eval accuracy (0\\.\\d+)")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.7, "a bag of embeddings learns the sentiment: " + m.group(1));
    }
}
