package dev.javaformers.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job {@code spark-submit} runs on a cluster:
 * {@code spark-submit --class dev.javaformers.spark.ClassifyJob javaformers-spark-0.1.0-SNAPSHOT-all.jar
 * classify|embed --input IN --column text --model MODEL --output OUT.parquet [--batch-size 32] [--output-prefix P]}.
 * IN is Parquet, CSV (with a header) or JSON lines, by its extension; the output is Parquet. The session is the
 * one spark-submit configures ({@code --master}); run directly, it is local on every core.
 */
public final class ClassifyJob {

    private ClassifyJob() {}

    public static void main(String[] args) {
        boolean submitted = System.getProperty("spark.master") != null; // spark-submit passes its --master so
        SparkSession spark = submitted ? SparkSession.builder().appName("javaformers").getOrCreate()
                : JavaformersSpark.local(Runtime.getRuntime().availableProcessors());
        long rows = run(spark, args);
        System.out.println("wrote " + rows + " rows");
    }

    /** Runs the job with {@code args}; returns the number of rows written. */
    static long run(SparkSession spark, String[] args) {
        if (args.length == 0 || !List.of("classify", "embed").contains(args[0])) {
            throw new IllegalArgumentException(usage("the first argument is classify or embed"));
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException(usage("'" + args[i] + "' is not --name value"));
            }
            named.put(args[i].substring(2), args[i + 1]);
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("input", "model", "output")) {
            if (!named.containsKey(required)) {
                missing.add("--" + required);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(usage("missing " + missing));
        }
        String input = named.remove("input");
        String model = named.remove("model");
        String output = named.remove("output");
        String column = named.getOrDefault("column", "text");
        named.remove("column");
        Map<String, Object> options = new LinkedHashMap<>();
        named.forEach((k, v) -> options.put(k.replace('-', '_'), v.matches("\\d+") ? (Object) Integer.valueOf(v)
                : v.equals("true") || v.equals("false") ? (Object) Boolean.valueOf(v) : v));
        Dataset<Row> df = JavaformersSpark.read(spark, input, true);
        Dataset<Row> out = args[0].equals("classify") ? JavaformersSpark.classify(df, column, model, options)
                : JavaformersSpark.embed(df, column, model, options);
        out.write().mode("overwrite").parquet(output);
        return spark.read().parquet(output).count();
    }

    private static String usage(String problem) {
        return problem + "; usage: ClassifyJob classify|embed --input IN(.parquet|.csv|.jsonl) --model MODEL "
                + "--output OUT.parquet [--column text] [--batch-size 32] [--output-prefix P] [--max-length N]";
    }
}
