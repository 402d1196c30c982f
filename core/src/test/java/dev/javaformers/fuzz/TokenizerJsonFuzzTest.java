package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes tokenizer.json through AutoTokenizer and an encode: nothing may reach the Rust tokenizer that makes it
 * abort.
 */
class TokenizerJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "tokenizer.json", IllegalArgumentException.class,
                file -> {
                    try (PreTrainedTokenizer tok = AutoTokenizer.fromPretrained(file.getParent().toString())) {
                        tok.encode(List.of("Hello world, héllo wörld!", ""), Map.of("truncation", true));
                    }
                });
    }
}
