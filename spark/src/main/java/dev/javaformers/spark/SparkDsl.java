package dev.javaformers.spark;

import dev.javaformers.dsl.JavaformersScript;
import dev.javaformers.dsl.Settings;
import groovy.lang.Closure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The verbs of the DSL's {@code spark { }} block: {@code csv}, {@code parquet}, {@code json} read DataFrames with
 * Spark; {@code classify} and {@code embed} run a model over one, with the settings {@code column} ('text'),
 * {@code batch} (32), {@code model} (default: the script's model, saved for the executors), {@code prefix},
 * {@code output} (a Parquet path to write) and {@code show} (rows to print), and any of
 * {@link JavaformersSpark#classify}'s options.
 */
public final class SparkDsl implements AutoCloseable {

    private final JavaformersScript script;
    private final SparkSession spark;
    /** Whether the block started the session (and so stops it): a session already running is left running. */
    private final boolean owned;
    private Path savedModel;

    public SparkDsl(JavaformersScript script, Map<String, ?> options) {
        this.script = script;
        Object master = options.get("master");
        this.owned = SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
        this.spark = master == null ? JavaformersSpark.local(Runtime.getRuntime().availableProcessors())
                : JavaformersSpark.session(master.toString());
        this.spark.sparkContext().setLogLevel("WARN");
    }

    public SparkSession getSession() {
        return spark;
    }

    public Dataset<Row> csv(String path) {
        return JavaformersSpark.csv(spark, path);
    }

    public Dataset<Row> parquet(String path) {
        return spark.read().parquet(path);
    }

    public Dataset<Row> json(String path) {
        return spark.read().json(path);
    }

    /** A DSL dataset (a Tablesaw table in memory) as a DataFrame. */
    public Dataset<Row> table(dev.javaformers.data.Dataset data) {
        return JavaformersSpark.fromDataset(spark, data);
    }

    public Dataset<Row> classify(Object source) {
        return classify(source, null);
    }

    /** {@code classify csv('big.csv') < column 'text', batch 32 >}. */
    public Dataset<Row> classify(Object source, Closure<?> block) {
        return run(InferenceTask.CLASSIFY, source, block);
    }

    public Dataset<Row> embed(Object source) {
        return embed(source, null);
    }

    public Dataset<Row> embed(Object source, Closure<?> block) {
        return run(InferenceTask.EMBED, source, block);
    }

    private Dataset<Row> run(InferenceTask task, Object source, Closure<?> block) {
        Map<String, Object> settings = new LinkedHashMap<>(Settings.of(block));
        String column = String.valueOf(settings.getOrDefault("column", "text"));
        settings.remove("column");
        Object output = settings.remove("output");
        Object show = settings.remove("show");
        Object model = settings.remove("model");
        Map<String, Object> options = new LinkedHashMap<>();
        settings.forEach((k, v) -> options.put(switch (k) {
            case "batch" -> "batch_size";
            case "prefix" -> "output_prefix";
            default -> k;
        }, v));
        Dataset<Row> df = dataFrame(source);
        String modelPath = model != null ? model.toString() : scriptModel();
        Dataset<Row> out = task == InferenceTask.CLASSIFY ? JavaformersSpark.classify(df, column, modelPath, options)
                : JavaformersSpark.embed(df, column, modelPath, options);
        if (output != null) {
            out.write().mode("overwrite").parquet(output.toString());
            out = spark.read().parquet(output.toString());
        }
        if (show != null) {
            out.show(((Number) show).intValue(), false);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Dataset<Row> dataFrame(Object source) {
        if (source instanceof Dataset<?> df) {
            return (Dataset<Row>) df;
        }
        if (source instanceof dev.javaformers.data.Dataset data) {
            return table(data);
        }
        if (source instanceof CharSequence path) {
            return JavaformersSpark.read(spark, path.toString(), false);
        }
        throw new IllegalArgumentException("classify and embed take a DataFrame (csv('file'), parquet('file')), a "
                + "dataset or a file path, not " + (source == null ? "null" : source.getClass().getSimpleName()));
    }

    /** The script's model and tokenizer, saved once to a folder the executors read (a local run's own disk). */
    private String scriptModel() {
        if (savedModel == null) {
            try {
                Path dir = Files.createTempDirectory("jf-spark-model");
                script.getModel().save(dir);
                script.getTokenizer().save(dir);
                savedModel = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return savedModel.toString();
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }
}
