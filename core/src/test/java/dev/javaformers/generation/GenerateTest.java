package dev.javaformers.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.models.AutoModelForCausalLM;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.gpt2.GPT2LMHeadModel;
import dev.javaformers.util.PyJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * generate() against real transformers 4.31's generate on hf-tiny/tiny-gpt2 (scripts/reference/generate_refs.py
 * made expected/tiny-gpt2-generate.json): greedy, with eos, processors and max_length, and beam search, on a
 * left-padded batch; each row alone gives what it gives in the batch.
 */
class GenerateTest {

    static GPT2LMHeadModel model;
    static JsonNode cases;

    @BeforeAll
    static void load() {
        model = (GPT2LMHeadModel) AutoModelForCausalLM.fromPretrained(
                TestResources.path("hf-tiny/tiny-gpt2").toString());
        cases = PyJson.read(TestResources.path("hf-tiny/expected/tiny-gpt2-generate.json")).get("cases");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<String> caseNames() {
        List<String> names = new ArrayList<>();
        cases().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    private static JsonNode cases() {
        return PyJson.read(TestResources.path("hf-tiny/expected/tiny-gpt2-generate.json")).get("cases");
    }

    static long[][] rows(JsonNode n) {
        return TestResources.rows(n);
    }

    @ParameterizedTest
    @MethodSource("caseNames")
    void sameTokenIdsAsTransformers(String name) {
        JsonNode c = cases.get(name);
        Map<String, Object> kwargs = new LinkedHashMap<>(PyJson.MAPPER.convertValue(c.get("kwargs"), Map.class));
        kwargs.put("pad_token_id", 0);
        long[][] got = model.generate(rows(c.get("input_ids")), rows(c.get("attention_mask")), kwargs);
        assertArrayEquals(rows(c.get("output_ids")), got, name + " " + kwargs);
    }

    @Test
    void aPaddedBatchGeneratesWhatEachRowAlone() {
        long[][] batch = rows(cases.get("greedy").get("output_ids"));
        long[][] alone = rows(cases.get("greedy_row1_alone").get("output_ids"));
        long[] row1 = Arrays.copyOfRange(batch[1], 2, batch[1].length); // without the left padding
        assertArrayEquals(alone[0], row1);
        long[][] ours = model.generate(new long[][] {{55, 12, 3}}, null, Map.of("max_new_tokens", 10));
        assertArrayEquals(alone[0], ours[0]);
    }

    @Test
    void theCacheGivesTheLogitsOfAFullForwardPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] tokens = {2, 15, 37, 8, 91, 4, 3};
            NDArray full = model.forward(m.create(new long[][] {tokens}), null, null, null, null).logits();
            DynamicCache cache = new DynamicCache();
            NDArray first = model.forward(m.create(new long[][] {{2, 15, 37}}), null, null, null, cache).logits();
            assertTrue(first.allClose(full.get(":, 0:3, :"), 0, 1e-5, false));
            for (int t = 3; t < tokens.length; t++) {
                NDArray step = model.forward(m.create(new long[][] {{tokens[t]}}), null, null, null, cache).logits();
                assertTrue(step.allClose(full.get(":, " + t + ":" + (t + 1) + ", :"), 0, 1e-5, false), "step " + t);
                assertEquals(t + 1, cache.seqLength());
            }
        }
    }

    @Test
    void samplingIsReproducibleWithASeed() {
        Map<String, Object> kwargs = Map.of("do_sample", true, "max_new_tokens", 12, "seed", 7, "top_k", 20,
                "temperature", 1.5, "num_return_sequences", 3);
        long[][] a = model.generate(new long[][] {{2, 15, 37}}, null, kwargs);
        long[][] b = model.generate(new long[][] {{2, 15, 37}}, null, kwargs);
        assertArrayEquals(a, b);
        assertEquals(3, a.length);
        assertTrue(!Arrays.equals(a[0], a[1]) || !Arrays.equals(a[1], a[2]), "three draws, not one repeated");
        Map<String, Object> other = new LinkedHashMap<>(kwargs);
        other.put("seed", 8);
        assertFalse(Arrays.equals(a[0], model.generate(new long[][] {{2, 15, 37}}, null, other)[0]),
                "another seed, another draw");
        long[][] greedy = model.generate(new long[][] {{2, 15, 37}}, null, Map.of("max_new_tokens", 12));
        assertFalse(Arrays.equals(greedy[0], a[0]) && Arrays.equals(greedy[0], a[1]), "sampling is not greedy");
    }

    @Test
    void aStreamerReceivesThePromptThenEachToken() {
        List<long[]> seen = new ArrayList<>();
        boolean[] ended = {false};
        Streamer streamer = new Streamer() {
            @Override
            public void put(long[] tokens) {
                seen.add(tokens);
            }

            @Override
            public void end() {
                ended[0] = true;
            }
        };
        long[][] out = Generation.generate(model, new long[][] {{55, 12, 3}}, null,
                model.generationConfig().with(Map.of("max_new_tokens", 5)), streamer, List.of(), List.of());
        assertEquals(6, seen.size());
        assertArrayEquals(new long[] {55, 12, 3}, seen.get(0));
        for (int i = 1; i < 6; i++) {
            assertEquals(out[0][2 + i], seen.get(i)[0]);
        }
        assertTrue(ended[0]);
        assertThrows(IllegalArgumentException.class, () -> Generation.generate(model, new long[][] {{1}, {2}}, null,
                model.generationConfig(), streamer, List.of(), List.of()));
    }

    @Test
    void processorsAndStoppingCriteriaCompose() {
        LogitsProcessor onlySeven = (ids, scores) -> {
            for (float[] row : scores) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = i == 7 ? 0 : Float.NEGATIVE_INFINITY;
                }
            }
        };
        StoppingCriteria afterTwo = ids -> ids[0].length >= 5;
        long[][] out = Generation.generate(model, new long[][] {{1, 2, 3}}, null,
                model.generationConfig().with(Map.of("max_new_tokens", 10)), null, List.of(onlySeven),
                List.of(afterTwo));
        assertArrayEquals(new long[] {1, 2, 3, 7, 7}, out[0]);
    }
}
