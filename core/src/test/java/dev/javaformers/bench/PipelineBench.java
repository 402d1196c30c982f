package dev.javaformers.bench;

import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pipelines issue's benchmark: texts per second through {@code pipeline("text-classification")} on the bundled
 * all-MiniLM-L6-v2 (a fresh two-label head), 256 short reviews, at batch sizes 1, 8 and 32; medians of the runs.
 * Run with {@code scripts/bench pipelines [runs]}.
 */
public final class PipelineBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String[] words = {"the", "film", "was", "really", "good", "bad", "phone", "battery", "broke", "after", "a",
            "day", "I", "loved", "hated", "every", "minute", "of", "it", "and", "the", "ending", "too"};
        java.util.Random random = new java.util.Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0, n = 6 + random.nextInt(14); w < n; w++) {
                text.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            texts.add(text.append('.').toString());
        }
        System.out.printf("text-classification, all-MiniLM-L6-v2 (bundled), %d texts of 6-20 words, median of %d runs%n",
                texts.size(), runs);
        double base = 0;
        for (int batch : new int[] {1, 8, 32}) {
            try (Pipeline classifier = Pipelines.pipeline("text-classification", "sentence-transformers/all-MiniLM-L6-v2",
                    Map.of("local_files_only", true, "batch_size", batch))) {
                double seconds = Bench.median(1, runs, () -> classifier.call(texts));
                double rate = texts.size() / seconds;
                base = batch == 1 ? rate : base;
                System.out.printf("batch_size %2d: %7.1f texts/s (%.2fx batch_size 1)%n", batch, rate, rate / base);
            }
        }
    }
}
