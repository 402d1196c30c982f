package dev.javaformers.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.util.PyJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    @TempDir
    static Path cache;
    @TempDir
    Path tmp;
    static PreTrainedTokenizer tok;

    @BeforeAll
    static void load() {
        tok = TokenizerFixtures.miniLm(cache);
    }

    @AfterAll
    static void close() {
        tok.close();
    }

    @Test
    void oneTextAndAPairAsTransformersEncodesThem() {
        BatchEncoding one = tok.encode("Hello world!");
        assertArrayEquals(new long[] {101, 7592, 2088, 999, 102}, (long[]) one.get("input_ids"));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0}, (long[]) one.get("token_type_ids"));
        assertArrayEquals(new long[] {1, 1, 1, 1, 1}, (long[]) one.get("attention_mask"));
        assertEquals(List.of("input_ids", "token_type_ids", "attention_mask"), List.copyOf(one.keySet()));
        assertArrayEquals(new String[] {"[CLS]", "hello", "world", "!", "[SEP]"}, one.tokens(0));

        BatchEncoding pair = tok.encode("Hello world!", "How are you?", Map.of());
        assertArrayEquals(new long[] {101, 7592, 2088, 999, 102, 2129, 2024, 2017, 1029, 102},
                (long[]) pair.get("input_ids"));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, (long[]) pair.get("token_type_ids"));
        assertTrue(pair.toString().contains("input_ids: [[101, 7592") && pair.toString().contains("tokens[0]: [CLS]"),
                pair.toString());
    }

    @Test
    void paddingLongestMaxLengthMultipleAndLeft() {
        List<String> texts = List.of("short", "a somewhat longer sentence here");
        BatchEncoding longest = tok.encode(texts, Map.of("padding", true));
        long[][] ids = longest.inputIds();
        assertEquals(ids[1].length, ids[0].length);
        assertArrayEquals(new long[] {101, 2460, 102, 0, 0, 0, 0}, ids[0]);
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 0}, longest.attentionMask()[0]);

        BatchEncoding max = tok.encode(texts, Map.of("padding", "max_length", "max_length", 10));
        assertEquals(10, max.inputIds()[0].length);
        BatchEncoding multiple = tok.encode(texts, Map.of("padding", "longest", "pad_to_multiple_of", 8));
        assertEquals(8, multiple.inputIds()[0].length);

        tok.paddingSide = "left";
        try {
            long[] left = tok.encode(texts, Map.of("padding", true)).inputIds()[0];
            assertArrayEquals(new long[] {0, 0, 0, 0, 101, 2460, 102}, left);
        } finally {
            tok.paddingSide = "right";
        }
    }

    @Test
    void truncationStrategies() {
        String first = "one two three four five six seven eight";
        String second = "alpha beta gamma delta";
        long[] onlySecond = tok.encode(first, second, Map.of("truncation", "only_second", "max_length", 14))
                .inputIds()[0];
        assertEquals(14, onlySecond.length);
        assertEquals(List.of("[CLS]", "one", "two", "three", "four", "five", "six", "seven", "eight", "[SEP]",
                "alpha", "beta", "gamma", "[SEP]"), tok.convertIdsToTokens(onlySecond));
        long[] onlyFirst = tok.encode(first, second, Map.of("truncation", "only_first", "max_length", 10)).inputIds()[0];
        assertEquals(List.of("[CLS]", "one", "two", "three", "[SEP]", "alpha", "beta", "gamma", "delta", "[SEP]"),
                tok.convertIdsToTokens(onlyFirst));
        long[] longestFirst = tok.encode(first, second, Map.of("truncation", true, "max_length", 9)).inputIds()[0];
        assertEquals(List.of("[CLS]", "one", "two", "three", "[SEP]", "alpha", "beta", "gamma", "[SEP]"),
                tok.convertIdsToTokens(longestFirst));
        assertEquals(512, tok.encode("word ".repeat(600), Map.of("truncation", true)).inputIds()[0].length,
                "without max_length, truncation uses model_max_length");

        tok.truncationSide = "left";
        try {
            assertEquals(List.of("[CLS]", "seven", "eight", "[SEP]"), tok.convertIdsToTokens(
                    tok.encode(first, Map.of("truncation", true, "max_length", 4)).inputIds()[0]));
        } finally {
            tok.truncationSide = "right";
        }
    }

    @Test
    void strideGivesOverlappingOverflowRows() {
        BatchEncoding enc = tok.encode(List.of("one two three four five six seven eight nine ten", "eleven"),
                Map.of("truncation", true, "max_length", 6, "stride", 2, "return_overflowing_tokens", true,
                        "padding", true));
        long[] mapping = (long[]) enc.get("overflow_to_sample_mapping");
        assertArrayEquals(new long[] {0, 0, 0, 0, 1}, mapping, "10 words in windows of 4 moving by 2: 4 rows");
        assertEquals(List.of("[CLS]", "one", "two", "three", "four", "[SEP]"), tok.convertIdsToTokens(enc.inputIds()[0]));
        assertEquals(List.of("[CLS]", "three", "four", "five", "six", "[SEP]"), tok.convertIdsToTokens(enc.inputIds()[1]),
                "the second window repeats the last two tokens of the first");
        assertEquals(List.of("[CLS]", "seven", "eight", "nine", "ten", "[SEP]"), tok.convertIdsToTokens(enc.inputIds()[3]));
        assertEquals(6, enc.inputIds()[4].length, "the short text is padded to the window");
    }

    @Test
    void tensorsOffsetsAndTheReturnFlags() {
        try (BatchEncoding pt = tok.encode(List.of("Hello world!", "Hi"), Map.of("padding", true,
                "return_tensors", "pt"))) {
            NDArray ids = assertInstanceOf(NDArray.class, pt.get("input_ids"));
            assertArrayEquals(new long[] {2, 5}, ids.getShape().getShape());
            assertArrayEquals(new long[] {101, 7592, 2088, 999, 102}, ids.get(0).toLongArray());
        }
        var ragged = assertThrows(IllegalArgumentException.class, () -> tok.encode(List.of("Hello world!", "Hi"),
                Map.of("return_tensors", "pt")));
        assertTrue(ragged.getMessage().contains("padding"), ragged.getMessage());

        BatchEncoding offsets = tok.encode("Hello world!", Map.of("return_offsets_mapping", true,
                "return_token_type_ids", false, "return_attention_mask", false, "return_special_tokens_mask", true));
        assertEquals(List.of("input_ids", "special_tokens_mask", "offset_mapping"), List.copyOf(offsets.keySet()));
        assertArrayEquals(new int[][] {{0, 0}, {0, 5}, {6, 11}, {11, 12}, {0, 0}}, (int[][]) offsets.get("offset_mapping"));
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, (long[]) offsets.get("special_tokens_mask"));
        assertArrayEquals(new long[] {7592, 2088, 999}, (long[]) tok.encode("Hello world!",
                Map.of("add_special_tokens", false)).get("input_ids"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> tok.encode("x", Map.of("pading", true)));
        assertTrue(unknown.getMessage().contains("pading"), unknown.getMessage());
    }

    @Test
    void decodingAndVocabulary() {
        long[] ids = tok.encode("Hello, world!").inputIds()[0];
        assertEquals("[CLS] hello, world! [SEP]", tok.decode(ids));
        assertEquals("hello, world!", tok.decode(ids, true));
        assertEquals(List.of("hello", "world"), tok.batchDecode(new long[][] {{7592}, {2088}}, true));
        assertEquals(List.of("i", "have", "a", "new", "gp", "##u", "!"), tok.tokenize("I have a new GPU!"));
        assertEquals(List.of(7592L, 100L), tok.convertTokensToIds(List.of("hello", "not-a-token")));
        assertEquals(30522, tok.size());
        assertEquals(Map.of("pad_token", "[PAD]", "unk_token", "[UNK]", "cls_token", "[CLS]", "sep_token", "[SEP]",
                "mask_token", "[MASK]"), tok.specialTokens());
        assertEquals(103L, tok.maskTokenId());
    }

    @Test
    void tooLongWithoutTruncationWarnsAsTransformersDoes() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try (PreTrainedTokenizer fresh = TokenizerFixtures.miniLm(cache)) {
            long[] ids = fresh.encode("word ".repeat(600)).inputIds()[0];
            assertEquals(602, ids.length, "no truncation, no crash");
        } finally {
            System.setErr(saved);
        }
        assertTrue(err.toString().contains("Token indices sequence length is longer than the specified maximum "
                + "sequence length for this model (602 > 512)"), err.toString());
    }

    @Test
    void saveAndLoadBack() throws Exception {
        Path dir = tok.save(tmp.resolve("saved"));
        var config = PyJson.read(dir.resolve("tokenizer_config.json"));
        assertEquals(512, config.get("model_max_length").asInt());
        assertEquals("[PAD]", config.get("pad_token").asText());
        assertEquals("BertTokenizer", config.get("tokenizer_class").asText());
        assertEquals("[MASK]", PyJson.read(dir.resolve("special_tokens_map.json")).get("mask_token").asText());
        assertTrue(PyJson.read(dir.resolve("tokenizer.json")).has("model"));
        try (PreTrainedTokenizer again = AutoTokenizer.fromPretrained(dir.toString(), Map.of("padding_side", "left"))) {
            for (String text : TokenizerFixtures.sampleTexts()) {
                assertArrayEquals(tok.encode(text).inputIds()[0], again.encode(text).inputIds()[0], text);
            }
            assertEquals("left", again.paddingSide);
        }
    }

    @Test
    void gpt2NeedsAPadTokenToPad() {
        try (PreTrainedTokenizer gpt2 = AutoTokenizer.fromPretrained(TestResources.path("tokenizers/gpt2").toString())) {
            var e = assertThrows(IllegalStateException.class,
                    () -> gpt2.encode(List.of("a", "a longer one"), Map.of("padding", true)));
            assertTrue(e.getMessage().contains("padding token"), e.getMessage());
            gpt2.setPadToken(gpt2.eosToken());
            assertEquals(50256L, gpt2.encode(List.of("a", "a longer one"), Map.of("padding", true)).inputIds()[0][2]);
        }
    }

    /** A user's tokenizer class, picked for models with their config, as transformers' register. */
    public static class ShoutingTokenizer extends PreTrainedTokenizer {
        public ShoutingTokenizer(TokenizerDefinition definition) {
            super(definition);
        }

        @Override
        public BatchEncoding encode(String text, Map<String, ?> options) {
            return super.encode(text.toLowerCase(java.util.Locale.ROOT) + "!", options);
        }
    }

    public static class ShoutConfig extends PretrainedConfig {
        @Override
        public String getModelType() {
            return "shout";
        }
    }

    @Test
    void registeredTokenizerClassIsPickedByTheModelConfig() throws Exception {
        AutoConfig.register("shout", ShoutConfig.class);
        AutoTokenizer.register(ShoutConfig.class, ShoutingTokenizer.class);
        Path dir = tok.save(tmp.resolve("shout"));
        new ShoutConfig().save(dir);
        try (PreTrainedTokenizer shouting = AutoTokenizer.fromPretrained(dir.toString())) {
            assertInstanceOf(ShoutingTokenizer.class, shouting);
            assertArrayEquals(new long[] {101, 7592, 999, 102}, shouting.encode("HELLO").inputIds()[0]);
        }
        assertThrows(IllegalArgumentException.class,
                () -> AutoTokenizer.register(ShoutConfig.class, ShoutingTokenizer.class));
        assertFalse(Files.exists(dir.resolve("vocab.txt")));
    }
}
