package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.models.gpt2.GPT2LMHeadModel;
import dev.javaformers.models.gpt2.GPT2Model;
import dev.javaformers.weights.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT-2 against what transformers 4.31's GPT2LMHeadModel computed on tiny-gpt2 (hf-tiny), to 1e-5. */
class Gpt2Test {

    @TempDir
    Path tmp;
    NDManager manager;
    Map<String, NDArray> input;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        Map<String, NDArray> sample = Fixtures.sampleInput(manager);
        input = Map.of("input_ids", sample.get("input_ids"), "attention_mask", sample.get("attention_mask"));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void lmHeadLogitsMatchTransformersPaddedRowIncluded() {
        try (var model = AutoModelForCausalLM.fromPretrained(Fixtures.model("tiny-gpt2"))) {
            GPT2LMHeadModel gpt2 = assertInstanceOf(GPT2LMHeadModel.class, model);
            CausalLMOutput out = gpt2.forward(input);
            Fixtures.assertClose(Fixtures.expected("tiny-gpt2").get("logits"), out.logits(), "logits");
            assertEquals(List.of(), model.loadReport().missingKeys());
            assertEquals(List.of(), model.loadReport().unexpectedKeys());
            var params = model.namedParameters();
            assertSame(params.get("transformer.wte.weight"), params.get("lm_head.weight"), "lm_head is tied");
        }
    }

    /** The loss transformers computes: token t predicts token t+1; computed here from transformers' logits. */
    @Test
    void labelsGiveTheShiftedCrossEntropy() {
        JsonNode logits = Fixtures.expected("tiny-gpt2").get("logits");
        long[] ids = input.get("input_ids").toLongArray();
        int tokens = 7;
        double sum = 0;
        int count = 0;
        for (int row = 0; row < 2; row++) {
            for (int t = 0; t + 1 < tokens; t++) {
                JsonNode l = logits.get(row).get(t);
                double max = Double.NEGATIVE_INFINITY;
                for (JsonNode v : l) {
                    max = Math.max(max, v.asDouble());
                }
                double z = 0;
                for (JsonNode v : l) {
                    z += Math.exp(v.asDouble() - max);
                }
                sum += max + Math.log(z) - l.get((int) ids[row * tokens + t + 1]).asDouble();
                count++;
            }
        }
        try (var model = AutoModelForCausalLM.fromPretrained(Fixtures.model("tiny-gpt2"))) {
            var out = (CausalLMOutput) model.forward(Map.of("input_ids", input.get("input_ids"),
                    "attention_mask", input.get("attention_mask"), "labels", input.get("input_ids")));
            assertEquals(sum / count, out.loss().getFloat(), 1e-5);
        }
    }

    @Test
    void aTokenSeesOnlyWhatCameBefore() {
        try (var model = GPT2Model.fromPretrained(Fixtures.model("tiny-gpt2"), Map.of())) {
            NDArray a = manager.create(new long[][] {{5, 6, 7, 8}});
            NDArray b = manager.create(new long[][] {{5, 6, 42, 43}});
            NDArray ha = model.forward(a, null, null).lastHiddenState().get(":, 0:2, :");
            NDArray hb = model.forward(b, null, null).lastHiddenState().get(":, 0:2, :");
            assertTrue(ha.allClose(hb, 0, 1e-6, false), "changing tokens 2 and 3 left tokens 0 and 1 alone");
            assertTrue(!model.forward(a, null, null).lastHiddenState().get(":, 2:, :").allClose(
                    model.forward(b, null, null).lastHiddenState().get(":, 2:, :"), 0, 1e-6, false));
        }
    }

    @Test
    void savedAsTransformersSavesIt() {
        try (var model = AutoModelForCausalLM.fromPretrained(Fixtures.model("tiny-gpt2"))) {
            model.save(tmp);
        }
        TreeSet<String> theirs = new TreeSet<>(Safetensors.read(Path.of(Fixtures.model("tiny-gpt2"))
                .resolve("model.safetensors")).names());
        assertEquals(theirs, new TreeSet<>(Safetensors.read(tmp.resolve("model.safetensors")).names()),
                "the same tensor names, the tied lm_head written once, as save_pretrained does");
        try (var base = AutoModel.fromPretrained(tmp.toString())) {
            BaseModelOutput out = assertInstanceOf(GPT2Model.class, base).forward(input);
            assertEquals(List.of(), base.loadReport().missingKeys(), "transformer. prefix dropped");
            assertEquals(List.of(2L, 7L, 32L), java.util.Arrays.stream(out.lastHiddenState().getShape().getShape())
                    .boxed().toList());
        }
    }
}
