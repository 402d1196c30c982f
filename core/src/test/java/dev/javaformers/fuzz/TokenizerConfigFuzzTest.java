package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.TestResources;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes tokenizer_config.json (special tokens, added tokens, lengths, sides, the chat template) beside a valid
 * tokenizer.json, through AutoTokenizer, a padded and truncated encode, a decode and apply_chat_template.
 */
class TokenizerConfigFuzzTest {

    private static final byte[] TOKENIZER_JSON;

    static {
        try {
            TOKENIZER_JSON = Files.readAllBytes(TestResources.path("chat/tiny-llama-tokenizer/tokenizer.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            FuzzSupport.write(dir, "tokenizer.json", TOKENIZER_JSON);
            var file = FuzzSupport.write(dir, "tokenizer_config.json", data);
            FuzzSupport.expectResultOrRefusal(file, IllegalArgumentException.class, () -> {
                try (PreTrainedTokenizer tok = AutoTokenizer.fromPretrained(dir.toString())) {
                    if (tok.padTokenId() == null) {
                        tok.setPadToken("<unk>"); // in the vocabulary; padding without a pad token is a usage error
                    }
                    try (BatchEncoding batch = tok.encode(List.of("Hello world, héllo wörld!", "hi"),
                            Map.of("padding", true, "truncation", true))) {
                        tok.decode(batch.inputIds()[0]);
                    }
                    tok.applyChatTemplate(Map.of("add_generation_prompt", true), List.of(Map.of("role", "user",
                            "content", "hi")));
                }
            });
        });
    }
}
