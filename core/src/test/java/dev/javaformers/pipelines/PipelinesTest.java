package dev.javaformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every call recorded from transformers 4.31's pipelines on the tiny models of hf-tiny-pipelines
 * (scripts/reference/make_pipelines.py) gives the same output here: the same structure (a list of one result for
 * one text, nested lists with top_k, a bare result for a text pair), the same labels, scores and hidden states
 * within 1e-5.
 */
class PipelinesTest {

    static Stream<JsonNode> calls() {
        List<JsonNode> out = new ArrayList<>();
        PyJson.read(TestResources.path("hf-tiny-pipelines/expected.json")).get("calls").forEach(out::add);
        return out.stream();
    }

    static String model(String name) {
        return TestResources.path("hf-tiny-pipelines/" + name).toString();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("calls")
    void sameOutputAsTransformers(JsonNode call) {
        Map<String, Object> kwargs = PyJson.MAPPER.convertValue(call.get("kwargs"), Map.class);
        Object inputs = PyJson.MAPPER.convertValue(call.get("inputs"), Object.class);
        try (Pipeline pipe = Pipelines.pipeline(call.get("task").asText(), model(call.get("model").asText()))) {
            Object output = pipe.call(inputs, kwargs);
            assertSame(call.get("output"), output, "output");
        }
        // the same settings given when the pipeline is built, and a batch of 2: the same results
        if (inputs instanceof List<?> && !kwargs.containsKey("top_k")) {
            Map<String, Object> batched = new LinkedHashMap<>(kwargs);
            batched.put("batch_size", 2);
            try (Pipeline pipe = Pipelines.pipeline(call.get("task").asText(), model(call.get("model").asText()),
                    batched)) {
                assertSame(call.get("output"), pipe.call(inputs), "output (batch_size 2)");
            }
        }
    }

    /** Structure equal, strings equal, numbers within 1e-5. */
    static void assertSame(JsonNode expected, Object actual, String where) {
        if (expected.isArray()) {
            List<?> list = assertInstanceOf(List.class, actual, where);
            assertEquals(expected.size(), list.size(), where + " length");
            for (int i = 0; i < list.size(); i++) {
                assertSame(expected.get(i), list.get(i), where + "[" + i + "]");
            }
        } else if (expected.isObject()) {
            Map<?, ?> map = assertInstanceOf(Map.class, actual, where);
            assertEquals(expected.size(), map.size(), where + " keys " + map.keySet());
            expected.fieldNames().forEachRemaining(k -> assertSame(expected.get(k), map.get(k), where + "." + k));
        } else if (expected.isNumber()) {
            double got = assertInstanceOf(Number.class, actual, where).doubleValue();
            assertEquals(expected.asDouble(), got, 1e-5, where);
        } else {
            assertEquals(expected.asText(), String.valueOf(actual), where);
        }
    }

    @Test
    void sentenceEmbeddingsByMeanPooling() {
        try (Pipeline pipe = Pipelines.pipeline("feature-extraction", model("tiny-bert-base"),
                Map.of("pooling", "mean", "normalize", true))) {
            List<?> vectors = (List<?>) pipe.call(List.of("I loved this film", "the battery broke"));
            for (Object v : vectors) {
                double norm = ((List<?>) v).stream().mapToDouble(x -> ((Number) x).doubleValue() * ((Number) x)
                        .doubleValue()).sum();
                assertEquals(32, ((List<?>) v).size());
                assertEquals(1.0, norm, 1e-6);
            }
            List<?> tokens = (List<?>) ((List<?>) pipe.call("I loved this film", Map.of("pooling", "none",
                    "normalize", false))).get(0);
            double[] mean = new double[32];
            for (Object token : tokens) {
                for (int i = 0; i < 32; i++) {
                    mean[i] += ((Number) ((List<?>) token).get(i)).doubleValue() / tokens.size();
                }
            }
            List<?> pooled = (List<?>) pipe.call("I loved this film", Map.of("normalize", false));
            for (int i = 0; i < 32; i++) {
                assertEquals(mean[i], ((Number) pooled.get(i)).doubleValue(), 1e-5, "mean of the token vectors");
            }
        }
    }

    @Test
    void aLongContextIsReadInOverlappingWindows() {
        String context = String.join(" ", java.util.Collections.nCopies(6,
                "my actor loved the film but the phone was very bad and the battery broke after a day"));
        try (Pipeline qa = Pipelines.pipeline("question-answering", model("tiny-bert-qa"))) {
            Map<String, Object> input = Map.of("question", "what broke", "context", context);
            // 24 tokens a window (the question and three special tokens take 5), 8 shared between windows
            List<?> answers = (List<?>) qa.call(input, Map.of("max_seq_len", 24, "doc_stride", 8, "top_k", 60));
            assertEquals(60, answers.size());
            int furthest = 0;
            for (Object a : answers) {
                Map<?, ?> answer = (Map<?, ?>) a;
                int start = (Integer) answer.get("start");
                int end = (Integer) answer.get("end");
                assertEquals(context.substring(start, end), answer.get("answer"));
                assertTrue(end - start <= 15 * 8, "at most max_answer_len tokens");
                furthest = Math.max(furthest, end);
            }
            // the first window holds 19 context tokens (about 90 characters): answers from far after it mean
            // that the later windows were read
            assertTrue(furthest > 400, "answers reach the end of the context: " + furthest);
        }
    }

    @Test
    void badInputIsRefusedClearly() {
        var task = assertThrows(IllegalArgumentException.class, () -> Pipelines.pipeline("speech-recognition",
                model("tiny-bert-base")));
        assertTrue(task.getMessage().contains("Unknown task 'speech-recognition'"), task.getMessage());
        try (Pipeline pipe = Pipelines.pipeline("sentiment-analysis", model("tiny-bert-sentiment"))) {
            var setting = assertThrows(IllegalArgumentException.class, () -> pipe.call("x", Map.of("topk", 2)));
            assertTrue(setting.getMessage().contains("Unknown setting 'topk'") && setting.getMessage()
                    .contains("top_k"), setting.getMessage());
            var function = assertThrows(IllegalArgumentException.class, () -> pipe.call("x",
                    Map.of("function_to_apply", "relu")));
            assertTrue(function.getMessage().contains("Unknown function_to_apply 'relu'"), function.getMessage());
            var input = assertThrows(IllegalArgumentException.class, () -> pipe.call(42));
            assertTrue(input.getMessage().contains("got Integer"), input.getMessage());
        }
        try (Pipeline qa = Pipelines.pipeline("question-answering", model("tiny-bert-qa"))) {
            var input = assertThrows(IllegalArgumentException.class, () -> qa.call("what broke"));
            assertTrue(input.getMessage().contains("{question: ..., context: ...}"), input.getMessage());
        }
        var missing = assertThrows(IllegalArgumentException.class, () -> Pipelines.pipeline("sentiment-analysis"));
        assertTrue(missing.getMessage().contains("distilbert-base-uncased-finetuned-sst-2-english")
                && missing.getMessage().contains("scripts/hub download"), missing.getMessage());
    }
}
