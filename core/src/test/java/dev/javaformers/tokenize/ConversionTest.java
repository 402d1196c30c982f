package dev.javaformers.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.TestResources;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repositories without tokenizer.json load as transformers converts slow tokenizers, and give the same ids as
 * the reference on a varied sample: accents, Chinese, emoji, punctuation, long words, whitespace runs.
 */
class ConversionTest {

    @TempDir
    static Path cache;
    @TempDir
    Path tmp;

    /** bert-base-uncased's vocabulary written out as vocab.txt, from the MiniLM tokenizer.json. */
    private Path vocabTxtRepo(String name, boolean lowercase) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (PreTrainedTokenizer reference = TokenizerFixtures.miniLm(cache)) {
            List<String> tokens = reference.convertIdsToTokens(java.util.stream.LongStream.range(0, reference.size())
                    .toArray());
            Files.writeString(dir.resolve("vocab.txt"), String.join("\n", tokens) + "\n");
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": " + lowercase
                + ", \"model_max_length\": 512, \"tokenizer_class\": \"BertTokenizer\"}");
        return dir;
    }

    private static void assertSameIds(PreTrainedTokenizer expected, PreTrainedTokenizer actual) {
        List<String> texts = TokenizerFixtures.sampleTexts();
        for (String text : texts) {
            assertArrayEquals(expected.encode(text).inputIds()[0], actual.encode(text).inputIds()[0], text);
        }
        var pairs = expected.encode(texts.subList(0, 6), texts.subList(6, 12), Map.of());
        var converted = actual.encode(texts.subList(0, 6), texts.subList(6, 12), Map.of());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(pairs.inputIds()[i], converted.inputIds()[i], "pair " + i);
            assertArrayEquals(pairs.tokenTypeIds()[i], converted.tokenTypeIds()[i], "pair types " + i);
        }
    }

    @Test
    void uncasedWordPieceFromVocabTxtMatchesTokenizerJson() throws Exception {
        Path repo = vocabTxtRepo("uncased", true);
        try (PreTrainedTokenizer reference = TokenizerFixtures.miniLm(cache);
                PreTrainedTokenizer converted = AutoTokenizer.fromPretrained(repo.toString())) {
            assertEquals("[CLS]", converted.clsToken());
            assertEquals(0L, converted.padTokenId());
            assertSameIds(reference, converted);
        }
    }

    @Test
    void casedWordPieceFromVocabTxtMatchesTokenizerJson() throws Exception {
        Path cachedJson = Hub.cachedFile(TokenizerFixtures.MINILM, "tokenizer.json",
                HubOptions.builder(Map.of()).optCacheDir(cache).optLocalFilesOnly(true).build());
        ObjectNode json = (ObjectNode) PyJson.read(cachedJson);
        ((ObjectNode) json.get("normalizer")).put("lowercase", false); // as a cased BERT's tokenizer.json has it
        Path casedJson = Files.createDirectories(tmp.resolve("cased-json"));
        Files.writeString(casedJson.resolve("tokenizer.json"), json.toString());
        Path repo = vocabTxtRepo("cased", false);
        try (PreTrainedTokenizer reference = AutoTokenizer.fromPretrained(casedJson.toString());
                PreTrainedTokenizer converted = AutoTokenizer.fromPretrained(repo.toString())) {
            assertTrue(converted.tokenize("Hello").contains("[UNK]") || !converted.tokenize("Hello").get(0)
                    .equals("hello"), "cased: 'Hello' is not lowercased");
            assertSameIds(reference, converted);
        }
    }

    /** GPT-2's vocab.json + merges.txt give the ids of the reference JavaScript encoder (expected-gpt2.json). */
    @Test
    void byteLevelBpeFromVocabJsonAndMergesMatchesGpt2() {
        List<String> texts = TokenizerFixtures.sampleTexts();
        List<long[]> expected = TokenizerFixtures.expectedGpt2();
        try (PreTrainedTokenizer gpt2 = AutoTokenizer.fromPretrained(TestResources.path("tokenizers/gpt2").toString())) {
            assertEquals("<|endoftext|>", gpt2.eosToken());
            assertEquals(50256L, gpt2.eosTokenId());
            assertEquals(1024, gpt2.modelMaxLength);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(expected.get(i), gpt2.encode(texts.get(i)).inputIds()[0], texts.get(i));
                assertEquals(texts.get(i), gpt2.decode(expected.get(i)), "decode restores the text");
            }
            assertEquals(List.of("input_ids", "attention_mask"), gpt2.modelInputNames());
        }
    }
}
