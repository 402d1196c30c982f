package dev.javaformers.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native memory is freed: a million short texts encoded in a loop leave the process size flat. */
class NativeMemoryTest {

    @TempDir
    static Path cache;

    private static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void aMillionTextsWithFlatMemory() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            batch.add("short text number " + i + " with a few words");
        }
        Map<String, Object> options = Map.of("padding", true, "truncation", true, "max_length", 32);
        try (PreTrainedTokenizer tok = TokenizerFixtures.miniLm(cache)) {
            long total = 0;
            long before = 0;
            for (int round = 0; round < 1000; round++) {
                total += tok.encode(batch, options).numRows();
                if (round == 99) {
                    System.gc();
                    before = residentKb();
                }
            }
            System.gc();
            long after = residentKb();
            assertEquals(1_000_000, total);
            System.out.printf("resident memory after 100k texts: %d MB, after 1M: %d MB%n", before / 1024,
                    after / 1024);
            assertTrue(after - before < 64 * 1024, "grew by " + (after - before) / 1024 + " MB over 900k texts");
        }
    }

    @Test
    void aClosedTokenizerSaysSo() {
        PreTrainedTokenizer tok = TokenizerFixtures.miniLm(cache);
        tok.close();
        var e = assertThrows(IllegalStateException.class, () -> tok.encode("x"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
