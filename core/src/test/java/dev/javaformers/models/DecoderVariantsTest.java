package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.TestResources;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.gpt2.GPT2ForSequenceClassification;
import dev.javaformers.models.llama.LlamaConfig;
import dev.javaformers.models.llama.LlamaForSequenceClassification;
import dev.javaformers.models.mistral.MistralConfig;
import dev.javaformers.models.mistral.MistralForCausalLM;
import dev.javaformers.models.qwen2.Qwen2Config;
import dev.javaformers.models.qwen2.Qwen2ForCausalLM;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen2, Mistral, Llama 3 rope and the decoder classification heads against the references of
 * scripts/reference/make_decoder_variants.py (transformers 4.31; Qwen2's biases, Mistral's window and llama3's
 * frequencies patched into its Llama, as that script says): logits to 1e-5 on a left-padded batch, greedy and
 * beam ids, classification logits and loss.
 */
class DecoderVariantsTest {

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
        return PyJson.read(TestResources.path("hf-tiny-decoders/expected-variants.json")).get("models").get(name);
    }

    static String model(String name) {
        return TestResources.path("hf-tiny-decoders/" + name).toString();
    }

    NDArray array(JsonNode rows) {
        return Fixtures.ids(manager, rows);
    }

    @Test
    void qwen2HasQueryKeyValueBiasesAndItsOwnRopeBase() {
        try (PreTrainedModel<?> model = checkCausalLM("tiny-qwen2")) {
            assertInstanceOf(Qwen2ForCausalLM.class, model);
            assertTrue(model.namedParameters().containsKey("model.layers.0.self_attn.q_proj.bias"));
            assertFalse(model.namedParameters().containsKey("model.layers.0.self_attn.o_proj.bias"));
            assertEquals(1e6, ((Qwen2Config) model.config()).ropeTheta);
        }
    }

    @Test
    void mistralAttendsOverASlidingWindow() {
        try (PreTrainedModel<?> model = checkCausalLM("tiny-mistral")) {
            assertInstanceOf(MistralForCausalLM.class, model);
            assertEquals(3, ((MistralConfig) model.config()).slidingWindow);
        }
    }

    @Test
    void llama3RopeScalesLowFrequenciesOnly() {
        try (PreTrainedModel<?> model = checkCausalLM("tiny-llama3")) {
            assertEquals("llama3", ((LlamaConfig) model.config()).ropeType());
        }
    }

    private PreTrainedModel<?> checkCausalLM(String name) {
        JsonNode e = expected(name);
        PreTrainedModel<?> loaded = AutoModelForCausalLM.fromPretrained(model(name));
        assertEquals(List.of(), loaded.loadReport().missingKeys());
        assertEquals(List.of(), loaded.loadReport().unexpectedKeys());
        GenerationMixin lm = (GenerationMixin) loaded;
        CausalLMOutput out = lm.forward(array(e.get("input_ids")), array(e.get("attention_mask")),
                array(e.get("position_ids")), null, null);
        Fixtures.assertClose(e.get("logits"), out.logits(), name + " logits");
        long[][] ids = TestResources.rows(e.get("input_ids"));
        long[][] mask = TestResources.rows(e.get("attention_mask"));
        int n = e.get("max_new_tokens").asInt();
        assertArrayEquals(TestResources.rows(e.get("greedy")), lm.generate(ids, mask, Map.of("max_new_tokens", n)),
                name + " greedy");
        assertArrayEquals(TestResources.rows(e.get("beam3")),
                lm.generate(ids, mask, Map.of("max_new_tokens", n, "num_beams", 3)), name + " beams");
        return loaded;
    }

    @Test
    void qwen2SlidingLayersFromMaxWindowLayersOn(@TempDir Path dir) throws Exception {
        // Mistral's weights under a Qwen2 config whose every layer slides (max_window_layers 0) compute Mistral's
        // logits: the biases Qwen2 adds start at zero.
        Path folder = dir.resolve("qwen2-sliding");
        TestResources.copy("hf-tiny-decoders/tiny-mistral", folder);
        ObjectNode config = (ObjectNode) PyJson.read(folder.resolve("config.json"));
        config.put("model_type", "qwen2").put("use_sliding_window", true).put("max_window_layers", 0);
        Files.writeString(folder.resolve("config.json"), PyJson.dumps(config, true));
        JsonNode e = expected("tiny-mistral");
        try (var qwen = Qwen2ForCausalLM.fromPretrained(folder.toString(), Map.of())) {
            assertEquals(3, ((Qwen2Config) qwen.config()).slidingWindowOf(0));
            NDArray logits = qwen.forward(array(e.get("input_ids")), array(e.get("attention_mask")),
                    array(e.get("position_ids")), null, null).logits();
            Fixtures.assertClose(e.get("logits"), logits, "qwen2 sliding logits");
        }
        Qwen2Config partly = (Qwen2Config) AutoConfig.forModel("qwen2", Map.of("use_sliding_window", true,
                "max_window_layers", 1, "sliding_window", 5));
        assertEquals(java.util.Arrays.asList(null, 5), java.util.Arrays.asList(partly.slidingWindowOf(0),
                partly.slidingWindowOf(1)));
    }

    @Test
    void classifiersScoreTheLastNonPadToken() {
        for (String name : List.of("tiny-gpt2-cls", "tiny-llama-cls")) {
            JsonNode e = expected(name);
            try (var loaded = AutoModelForSequenceClassification.fromPretrained(model(name))) {
                Class<?> head = name.contains("gpt2") ? GPT2ForSequenceClassification.class
                        : LlamaForSequenceClassification.class;
                assertEquals(head, loaded.getClass());
                assertEquals(List.of(), loaded.loadReport().missingKeys(), name);
                NDArray labels = manager.create(new long[] {e.get("labels").get(0).asLong(),
                        e.get("labels").get(1).asLong()});
                SequenceClassifierOutput out = (SequenceClassifierOutput) loaded.forward(Map.of(
                        "input_ids", array(e.get("input_ids")), "attention_mask", array(e.get("attention_mask")),
                        "labels", labels));
                Fixtures.assertClose(e.get("logits"), out.logits(), name + " logits");
                assertEquals(e.get("loss").asDouble(), out.loss().getFloat(), 1e-5, name + " loss");

                // The short row left-padded, positions from the mask: the same logits as right-padded.
                NDArray ids = manager.create(new long[][] {{0, 0, 0, 55, 12, 3, 77}});
                NDArray mask = manager.create(new long[][] {{0, 0, 0, 1, 1, 1, 1}});
                NDArray positions = manager.create(new long[][] {{1, 1, 1, 0, 1, 2, 3}});
                NDArray left = ((SequenceClassifierOutput) loaded.forward(Map.of("input_ids", ids,
                        "attention_mask", mask, "position_ids", positions))).logits();
                Fixtures.assertClose(e.get("logits").get(1), left.get(0), name + " left-padded");
            }
        }
    }

    @Test
    void withoutAPadTokenOnlyOneRowCanBeClassified() {
        PretrainedConfig config = AutoConfig.fromPretrained(model("tiny-llama-cls"));
        config.padTokenId = null;
        try (var llama = new LlamaForSequenceClassification((LlamaConfig) config, manager)) {
            var error = assertThrows(IllegalArgumentException.class, () -> llama.forward(
                    manager.create(new long[][] {{5, 6}, {7, 8}}), null, null, null));
            assertTrue(error.getMessage().contains("pad_token_id"), error.getMessage());
            assertEquals(new Shape(1, 3), llama.forward(manager.create(new long[][] {{5, 6}}), null, null, null)
                    .logits().getShape());
        }
    }

    @Test
    void configsKeepTheirOwnKeysAndRefuseBadRopeScaling(@TempDir Path dir) throws Exception {
        Qwen2Config qwen = (Qwen2Config) AutoConfig.fromPretrained(model("tiny-qwen2"));
        JsonNode saved = PyJson.read(qwen.save(dir));
        assertEquals("qwen2", saved.get("model_type").asText());
        for (String llamaOnly : List.of("pretraining_tp", "attention_bias", "mlp_bias", "head_dim")) {
            assertFalse(saved.has(llamaOnly), llamaOnly);
        }
        assertTrue(saved.has("max_window_layers"));
        assertEquals(151936, new Qwen2Config().vocabSize);
        assertEquals(8, new MistralConfig().numKeyValueHeads);

        LlamaConfig llama3 = (LlamaConfig) AutoConfig.forModel("llama", Map.of("eos_token_id",
                List.of(128001, 128009)));
        assertEquals(List.of(128001, 128009), llama3.eosTokenIds());
        var missing = assertThrows(IllegalArgumentException.class, () -> AutoConfig.forModel("llama",
                Map.of("rope_scaling", Map.of("rope_type", "llama3", "factor", 8.0))));
        assertTrue(missing.getMessage().contains("low_freq_factor"), missing.getMessage());
    }
}
