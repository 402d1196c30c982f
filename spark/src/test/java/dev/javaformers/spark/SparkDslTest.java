package dev.javaformers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.data.Datasets;
import dev.javaformers.dsl.ScriptRunner;
import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DSL's spark { } block, and scripts/examples/spark-classify on a small table. */
class SparkDslTest {

    @TempDir
    Path tmp;

    static String model() throws Exception {
        return Path.of(SparkDslTest.class.getResource("/tiny-bert-sentiment").toURI()).toString();
    }

    /** Runs a DSL script file; its standard output (Spark's show()) and the runner's errors. */
    static String run(Path script, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status;
        System.setOut(capture);
        try {
            status = ScriptRunner.run(script, args, true, capture);
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        return text;
    }

    @Test
    void theExampleClassifiesARepeatedTableAndWritesParquet() throws Exception {
        Path parquet = tmp.resolve("scored.parquet");
        String out = run(Path.of("../scripts/examples/spark-classify.groovy"), List.of(model(), "4500",
                parquet.toString()));
        assertTrue(out.contains("4500 rows classified in") && out.contains("written to " + parquet), out);
        assertTrue(out.contains("rows with an error: 0"), out);
        SparkSession spark = JavaformersSpark.local(2);
        try {
            List<Row> rows = spark.read().parquet(parquet.toString()).collectAsList();
            assertEquals(4500, rows.size());
            List<String> texts = Datasets.builtin("sentiment-sentences").column("text").stream()
                    .map(Object::toString).toList();
            try (Pipeline pipe = Pipelines.pipeline("sentiment-analysis", model())) {
                Map<?, ?> first = (Map<?, ?>) ((List<?>) pipe.call(texts.get(0))).get(0);
                Row copy = rows.stream().filter(r -> texts.get(0).equals(r.getAs("text"))).findFirst().orElseThrow();
                assertEquals(first.get("label"), copy.getAs("pred_label"));
                assertEquals((Double) first.get("score"), copy.<Double>getAs("pred_score"), 1e-5);
            }
            assertEquals(2, rows.stream().filter(r -> texts.get(0).equals(r.getAs("text"))).count(),
                    "4,500 rows are the 3,000 sentences and half of them again");
        } finally {
            spark.stop();
        }
    }

    @Test
    void theBlockUsesTheScriptsModelAndShowsRows() throws Exception {
        Path csv = Files.writeString(tmp.resolve("reviews.csv"), "id,review\n1,\"I loved it, truly\"\n2,It broke\n");
        Path script = Files.writeString(tmp.resolve("block.groovy"), """
                model '%s'
                spark {
                    def scored = classify builtin('sentiment-sentences').selectRange(0, 30) < prefix 'jf_', show 3 >
                    println "classified ${scored.count()} rows, columns ${scored.columns().toList()}"
                    def vectors = embed csv('%s') < column 'review', batch 8 >
                    def first = vectors.first()
                    println "embedded ${vectors.count()} rows of ${first.getList(first.fieldIndex('embedding')).size()}"
                }
                """.formatted(model(), csv));
        String out = run(script, List.of());
        assertTrue(out.contains("classified 30 rows, columns [text, label, source, jf_label, jf_score, jf_error]"),
                out);
        assertTrue(out.contains("jf_label"), "show 3 prints the table: " + out);
        assertTrue(out.contains("embedded 2 rows of 32"), out);
    }
}
