package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.models.bart.BartForConditionalGeneration;
import dev.javaformers.util.PyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * BART and Marian against real transformers 4.31 (scripts/reference/make_bart.py makes both): learned
 * positions with their offset or Marian's sinusoids, scaled embeddings, post-norm layers, the tied head with final_logits_bias; encoder states, logits and loss to
 * 1e-5 on a padded batch; greedy and 3-beam ids, forced_eos_token_id included, with and without the caches.
 */
class BartTest {

    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    NDArray array(JsonNode rows) {
        return Fixtures.ids(manager, rows);
    }

    @Test
    void bartMatchesTransformers() {
        check("bart", BartForConditionalGeneration.class, 1, 2);
    }

    @Test
    void marianWithSinusoidalPositionsMatchesTransformers() {
        check("marian", dev.javaformers.models.marian.MarianMTModel.class, 59, 59);
    }

    private void check(String name, Class<?> type, int pad, int start) {
        JsonNode e = PyJson.read(TestResources.path("hf-tiny-seq2seq/expected-" + name + ".json")).get("models")
                .get("tiny-" + name);
        try (var loaded = AutoModelForSeq2SeqLM.fromPretrained(TestResources.path("hf-tiny-seq2seq/tiny-" + name)
                .toString())) {
            assertEquals(type, loaded.getClass());
            BartForConditionalGeneration bart = (BartForConditionalGeneration) loaded;
            assertEquals(List.of(), loaded.loadReport().missingKeys());
            assertEquals(List.of(), loaded.loadReport().unexpectedKeys());
            NDArray labels = array(e.get("labels"));
            assertArrayEquals(TestResources.rows(e.get("decoder_input_ids"))[1],
                    Losses.shiftTokensRight(labels, pad, start).get(1).toLongArray(), "shift_tokens_right");
            Seq2SeqLMOutput out = bart.forward(array(e.get("input_ids")), array(e.get("attention_mask")), null, null,
                    labels);
            Fixtures.assertClose(e.get("encoder_last_hidden_state"), out.encoderLastHiddenState(), "encoder");
            Fixtures.assertClose(e.get("logits"), out.logits(), "logits");
            assertEquals(e.get("loss").asDouble(), out.loss().getFloat(), 1e-5, "loss");
            long[][] ids = TestResources.rows(e.get("input_ids"));
            long[][] mask = TestResources.rows(e.get("attention_mask"));
            int n = e.get("max_new_tokens").asInt();
            assertArrayEquals(TestResources.rows(e.get("greedy")), bart.generate(ids, mask, Map.of("max_new_tokens",
                    n)), "greedy");
            assertArrayEquals(TestResources.rows(e.get("greedy")), bart.generate(ids, mask, Map.of("max_new_tokens",
                    n, "use_cache", false)), "greedy without the caches");
            assertArrayEquals(TestResources.rows(e.get("beam3")), bart.generate(ids, mask, Map.of("max_new_tokens",
                    n, "num_beams", 3)), "beams");
            var params = loaded.namedParameters();
            assertSame(params.get("model.shared.weight"), params.get("lm_head.weight"));
            assertSame(params.get("model.shared.weight"), params.get("model.decoder.embed_tokens.weight"));
        }
    }
}
