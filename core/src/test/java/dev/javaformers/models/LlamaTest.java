package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.llama.LlamaForCausalLM;
import dev.javaformers.util.PyJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Llama against real transformers 4.31 (scripts/reference/make_llama.py made hf-tiny-decoders): grouped-query
 * attention, linear and dynamic rope scaling, tied and untied heads; logits to 1e-5 on a left-padded batch and
 * the ids of greedy and beam-search generation.
 */
class LlamaTest {

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
        return PyJson.read(TestResources.path("hf-tiny-decoders/expected.json")).get("models").get(name);
    }

    static String model(String name) {
        return TestResources.path("hf-tiny-decoders/" + name).toString();
    }

    NDArray array(JsonNode rows) {
        return Fixtures.ids(manager, rows);
    }

    @Test
    void groupedQueryAttentionWithLinearRopeScaling() {
        check("tiny-llama", true);
    }

    @Test
    void dynamicRopeScalingPastTheTrainedLengthWithTiedEmbeddings() {
        check("tiny-llama-dynamic", false);
    }

    private void check(String name, boolean beams) {
        JsonNode e = expected(name);
        try (var loaded = AutoModelForCausalLM.fromPretrained(model(name))) {
            LlamaForCausalLM llama = assertInstanceOf(LlamaForCausalLM.class, loaded);
            assertEquals(List.of(), loaded.loadReport().missingKeys());
            assertEquals(List.of(), loaded.loadReport().unexpectedKeys(), "inv_freq buffers are no surprise");
            CausalLMOutput out = llama.forward(array(e.get("input_ids")), array(e.get("attention_mask")),
                    array(e.get("position_ids")), null, null);
            Fixtures.assertClose(e.get("logits"), out.logits(), name + " logits");
            long[][] ids = TestResources.rows(e.get("input_ids"));
            long[][] mask = TestResources.rows(e.get("attention_mask"));
            int n = e.get("max_new_tokens").asInt();
            assertArrayEquals(TestResources.rows(e.get("greedy")),
                    llama.generate(ids, mask, Map.of("max_new_tokens", n)), name + " greedy");
            if (beams) { // (transformers 4.31 keeps a dynamic rope's longest base across calls: not compared there)
                assertArrayEquals(TestResources.rows(e.get("beam3")),
                        llama.generate(ids, mask, Map.of("max_new_tokens", n, "num_beams", 3)), name + " beams");
            }
            var params = loaded.namedParameters();
            if (llama.config().tieWordEmbeddings) {
                assertSame(params.get("model.embed_tokens.weight"), params.get("lm_head.weight"));
            } else {
                assertNotSame(params.get("model.embed_tokens.weight"), params.get("lm_head.weight"));
            }
        }
    }

    @Test
    void theCacheGivesTheLogitsOfAFullForwardPass() {
        try (var loaded = AutoModelForCausalLM.fromPretrained(model("tiny-llama"))) {
            GenerationMixin llama = (GenerationMixin) loaded;
            long[] tokens = {5, 17, 33, 8, 91, 4};
            NDArray full = llama.forward(manager.create(new long[][] {tokens}), null, null, null, null).logits();
            DynamicCache cache = new DynamicCache();
            llama.forward(manager.create(new long[][] {{5, 17}}), null, null, null, cache);
            for (int t = 2; t < tokens.length; t++) {
                NDArray step = llama.forward(manager.create(new long[][] {{tokens[t]}}), null, null, null, cache)
                        .logits();
                assertTrue(step.allClose(full.get(":, " + t + ":" + (t + 1) + ", :"), 0, 1e-5, false), "step " + t);
            }
        }
    }

    @Test
    void badScalingAndHeadCountsAreClearErrors() {
        var type = assertThrows(IllegalArgumentException.class, () -> AutoConfig.forModel("llama",
                Map.of("rope_scaling", Map.of("type", "yarn", "factor", 2.0))).getClass());
        var heads = assertThrows(IllegalArgumentException.class, () -> AutoConfig.fromPretrained(model("tiny-llama"),
                Map.of("num_key_value_heads", 3)));
        assertTrue(heads.getMessage().contains("num_key_value_heads"), heads.getMessage());
        assertTrue(type.getMessage().contains("rope_scaling") || type.getMessage().contains("yarn"),
                type.getMessage());
    }
}
