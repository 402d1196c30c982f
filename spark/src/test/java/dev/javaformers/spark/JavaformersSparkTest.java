package dev.javaformers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import dev.javaformers.data.Datasets;
import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local[2] (started here; a failed task retried once) runs the tiny sentiment model over the built-in
 * sentiment sentences and gives, row for row, what core's pipeline gives; bad rows get an error column, a retried
 * task neither loses nor doubles rows, and the model is loaded once per task slot.
 */
class JavaformersSparkTest {

    static SparkSession spark;
    static String model;
    static List<String> texts;
    static Dataset<Row> sentences;

    @BeforeAll
    static void start() throws Exception {
        spark = JavaformersSpark.local(2);
        spark.sparkContext().setLogLevel("WARN");
        model = Path.of(JavaformersSparkTest.class.getResource("/tiny-bert-sentiment").toURI()).toString();
        texts = Datasets.builtin("sentiment-sentences").column("text").stream().map(Object::toString).toList();
        sentences = withIds(texts).repartition(4);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> withIds(List<String> values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            rows.add(RowFactory.create(i, values.get(i)));
        }
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.IntegerType, false),
                DataTypes.createStructField("text", DataTypes.StringType, true)));
        return spark.createDataFrame(rows, schema);
    }

    /** Each row's (label, score) by id, as core's own pipeline gives them for the same texts. */
    static List<Map<?, ?>> core(List<String> values) {
        try (Pipeline pipe = Pipelines.pipeline("text-classification", model, Map.of("batch_size", 32,
                "truncation", true))) {
            List<Map<?, ?>> out = new ArrayList<>();
            for (Object r : (List<?>) pipe.call(values)) {
                out.add((Map<?, ?>) r);
            }
            return out;
        }
    }

    static void assertSameAsCore(List<Row> rows, List<Map<?, ?>> expected) {
        assertEquals(expected.size(), rows.size(), "one output row per input row");
        boolean[] seen = new boolean[expected.size()];
        for (Row r : rows) {
            int id = r.getInt(r.fieldIndex("id"));
            assertTrue(!seen[id], "row " + id + " twice");
            seen[id] = true;
            assertEquals(expected.get(id).get("label"), r.getString(r.fieldIndex("label")), "row " + id);
            assertEquals((Double) expected.get(id).get("score"), r.getDouble(r.fieldIndex("score")), 1e-5,
                    "row " + id);
            assertNull(r.get(r.fieldIndex("error")));
        }
    }

    @Test
    void theSentencesGetCoresLabelsAndScores() {
        Dataset<Row> scored = JavaformersSpark.classify(sentences, "text", model, Map.of("batch_size", 16));
        assertEquals(List.of("id", "text", "label", "score", "error"), List.of(scored.columns()));
        assertEquals(4, scored.rdd().getNumPartitions());
        assertSameAsCore(scored.collectAsList(), core(texts));
        int loaded = ExecutorPipelines.idle("text-classification", model, Map.of());
        assertTrue(loaded >= 1 && loaded <= 2, "one model per task slot of local[2], not one per partition or "
                + "batch: " + loaded);
    }

    @Test
    void badRowsGetAnErrorColumnNotAFailedJob() {
        String longText = String.join(" ", java.util.Collections.nCopies(300, "the film was great"));
        List<String> values = new ArrayList<>(List.of("I loved it", "", longText, "it broke"));
        values.add(1, null);
        Dataset<Row> df = withIds(values);
        List<Row> truncated = JavaformersSpark.classify(df, "text", model).orderBy("id").collectAsList();
        assertEquals("text is null", truncated.get(1).getString(4));
        assertNull(truncated.get(1).get(2));
        for (int i : new int[] {0, 2, 3, 4}) {
            assertNotNull(truncated.get(i).get(2), "row " + i + " has a label: " + truncated.get(i));
            assertNull(truncated.get(i).get(4));
        }
        // without truncation the long text is too long for the model's 64 positions: its row alone has an error
        List<Row> whole = JavaformersSpark.classify(df, "text", model, Map.of("truncation", false)).orderBy("id")
                .collectAsList();
        assertNotNull(whole.get(3).getString(4), "the long text's error: " + whole.get(3));
        assertNull(whole.get(3).get(2));
        assertEquals(truncated.get(0).getString(2), whole.get(0).getString(2));
        assertEquals(truncated.get(4).getDouble(3), whole.get(4).getDouble(3), 1e-6, "its batch mates are scored");
    }

    /** Fails the first attempt of partition 1 after some rows, as a lost executor would. */
    static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 1 && task.attemptNumber() == 0) {
                List<Row> some = new ArrayList<>();
                for (int i = 0; i < 40 && rows.hasNext(); i++) {
                    some.add(rows.next());
                }
                Iterator<Row> first = some.iterator();
                return new Iterator<>() {
                    public boolean hasNext() {
                        return true;
                    }

                    public Row next() {
                        if (first.hasNext()) {
                            return first.next();
                        }
                        throw new IllegalStateException("killed (first attempt of partition 1)");
                    }
                };
            }
            return rows;
        }
    }

    @Test
    void aRetriedTaskGivesTheSameRows() {
        List<String> some = texts.subList(0, 600);
        Dataset<Row> flaky = withIds(some).repartition(3).mapPartitions(new FailFirstAttempt(),
                Encoders.row(withIds(some).schema()));
        List<Row> rows = JavaformersSpark.classify(flaky, "text", model, Map.of("batch_size", 16)).collectAsList();
        assertSameAsCore(rows, core(some));
    }

    @Test
    void embeddingsAreCoresSentenceVectors() {
        List<String> some = texts.subList(0, 50);
        Dataset<Row> embedded = JavaformersSpark.embed(withIds(some), "text", model, Map.of("output_prefix", "jf_"));
        assertEquals("array<float>", embedded.schema().apply("jf_embedding").dataType().simpleString());
        List<Row> rows = embedded.orderBy("id").collectAsList();
        try (Pipeline pipe = Pipelines.pipeline("feature-extraction", model, Map.of("pooling", "mean",
                "normalize", true, "truncation", true))) {
            List<?> vectors = (List<?>) pipe.call(some);
            for (int i = 0; i < some.size(); i++) {
                List<?> expected = (List<?>) vectors.get(i);
                List<Float> got = rows.get(i).getList(rows.get(i).fieldIndex("jf_embedding"));
                assertEquals(expected.size(), got.size());
                for (int d = 0; d < got.size(); d++) {
                    assertEquals(((Number) expected.get(d)).doubleValue(), got.get(d), 1e-5);
                }
            }
        }
    }

    @Test
    void sqlUsersCallJfClassifyAndJfEmbed() {
        JavaformersSpark.registerUdfs(spark, model, Map.of());
        withIds(texts.subList(0, 30)).createOrReplaceTempView("reviews");
        List<Row> rows = spark.sql("SELECT id, jf_classify(text).label AS label, jf_classify(text).score AS score, "
                + "CAST(NULL AS STRING) AS error, size(jf_embed(text)) AS dims FROM reviews").collectAsList();
        assertSameAsCore(rows, core(texts.subList(0, 30)));
        assertEquals(32, rows.get(0).getInt(4), "the tiny model's hidden size");
    }

    /** Lives as long as the session: Spark checks a shipped folder against its source for each later task. */
    @TempDir
    static Path sessionFiles;

    @Test
    void aShippedModelFolderIsFoundByItsName() throws Exception {
        Path copy = Files.createDirectories(sessionFiles.resolve("shipped-sentiment-model"));
        try (var files = Files.list(Path.of(model))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        String name = JavaformersSpark.ship(spark, copy);
        assertEquals("shipped-sentiment-model", name);
        assertTrue(!Files.exists(Path.of(name)), "not a folder here: the executors find it among Spark's files");
        List<String> some = texts.subList(0, 20);
        assertSameAsCore(JavaformersSpark.classify(withIds(some), "text", name).collectAsList(), core(some));
    }

    @Test
    void nativeMemoryDoesNotGrowFromBatchToBatch() {
        Dataset<Row> df = withIds(texts.subList(0, 400)).repartition(2);
        JavaformersSpark.classify(df, "text", model, Map.of("batch_size", 8)).count();
        long before = liveArrays();
        JavaformersSpark.classify(df, "text", model, Map.of("batch_size", 8)).count();
        assertEquals(before, liveArrays(), "the arrays alive in the pooled models after 100 more batches");
    }

    /** The arrays alive in this JVM: the pooled models' weights and anything a batch left behind. */
    static long liveArrays() {
        try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
            return ((BaseNDManager) probe.getParentManager()).getManagedArrays().size();
        }
    }

    @Test
    void theSparkSubmitJobReadsCsvAndWritesParquet(@TempDir Path tmp) throws Exception {
        List<String> some = texts.subList(0, 100);
        StringBuilder csv = new StringBuilder("id,review\n");
        for (int i = 0; i < some.size(); i++) {
            csv.append(i).append(",\"").append(some.get(i).replace("\"", "\"\"")).append("\"\n");
        }
        Path in = Files.writeString(tmp.resolve("reviews.csv"), csv);
        Path out = tmp.resolve("scored.parquet");
        long written = ClassifyJob.run(spark, new String[] {"classify", "--input", in.toString(), "--column",
            "review", "--model", model, "--output", out.toString(), "--batch-size", "8"});
        assertEquals(100, written);
        List<Row> rows = spark.read().parquet(out.toString()).selectExpr("CAST(id AS INT) AS id", "label", "score",
                "error").collectAsList();
        assertSameAsCore(rows, core(some));
        var e = assertThrows(IllegalArgumentException.class, () -> ClassifyJob.run(spark, new String[] {"classify",
            "--input", in.toString()}));
        assertTrue(e.getMessage().contains("missing [--model, --output]") && e.getMessage().contains("usage"),
                e.getMessage());
    }

    @Test
    void wrongColumnsAndOptionsAreRefusedOnTheDriver() {
        var e = assertThrows(IllegalArgumentException.class, () -> JavaformersSpark.classify(sentences, "review",
                model));
        assertTrue(e.getMessage().contains("no column 'review'") && e.getMessage().contains("text"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JavaformersSpark.classify(sentences, "id", model));
        assertTrue(e.getMessage().contains("'id' holds int"), e.getMessage());
        Dataset<Row> scored = JavaformersSpark.classify(sentences, "text", model);
        e = assertThrows(IllegalArgumentException.class, () -> JavaformersSpark.classify(scored, "text", model));
        assertTrue(e.getMessage().contains("output_prefix"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JavaformersSpark.classify(sentences, "text", model,
                Map.of("batch_size", 0)));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JavaformersSpark.classify(sentences, "text", model,
                Map.of("top_kk", 2)));
        assertTrue(e.getMessage().contains("top_kk"), e.getMessage());
    }
}
