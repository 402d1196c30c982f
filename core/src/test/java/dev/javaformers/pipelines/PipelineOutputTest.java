package dev.javaformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.data.Dataset;
import dev.javaformers.util.PyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Pipelines over a dataset's column (results as new columns), and their results as tables. */
class PipelineOutputTest {

    static final List<String> TEXTS = List.of("I loved this film, the ending was wonderful!",
            "The battery broke after a day.", "It is a phone");

    static final String SENTIMENT = PipelinesTest.model("tiny-bert-sentiment");

    static Dataset reviews() {
        return Dataset.fromTable(Table.create("reviews", StringColumn.create("text", TEXTS),
                StringColumn.create("label", List.of("pos", "neg", "neg"))));
    }

    @Test
    void aDatasetColumnGetsTheResultsAsColumns() {
        try (Pipeline classifier = Pipelines.pipeline("sentiment-analysis", SENTIMENT)) {
            List<?> expected = (List<?>) classifier.call(TEXTS);
            var clash = assertThrows(IllegalArgumentException.class, () -> classifier.call(reviews(), "text"));
            assertTrue(clash.getMessage().contains("'label'") && clash.getMessage().contains("output_prefix"),
                    clash.getMessage());
            Dataset out = classifier.call(reviews(), "text", Map.of("output_prefix", "pred_", "batch_size", 2));
            assertEquals(List.of("text", "label", "pred_label", "pred_score"), out.columnNames());
            assertEquals(List.of("pos", "neg", "neg"), out.column("label"), "the dataset's own labels are kept");
            for (int i = 0; i < TEXTS.size(); i++) {
                Map<?, ?> r = (Map<?, ?>) expected.get(i);
                assertEquals(r.get("label"), out.column("pred_label").get(i));
                assertEquals((Double) r.get("score"), ((Number) out.column("pred_score").get(i)).doubleValue(), 1e-5,
                        "batches of 2 pad, which moves scores in the last float digits");
            }
            var missing = assertThrows(IllegalArgumentException.class, () -> classifier.call(reviews(), "review"));
            assertTrue(missing.getMessage().contains("no column 'review'"), missing.getMessage());
        }
    }

    @Test
    void severalRecordsAnInputBecomeOneColumnOfJson() throws Exception {
        try (Pipeline ner = Pipelines.pipeline("ner", PipelinesTest.model("tiny-bert-ner"),
                Map.of("aggregation_strategy", "simple"))) {
            List<?> expected = (List<?>) ner.call(TEXTS);
            Dataset out = ner.call(reviews(), "text");
            assertEquals(List.of("text", "label", "entities"), out.columnNames());
            for (int i = 0; i < TEXTS.size(); i++) {
                List<?> entities = PyJson.MAPPER.readValue(out.column("entities").get(i).toString(), List.class);
                assertEquals(((List<?>) expected.get(i)).size(), entities.size());
                for (int e = 0; e < entities.size(); e++) {
                    Map<?, ?> want = (Map<?, ?>) ((List<?>) expected.get(i)).get(e);
                    Map<?, ?> got = (Map<?, ?>) entities.get(e);
                    assertEquals(want.get("word"), got.get("word"));
                    assertEquals(want.get("start"), got.get("start"));
                    assertEquals(((Number) want.get("score")).doubleValue(), ((Number) got.get("score"))
                            .doubleValue(), 1e-6);
                }
            }
        }
    }

    static Map<String, Object> allLabels() {
        Map<String, Object> kwargs = new java.util.HashMap<>();
        kwargs.put("top_k", null);
        return kwargs;
    }

    @Test
    void resultsReadAsTables() {
        try (Pipeline classifier = Pipelines.pipeline("sentiment-analysis", SENTIMENT)) {
            PipelineOutput one = assertInstanceOf(PipelineOutput.class, classifier.call(TEXTS));
            Table t = one.table();
            assertEquals(List.of("label", "score"), t.columnNames());
            assertEquals(3, t.rowCount());
            assertEquals(((Map<?, ?>) one.get(1)).get("score"), t.doubleColumn("score").get(1));

            PipelineOutput ranked = (PipelineOutput) classifier.call(TEXTS, allLabels());
            Table all = ranked.table();
            assertEquals(List.of("input", "label", "score"), all.columnNames());
            assertEquals(6, all.rowCount(), "two labels for each of three texts");
            assertEquals(List.of(0, 0, 1, 1, 2, 2), all.intColumn("input").asList());
        }
        try (Pipeline zeroShot = Pipelines.pipeline("zero-shot-classification", PipelinesTest.model("tiny-bert-nli"),
                Map.of("candidate_labels", List.of("film", "phone", "book")))) {
            PipelineOutput.Record r = assertInstanceOf(PipelineOutput.Record.class, zeroShot.call(TEXTS.get(0)));
            Table t = r.table();
            assertEquals(List.of("sequence", "label", "score"), t.columnNames());
            assertEquals(r.get("labels"), t.stringColumn("label").asList(), "a row per candidate label");
        }
    }
}
