package dev.javaformers.spark;

import dev.javaformers.pipelines.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tech.tablesaw.api.Table;

/**
 * A model over a Spark DataFrame: {@link #classify} adds {@code label}, {@code score} and {@code error} columns,
 * {@link #embed} an {@code embedding} (array&lt;float&gt;) and {@code error}. Rows go through core's pipelines in
 * batches inside {@code mapPartitions}; each executor JVM loads the model once per task slot (from a folder it can
 * read, a folder {@link #ship shipped} to it, or its Hub cache).
 *
 * <pre>{@code
 * Dataset<Row> scored = JavaformersSpark.classify(reviews, "text", "out/sentiment-model",
 *         Map.of("batch_size", 32));
 * JavaformersSpark.registerUdfs(spark, "out/sentiment-model", Map.of());
 * spark.sql("SELECT text, jf_classify(text).label FROM reviews");
 * }</pre>
 *
 * Options: {@code batch_size} (32), {@code truncation} (true: texts longer than the model takes are cut, as the
 * pipelines do), {@code max_length}, {@code output_prefix} (before the added columns' names), and the pipeline's
 * own settings ({@code function_to_apply}; for embeddings {@code pooling} ("mean") and {@code normalize} (true);
 * {@code revision}, ...).
 */
public final class JavaformersSpark {

    private static final Set<String> CALL_SETTINGS = Set.of("truncation", "max_length");

    private JavaformersSpark() {}

    public static Dataset<Row> classify(Dataset<Row> df, String column, String model) {
        return classify(df, column, model, Map.of());
    }

    /** {@code df} with the best {@code label} of each text in {@code column}, its {@code score}, an {@code error}. */
    public static Dataset<Row> classify(Dataset<Row> df, String column, String model, Map<String, ?> options) {
        return run(InferenceTask.CLASSIFY, df, column, model, options);
    }

    public static Dataset<Row> embed(Dataset<Row> df, String column, String model) {
        return embed(df, column, model, Map.of());
    }

    /** {@code df} with each text's sentence {@code embedding} (mean pooled, unit length) and an {@code error}. */
    public static Dataset<Row> embed(Dataset<Row> df, String column, String model, Map<String, ?> options) {
        return run(InferenceTask.EMBED, df, column, model, options);
    }

    private static Dataset<Row> run(InferenceTask task, Dataset<Row> df, String column, String model,
            Map<String, ?> options) {
        StructType schema = df.schema();
        int index = textColumn(schema, column);
        Map<String, Object> pipelineOptions = new LinkedHashMap<>(task.pipelineDefaults());
        Map<String, Object> callSettings = new LinkedHashMap<>(Map.of("truncation", true));
        String prefix = "";
        int batchSize = 32;
        for (var e : options.entrySet()) {
            switch (e.getKey()) {
                case "batch_size" -> batchSize = positive(e.getValue(), "batch_size");
                case "output_prefix" -> prefix = String.valueOf(e.getValue());
                default -> (CALL_SETTINGS.contains(e.getKey()) ? callSettings : pipelineOptions)
                        .put(e.getKey(), e.getValue());
            }
        }
        List<StructField> fields = new ArrayList<>(List.of(schema.fields()));
        fields.addAll(task.fields(prefix));
        fields.add(DataTypes.createStructField(prefix + "error", DataTypes.StringType, true));
        if (fields.stream().map(StructField::name).distinct().count() != fields.size()) {
            throw new IllegalArgumentException("The DataFrame has a column named as the new ones " + task.fields(prefix)
                    .stream().map(StructField::name).toList() + " or '" + prefix + "error' already: give the new "
                    + "columns a prefix, as output_prefix: 'pred_'");
        }
        StructType out = DataTypes.createStructType(fields);
        checkLoads(task, model, pipelineOptions);
        return df.mapPartitions(new InferencePartition(task, model, pipelineOptions, callSettings, index, batchSize),
                Encoders.row(out));
    }

    /**
     * Registers {@code jf_classify(text)} (a struct of label, score) and {@code jf_embed(text)} (array&lt;float&gt;)
     * for SQL, on {@code model} with {@code options} as {@link #classify} takes them. They run one row at a time;
     * {@link #classify} and {@link #embed} batch, and are the faster way over large tables.
     */
    public static void registerUdfs(SparkSession spark, String model, Map<String, ?> options) {
        Map<String, Object> callSettings = new HashMap<>(Map.of("truncation", true));
        HashMap<String, Object> classifyOptions = new HashMap<>();
        options.forEach((k, v) -> {
            if (CALL_SETTINGS.contains(k)) {
                callSettings.put(k, v);
            } else if (!k.equals("batch_size") && !k.equals("output_prefix")) {
                classifyOptions.put(k, v);
            }
        });
        HashMap<String, Object> embedOptions = new HashMap<>(InferenceTask.EMBED.pipelineDefaults());
        embedOptions.putAll(classifyOptions);
        HashMap<String, Object> settings = new HashMap<>(callSettings);
        StructType labelScore = DataTypes.createStructType(InferenceTask.CLASSIFY.fields(""));
        spark.udf().register("jf_classify", (UDF1<String, Row>) text -> text == null ? null
                : RowFactory.create(one(InferenceTask.CLASSIFY, model, classifyOptions, settings, text)), labelScore);
        spark.udf().register("jf_embed", (UDF1<String, float[]>) text -> text == null ? null
                : (float[]) one(InferenceTask.EMBED, model, embedOptions, settings, text)[0],
                DataTypes.createArrayType(DataTypes.FloatType, false));
    }

    private static Object[] one(InferenceTask task, String model, Map<String, Object> options,
            Map<String, Object> settings, String text) {
        Pipeline pipeline = ExecutorPipelines.borrow(task.pipelineTask, model, options);
        try {
            return task.values(((List<?>) pipeline.call(List.of(text), settings)).get(0));
        } finally {
            ExecutorPipelines.giveBack(task.pipelineTask, model, options, pipeline);
        }
    }

    /**
     * Sends the model folder {@code dir} to every executor (Spark's {@code addFile}, recursive), for clusters
     * without a shared file system; pass the returned name (the folder's name) as the model.
     */
    public static String ship(SparkSession spark, Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("Not a model folder (no config.json): " + dir);
        }
        spark.sparkContext().addFile(dir.toAbsolutePath().toString(), true);
        return dir.getFileName().toString();
    }

    /**
     * A local Spark session on {@code threads} cores for scripts and tests: driver bound to loopback, no web UI,
     * a task retried once when it fails (as a cluster retries it).
     */
    public static SparkSession local(int threads) {
        return session("local[" + threads + ",2]");
    }

    /** A Spark session on {@code master} ("local[2]", "spark://host:7077", ...); a local driver stays on loopback. */
    public static SparkSession session(String master) {
        SparkSession.Builder builder = SparkSession.builder().appName("javaformers").master(master)
                .config("spark.ui.enabled", "false");
        if (master.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        return builder.getOrCreate();
    }

    /**
     * A Javaformers dataset (a Tablesaw table in memory) as a DataFrame: class-label columns as their names
     * ("positive"), other numbers as doubles, the rest as text.
     */
    public static Dataset<Row> fromDataset(SparkSession spark, dev.javaformers.data.Dataset data) {
        Table t = data.table();
        List<StructField> fields = new ArrayList<>();
        List<dev.javaformers.data.ClassLabel> labels = new ArrayList<>();
        for (var c : t.columns()) {
            labels.add(data.classLabel(c.name()));
            boolean number = c instanceof tech.tablesaw.api.NumericColumn<?> && labels.get(labels.size() - 1) == null;
            fields.add(DataTypes.createStructField(c.name(), number ? DataTypes.DoubleType : DataTypes.StringType,
                    true));
        }
        List<Row> rows = new ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            Object[] values = new Object[fields.size()];
            for (int c = 0; c < values.length; c++) {
                var column = t.column(c);
                values[c] = column.isMissing(r) ? null : labels.get(c) != null
                        ? labels.get(c).decode(((Number) column.get(r)).intValue())
                        : fields.get(c).dataType() == DataTypes.DoubleType ? ((Number) column.get(r)).doubleValue()
                        : column.getString(r);
            }
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /**
     * A table by its extension: .parquet, .csv (with a header), .json / .jsonl (JSON lines); any other path is read
     * as Parquet when {@code otherwiseParquet} (a cluster's dataset folders have no extension), else as CSV.
     */
    public static Dataset<Row> read(SparkSession spark, String path, boolean otherwiseParquet) {
        return path.endsWith(".parquet") ? spark.read().parquet(path)
                : path.endsWith(".json") || path.endsWith(".jsonl") ? spark.read().json(path)
                : path.endsWith(".csv") || !otherwiseParquet ? csv(spark, path) : spark.read().parquet(path);
    }

    /** A CSV file with a header line; quoted fields may span lines, quotes escaped by doubling them. */
    public static Dataset<Row> csv(SparkSession spark, String path) {
        return spark.read().option("header", true).option("multiLine", true).option("escape", "\"").csv(path);
    }

    /**
     * The first {@code rows} rows as a Tablesaw table (arrays as their size and first numbers), which the Jupyter
     * kernel shows as an HTML table.
     */
    public static Table preview(Dataset<Row> df, int rows) {
        Table t = Table.create("preview");
        List<Row> head = df.limit(rows).collectAsList();
        for (String name : df.columns()) {
            List<String> values = new ArrayList<>();
            for (Row r : head) {
                Object v = r.get(r.fieldIndex(name));
                values.add(v == null ? "" : v instanceof scala.collection.Seq<?> seq ? seq.size() + " numbers ["
                        + seq.take(3).mkString(", ") + ", ...]" : String.valueOf(v));
            }
            t.addColumns(tech.tablesaw.api.StringColumn.create(name, values));
        }
        return t;
    }

    private static int textColumn(StructType schema, String column) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("The DataFrame has no column '" + column + "'; it has "
                    + List.of(schema.fieldNames()));
        }
        StructField field = schema.apply(column);
        if (!(field.dataType() instanceof StringType)) {
            throw new IllegalArgumentException("Column '" + column + "' holds " + field.dataType().simpleString()
                    + ", not text (string)");
        }
        return schema.fieldIndex(column);
    }

    private static int positive(Object value, String name) {
        if (value instanceof Number n && n.intValue() >= 1 && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 1, not " + value);
    }

    /** Loads the pipeline once on the driver, so that a wrong model or option fails here, not in every task. */
    private static void checkLoads(InferenceTask task, String model, Map<String, Object> options) {
        if (Files.isDirectory(Path.of(model))) {
            ExecutorPipelines.giveBack(task.pipelineTask, model, options,
                    ExecutorPipelines.borrow(task.pipelineTask, model, options));
        }
    }
}
