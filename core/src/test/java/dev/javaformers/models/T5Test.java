package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.t5.T5Config;
import dev.javaformers.models.t5.T5ForConditionalGeneration;
import dev.javaformers.models.t5.T5Model;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * T5 against real transformers 4.31 (scripts/reference/make_t5.py made hf-tiny-seq2seq): relative position
 * buckets (exact and logarithmic), the relu and gated-gelu feed-forwards, tied and untied heads; the encoder's
 * states, the logits and the loss to 1e-5 on a padded batch, decoder inputs made from labels; generate's ids
 * (greedy with and without the caches, 3 beams) as transformers' on the same padded batch.
 */
class T5Test {

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static JsonNode expected(String name) {
        return PyJson.read(TestResources.path("hf-tiny-seq2seq/expected.json")).get("models").get(name);
    }

    static String model(String name) {
        return TestResources.path("hf-tiny-seq2seq/" + name).toString();
    }

    NDArray array(JsonNode rows) {
        return Fixtures.ids(manager, rows);
    }

    @Test
    void t5WithReluAndTiedEmbeddings() {
        check("tiny-t5");
    }

    @Test
    void flanT5WithGatedGeluAndItsOwnHead() {
        check("tiny-flan-t5");
    }

    private void check(String name) {
        JsonNode e = expected(name);
        try (var loaded = AutoModelForSeq2SeqLM.fromPretrained(model(name))) {
            T5ForConditionalGeneration t5 = assertInstanceOf(T5ForConditionalGeneration.class, loaded);
            assertEquals(List.of(), loaded.loadReport().missingKeys(), name);
            assertEquals(List.of(), loaded.loadReport().unexpectedKeys(), name);
            NDArray labels = array(e.get("labels"));
            assertArrayEquals(TestResources.rows(e.get("decoder_input_ids"))[1],
                    Losses.shiftTokensRight(labels, 0, 0).get(1).toLongArray(), "shift_tokens_right");
            Seq2SeqLMOutput out = t5.forward(array(e.get("input_ids")), array(e.get("attention_mask")), null, null,
                    labels);
            Fixtures.assertClose(e.get("encoder_last_hidden_state"), out.encoderLastHiddenState(), name + " encoder");
            Fixtures.assertClose(e.get("logits"), out.logits(), name + " logits");
            assertEquals(e.get("loss").asDouble(), out.loss().getFloat(), 1e-5, name + " loss");
            long[][] ids = TestResources.rows(e.get("input_ids"));
            long[][] mask = TestResources.rows(e.get("attention_mask"));
            int n = e.get("max_new_tokens").asInt();
            assertArrayEquals(TestResources.rows(e.get("greedy")), t5.generate(ids, mask, Map.of("max_new_tokens", n)),
                    name + " greedy");
            assertArrayEquals(TestResources.rows(e.get("greedy")), t5.generate(ids, mask, Map.of("max_new_tokens", n,
                    "use_cache", false)), name + " greedy without the cache");
            assertArrayEquals(TestResources.rows(e.get("beam3")), t5.generate(ids, mask, Map.of("max_new_tokens", n,
                    "num_beams", 3)), name + " beams");
            var params = loaded.namedParameters();
            assertSame(params.get("shared.weight"), params.get("encoder.embed_tokens.weight"));
            assertSame(params.get("shared.weight"), params.get("decoder.embed_tokens.weight"));
            assertEquals(t5.config().tieWordEmbeddings, params.get("shared.weight") == params.get("lm_head.weight"));
        }
    }

    @Test
    void theBareModelLoadsTheSameWeightsAndTheConfigSavesAsTransformersDoes(@TempDir Path dir) throws Exception {
        JsonNode e = expected("tiny-flan-t5");
        try (var bare = AutoModel.fromPretrained(model("tiny-flan-t5"))) {
            T5Model t5 = assertInstanceOf(T5Model.class, bare);
            assertEquals(List.of("lm_head.weight"), bare.loadReport().unexpectedKeys());
            Seq2SeqModelOutput out = t5.forward(array(e.get("input_ids")), array(e.get("attention_mask")),
                    array(e.get("decoder_input_ids")), null);
            Fixtures.assertClose(e.get("encoder_last_hidden_state"), out.encoderLastHiddenState(), "bare encoder");
            assertEquals(new Shape(2, 5, 16), out.lastHiddenState().getShape());
        }
        T5Config config = (T5Config) AutoConfig.fromPretrained(model("tiny-flan-t5"));
        JsonNode original = PyJson.read(TestResources.path("hf-tiny-seq2seq/tiny-flan-t5/config.json"));
        JsonNode saved = PyJson.read(config.save(dir));
        for (String key : List.of("dense_act_fn", "is_gated_act", "feed_forward_proj", "num_decoder_layers", "d_kv",
                "is_encoder_decoder", "decoder_start_token_id", "tie_word_embeddings")) {
            assertEquals(original.get(key), saved.get(key), key);
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> AutoConfig.forModel("t5",
                Map.of("feed_forward_proj", "fancy-gelu")));
        assertTrue(bad.getMessage().contains("feed_forward_proj"), bad.getMessage());
    }
}
