package dev.javaformers.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Llama-family tokenizer.json files need (chat/tiny-llama-tokenizer, made by
 * scripts/reference/chat_templates.py): byte fallback for characters outside the vocabulary, and
 * {@code add_bos_token} / {@code add_eos_token} rewriting the post-processor as LlamaTokenizerFast does.
 */
class LlamaTokenizerTest {

    static final String TOKENIZER = TestResources.path("chat/tiny-llama-tokenizer").toString();

    @Test
    void charactersOutsideTheVocabularyFallBackToTheirUtf8Bytes() {
        try (PreTrainedTokenizer tk = AutoTokenizer.fromPretrained(TOKENIZER)) {
            String text = "hello wörld ☃";
            List<String> tokens = tk.tokenize(text);
            assertTrue(tokens.containsAll(List.of("<0xC3>", "<0xB6>")), "ö is bytes C3 B6: " + tokens);
            assertTrue(tokens.containsAll(List.of("<0xE2>", "<0x98>", "<0x83>")), "☃ is bytes E2 98 83: " + tokens);
            assertTrue(!tokens.contains("<unk>"), tokens.toString());
            long[] ids = tk.encode(text).inputIds()[0];
            assertEquals(text, tk.decode(ids, true));
            assertEquals("<s> " + text, tk.decode(ids, false), "the decoder strips one leading space");
        }
    }

    @Test
    void addBosAndAddEosTokenDecideTheSpecialTokens(@TempDir Path dir) {
        long bos = 1;
        long eos = 2;
        try (PreTrainedTokenizer plain = AutoTokenizer.fromPretrained(TOKENIZER);
                PreTrainedTokenizer both = AutoTokenizer.fromPretrained(TOKENIZER, Map.of("add_eos_token", true));
                PreTrainedTokenizer none = AutoTokenizer.fromPretrained(TOKENIZER, Map.of("add_bos_token", false))) {
            long[] body = plain.encode("hello", Map.of("add_special_tokens", false)).inputIds()[0];
            assertEquals(bos, plain.encode("hello").inputIds()[0][0]);
            long[] withBoth = both.encode("hello").inputIds()[0];
            assertEquals(body.length + 2, withBoth.length);
            assertEquals(bos, withBoth[0]);
            assertEquals(eos, withBoth[withBoth.length - 1]);
            assertArrayEquals(body, none.encode("hello").inputIds()[0]);
            long[] pair = both.encode("hello", "the cat", Map.of()).inputIds()[0];
            assertEquals(List.of(bos, eos), List.of(pair[0], pair[pair.length - 1]));
            assertEquals(4, java.util.Arrays.stream(pair).filter(id -> id == bos || id == eos).count(),
                    "bos A eos bos B eos");

            // Saved, the rewritten template is what a Python tokenizer loads.
            both.save(dir);
            var saved = PyJson.read(dir.resolve("tokenizer.json")).get("post_processor");
            assertEquals("</s>", saved.get("single").get(2).get("SpecialToken").get("id").asText());
            assertTrue(PyJson.read(dir.resolve("tokenizer_config.json")).get("add_eos_token").asBoolean());
        }
        var missing = assertThrows(IllegalArgumentException.class, () -> AutoTokenizer.fromPretrained(TOKENIZER,
                Map.of("add_eos_token", true, "eos_token", "<none>")));
        assertTrue(missing.getMessage().contains("eos_token"), missing.getMessage());
    }
}
