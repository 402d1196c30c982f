package dev.javaformers.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tokenizers issue's benchmark: encoding a batch of 1,000 sentences (padding to the longest, truncation at
 * 128) through AutoTokenizer against the Rust library called directly through DJL with the same settings.
 * Run with {@code scripts/bench tokenizers}.
 */
public final class TokenizerBench {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path cache = Files.createTempDirectory("bench-hub");
        HubOptions offline = HubOptions.builder().optCacheDir(cache).optLocalFilesOnly(true).build();
        String name = "sentence-transformers/all-MiniLM-L6-v2";
        Path json = Hub.cachedFile(name, "tokenizer.json", offline);
        List<String> sample = new ArrayList<>();
        PyJson.read(Path.of(args.length > 1 ? args[1] : "core/src/test/resources/tokenizers/sample-texts.json"))
                .forEach(t -> sample.add(t.asText()));
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add(sample.get(i % sample.size()) + " sentence " + i);
        }
        Map<String, Object> options = Map.of("padding", true, "truncation", true, "max_length", 128);
        try (PreTrainedTokenizer ours = AutoTokenizer.fromPretrained(name, Map.of("cache_dir", cache.toString(),
                "local_files_only", true));
                HuggingFaceTokenizer direct = HuggingFaceTokenizer.builder().optTokenizerPath(json).optPadding(true)
                        .optTruncation(true).optMaxLength(128).build()) {
            long[] checksum = new long[2];
            double djl = Bench.median(3, runs, () -> {
                Encoding[] enc = direct.batchEncode(batch);
                checksum[0] += enc[0].getIds()[0];
            });
            double layer = Bench.median(3, runs, () -> {
                BatchEncoding enc = ours.encode(batch, options);
                checksum[1] += enc.inputIds()[0][0];
            });
            System.out.printf("batch of %d sentences, median of %d runs%n", batch.size(), runs);
            System.out.printf("DJL HuggingFaceTokenizer.batchEncode: %.1f ms (%.0f texts/s)%n", djl * 1e3,
                    batch.size() / djl);
            System.out.printf("AutoTokenizer encode:                 %.1f ms (%.0f texts/s)%n", layer * 1e3,
                    batch.size() / layer);
            System.out.printf("ratio (our layer / direct): %.3fx (goal <= 1.1x)%n", layer / djl);
        }
    }
}
