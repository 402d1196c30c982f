package dev.javaformers.bench;

import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.TextClassification;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start-up (issue 20): from {@code java} to the first prediction of the bundled MiniLM with the cache warm, phase
 * by phase (each run a fresh JVM), and {@code scripts/jf run} on a one-line script and on a script that loads the
 * model and predicts. Medians of {@code runs}. Run with {@code scripts/bench startup [runs]} from the repository.
 */
public final class StartupBench {

    private static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";

    /** One fresh JVM: prints "phase milliseconds-since-JVM-start" after each step. */
    public static final class Probe {
        public static void main(String[] args) {
            long start = ManagementFactory.getRuntimeMXBean().getStartTime();
            mark("main", start);
            ai.djl.engine.Engine.getEngine("PyTorch");
            mark("engine", start);
            try (PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(MINILM)) {
                mark("tokenizer", start);
                try (PreTrainedModel<?> model = AutoModelForSequenceClassification.fromPretrained(MINILM)) {
                    mark("model", start);
                    TextClassification.predict(model, tokenizer, List.of("I loved every minute of it."));
                    mark("prediction", start);
                }
            }
        }

        private static void mark(String phase, long start) {
            System.out.println(phase + " " + (System.currentTimeMillis() - start));
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        cache = Files.createTempDirectory("startup-bench-hub"); // warm after the first run, and not the user's
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        for (int r = 0; r <= runs; r++) { // the first run fills the cache and is not counted
            String out = run(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp",
                    System.getProperty("java.class.path"), Probe.class.getName()));
            if (r > 0) {
                out.lines().filter(l -> l.matches("[a-z]+ \\d+")).forEach(l -> phases.computeIfAbsent(l.split(" ")[0],
                        k -> new ArrayList<>()).add(Double.parseDouble(l.split(" ")[1]) / 1000));
            }
        }
        System.out.printf("From java to the first prediction of the bundled MiniLM, cache warm (median of %d fresh "
                + "JVMs):%n", runs);
        double before = 0;
        for (var e : phases.entrySet()) {
            double at = median(e.getValue());
            System.out.printf("  %-11s at %5.2f s  (+%.2f s)%n", e.getKey(), at, at - before);
            before = at;
        }
        System.out.printf("  first prediction after %.2f s (goal under 3 s)%n", before);

        Path jf = Path.of("scripts/jf");
        if (Files.isExecutable(jf)) {
            Path dir = Files.createTempDirectory("startup-bench");
            Path oneLine = Files.writeString(dir.resolve("one-line.groovy"), "println 'hello'\n");
            Path predict = Files.writeString(dir.resolve("predict.groovy"), "model '" + MINILM
                    + "' < task 'sequence-classification' >\nprintln predict('I loved every minute of it.')\n");
            for (Path script : List.of(oneLine, predict)) {
                run(List.of(jf.toString(), "run", script.toString())); // builds the launcher's class path once
                List<Double> seconds = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    long t = System.nanoTime();
                    run(List.of(jf.toString(), "run", script.toString()));
                    seconds.add((System.nanoTime() - t) / 1e9);
                }
                System.out.printf("scripts/jf run %-17s %.2f s (median of %d)%n", script.getFileName(),
                        median(seconds), runs);
            }
        }
    }

    private static Path cache;

    private static String run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HF_HUB_OFFLINE", "1");
        pb.environment().put("HF_HUB_CACHE", cache.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed:\n" + out);
        }
        return out;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }
}
