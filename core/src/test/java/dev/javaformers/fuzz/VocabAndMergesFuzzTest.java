package dev.javaformers.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes vocab.json and merges.txt of a slow GPT-2 tokenizer (the input cut in two at its first NUL byte),
 * converted and used.
 */
class VocabAndMergesFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        // the bytes cut in two at the first NUL: vocab.json, merges.txt (a slow GPT-2 tokenizer's files)
        int cut = 0;
        while (cut < data.length && data[cut] != 0) {
            cut++;
        }
        byte[] vocab = java.util.Arrays.copyOfRange(data, 0, cut);
        byte[] merges = java.util.Arrays.copyOfRange(data, Math.min(data.length, cut + 1), data.length);
        FuzzSupport.inFolder(dir -> {
            FuzzSupport.write(dir, "tokenizer_config.json", "{\"tokenizer_class\": \"GPT2Tokenizer\"}".getBytes());
            Path file = FuzzSupport.write(dir, "vocab.json", vocab);
            FuzzSupport.write(dir, "merges.txt", merges);
            try {
                try (PreTrainedTokenizer tok = AutoTokenizer.fromPretrained(dir.toString())) {
                    tok.encode(List.of("Hello world", "low lower"), Map.of());
                }
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                assertTrue(message.contains("vocab.json") || message.contains("merges.txt"), message);
            }
            assertTrue(Files.exists(file));
        });
    }
}
