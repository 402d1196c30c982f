package dev.javaformers.spark;

import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import dev.javaformers.tokenize.AutoTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code scripts/bench spark [runs] [rows] [model]}: rows/s of text-classification through Spark at local[1] and
 * local[2], and core's own batched pipeline on the same rows in the same JVM: the local[2] / local[1] ratio and
 * the Spark path's cost per row over core's. Medians of {@code runs}; the model is all-MiniLM-L6-v2 with a new
 * two-label head unless a folder is given. Batch size 32 everywhere.
 */
public final class SparkBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String model = args.length > 2 ? args[2] : miniLmClassifier();
        List<String> all = Datasets.builtin("sentiment-sentences").column("text").stream().map(Object::toString)
                .toList();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add(all.get(i % all.size()));
        }
        double core = median(runs, () -> {
            try (Pipeline pipe = Pipelines.pipeline("text-classification", model, Map.of("batch_size", 32))) {
                pipe.call(texts.subList(0, 64)); // warm-up
                long t = System.nanoTime();
                pipe.call(texts);
                return (System.nanoTime() - t) / 1e9;
            }
        });
        double one = spark(1, runs, texts, model);
        double two = spark(2, runs, texts, model);
        System.out.printf("%d rows, batch 32, medians of %d runs (model %s)%n", n, runs, model);
        System.out.printf("core pipeline      %8.1f rows/s%n", n / core);
        System.out.printf("spark local[1]     %8.1f rows/s  (%.0f us a row over core's)%n", n / one,
                (one - core) / n * 1e6);
        System.out.printf("spark local[2]     %8.1f rows/s  (%.2fx local[1])%n", n / two, one / two);
    }

    /** Seconds of one classify over the rows (a count, so that every row is computed) at local[threads]. */
    static double spark(int threads, int runs, List<String> texts, String model) throws Exception {
        SparkSession spark = JavaformersSpark.local(threads);
        spark.sparkContext().setLogLevel("ERROR");
        try {
            List<Row> rows = texts.stream().map(t -> RowFactory.create(t)).toList();
            Dataset<Row> df = spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("text", DataTypes.StringType, true)))).repartition(4 * threads)
                    .cache();
            df.count();
            JavaformersSpark.classify(df.limit(64), "text", model, Map.of("batch_size", 32)).count(); // loads
            return median(runs, () -> {
                long t = System.nanoTime();
                JavaformersSpark.classify(df, "text", model, Map.of("batch_size", 32)).count();
                return (System.nanoTime() - t) / 1e9;
            });
        } finally {
            spark.stop();
        }
    }

    interface Timed {
        double seconds() throws Exception;
    }

    static double median(int runs, Timed timed) throws Exception {
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            s[i] = timed.seconds();
        }
        Arrays.sort(s);
        return s[runs / 2];
    }

    static String miniLmClassifier() throws Exception {
        Path dir = Files.createTempDirectory("bench-minilm-classifier");
        String name = "sentence-transformers/all-MiniLM-L6-v2";
        try (var m = AutoModelForSequenceClassification.fromPretrained(name, Map.of("num_labels", 2));
                var tok = AutoTokenizer.fromPretrained(name)) {
            m.save(dir);
            tok.save(dir);
        }
        return dir.toString();
    }
}
