package dev.javaformers.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * The generating pipelines give what transformers 4.31's give on tiny Llama, T5 and Marian models with
 * SentencePiece tokenizers (scripts/reference/make_generation_pipelines.py, generation.json): the same texts and
 * token ids, in the same structure, for greedy and beam search, prefixes, stop sequences, the "hole", empty
 * prompts, t5's task_specific_params for summarization and translation, and the flat list text2text gives for a
 * list of texts.
 */
class GenerationPipelinesTest {

    static Stream<JsonNode> calls() {
        List<JsonNode> out = new ArrayList<>();
        PyJson.read(TestResources.path("hf-tiny-pipelines/generation.json")).get("calls").forEach(out::add);
        return out.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("calls")
    void sameOutputAsTransformers(JsonNode call) {
        Map<String, Object> kwargs = PyJson.MAPPER.convertValue(call.get("kwargs"), Map.class);
        Object inputs = PyJson.MAPPER.convertValue(call.get("inputs"), Object.class);
        String task = call.get("task").asText();
        String model = PipelinesTest.model(call.get("model").asText());
        try (Pipeline pipe = Pipelines.pipeline(task, model)) {
            PipelinesTest.assertSame(call.get("output"), pipe.call(inputs, kwargs), "output");
        }
        // settings given when the pipeline is built, and batches of 2 (padded on the left for a decoder, on the
        // tokenizer's side for an encoder-decoder): the same texts
        if (inputs instanceof List<?> && !kwargs.containsKey("return_tensors")) {
            Map<String, Object> batched = new LinkedHashMap<>(kwargs);
            batched.put("batch_size", 2);
            if (task.equals("text-generation")) {
                batched.put("pad_token_id", 0); // the Llama tokenizer has no pad token; 0 is <unk>, masked anyway
            }
            try (Pipeline pipe = Pipelines.pipeline(task, model, batched)) {
                PipelinesTest.assertSame(call.get("output"), pipe.call(inputs), "output (batch_size 2)");
            }
        }
    }

    @Test
    void summarizationTakesT5sTaskParamsAndText2TextDoesNot() {
        String t5 = PipelinesTest.model("tiny-t5-gen");
        String text = "The weather is fine today.";
        try (Pipeline summarizer = Pipelines.pipeline("summarization", t5);
                Pipeline plain = Pipelines.pipeline("text2text-generation", t5)) {
            Object summary = ((Map<?, ?>) ((List<?>) summarizer.call(text)).get(0)).get("summary_text");
            Object same = ((Map<?, ?>) ((List<?>) plain.call("summarize: " + text, Map.of("num_beams", 2,
                    "max_length", 12, "min_length", 4, "no_repeat_ngram_size", 3, "length_penalty", 2.0,
                    "early_stopping", true))).get(0)).get("generated_text");
            assertEquals(same, summary, "summarization = text2text with t5's summarization params and prefix");
            Object without = ((Map<?, ?>) ((List<?>) plain.call(text)).get(0)).get("generated_text");
            assertNotEquals(summary, without);
        }
    }

    @Test
    void samplingWithASeedRepeatsAndReturnsAsManySequencesAsAsked() {
        try (Pipeline generator = Pipelines.pipeline("text-generation", PipelinesTest.model("tiny-llama-gen"),
                Map.of("do_sample", true, "seed", 7, "max_new_tokens", 6, "num_return_sequences", 3))) {
            List<?> first = assertInstanceOf(List.class, generator.call("The weather is"));
            assertEquals(3, first.size());
            assertEquals(first, generator.call("The weather is"), "the same seed, the same samples");
            for (Object r : first) {
                assertTrue(((Map<?, ?>) r).get("generated_text").toString().startsWith("The weather is"));
            }
            assertNotEquals(first, generator.call("The weather is", Map.of("seed", 8)));
        }
    }

    @Test
    void badSettingsAndInputsAreRefusedWithTheirNames() {
        String llama = PipelinesTest.model("tiny-llama-gen");
        try (Pipeline generator = Pipelines.pipeline("text-generation", llama)) {
            var e = assertThrows(IllegalArgumentException.class, () -> generator.call("a", Map.of("num_beam", 2)));
            assertTrue(e.getMessage().contains("'num_beam'") && e.getMessage().contains("num_beams"),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> generator.call("a", Map.of("return_tensors",
                    true, "return_full_text", false)));
            assertTrue(e.getMessage().contains("return_full_text"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> generator.call("a", Map.of(
                    "handle_long_generation", "cut")));
            assertTrue(e.getMessage().contains("'hole'"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> generator.call(Map.of("text", "a")));
            assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Pipelines.pipeline("translation_en_de", llama));
        assertTrue(e.getMessage().contains("translation_XX_to_YY"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pipelines.pipeline("translation_en_to_ja"));
        assertTrue(e.getMessage().contains("no default model"), e.getMessage());
        // a decoder-only model for a seq2seq task: AutoModelForSeq2SeqLM refuses it, naming the architecture
        e = assertThrows(IllegalArgumentException.class, () -> Pipelines.pipeline("summarization", llama));
        assertTrue(e.getMessage().toLowerCase().contains("llama"), e.getMessage());
    }
}
