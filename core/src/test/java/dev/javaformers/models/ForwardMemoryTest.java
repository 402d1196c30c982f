package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forward pass (training, with labels and backward; and inference) and {@code generate} (greedy, beams,
 * sampling, with caches) leave nothing on the model's own manager:
 * every intermediate belongs to the inputs' manager and is freed with it. In DJL a result belongs to its first
 * operand's manager, so {@code weight.mul(x)} would keep each step's activations for the model's lifetime.
 */
class ForwardMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"hf-tiny/tiny-bert-cls", "hf-tiny/tiny-distilbert-cls", "hf-tiny/tiny-gpt2",
        "hf-tiny-decoders/tiny-llama", "hf-tiny-decoders/tiny-llama-cls", "hf-tiny-decoders/tiny-qwen2",
        "hf-tiny-decoders/tiny-mistral", "hf-tiny-decoders/tiny-llama3", "hf-tiny-decoders/tiny-gpt2-cls",
        "hf-tiny-seq2seq/tiny-t5", "hf-tiny-seq2seq/tiny-flan-t5", "hf-tiny-seq2seq/tiny-bart",
        "hf-tiny-seq2seq/tiny-marian", "hf-tiny-heads/tiny-bert-mc", "hf-tiny-heads/tiny-bert-qa",
        "hf-tiny-heads/tiny-distilbert-mc", "hf-tiny-heads/tiny-distilbert-qa", "hf-tiny-heads/tiny-roberta-mc",
        "hf-tiny-heads/tiny-roberta-qa"})
    void stepsLeaveNoArraysOnTheModel(String fixture) {
        String path = TestResources.path(fixture).toString();
        var config = PyJson.read(TestResources.path(fixture + "/config.json"));
        String arch = config.path("architectures").path(0).asText();
        boolean seq2seq = fixture.contains("seq2seq");
        boolean classifier = arch.contains("SequenceClassification");
        long vocab = config.path("vocab_size").asLong();
        try (PreTrainedModel<?> model = seq2seq ? AutoModelForSeq2SeqLM.fromPretrained(path)
                : classifier ? AutoModelForSequenceClassification.fromPretrained(path)
                : arch.endsWith("MultipleChoice") ? AutoModelForMultipleChoice.fromPretrained(path)
                : arch.endsWith("QuestionAnswering") ? AutoModelForQuestionAnswering.fromPretrained(path)
                : AutoModelForCausalLM.fromPretrained(path);
                NDManager base = NDManager.newBaseManager()) {
            model.namedParameters().values().stream().distinct().forEach(p -> p.array().setRequiresGradient(true));
            model.train();
            step(model, base, vocab, seq2seq, classifier, true); // gradients are made on the first backward
            int before = model.manager().getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                step(model, base, vocab, seq2seq, classifier, true);
            }
            assertEquals(before, model.manager().getManagedArrays().size(), () -> fixture + ": training steps: "
                    + model.manager().getManagedArrays().stream().skip(before).map(a -> a.getShape() + " "
                    + a.getDataType()).toList());
            model.eval();
            for (int i = 0; i < 3; i++) {
                step(model, base, vocab, seq2seq, classifier, false);
            }
            assertEquals(before, model.manager().getManagedArrays().size(), fixture + ": inference");
            if (model instanceof dev.javaformers.generation.GenerationMixin lm) {
                for (Map<String, ?> options : List.of(Map.of("max_new_tokens", 4), Map.of("max_new_tokens", 4,
                        "num_beams", 2), Map.of("max_new_tokens", 4, "do_sample", true, "seed", 1))) {
                    lm.generate(new long[][] {{5, 6, 7}, {8, 9, 10}}, new long[][] {{1, 1, 1}, {0, 1, 1}}, options);
                    assertEquals(before, model.manager().getManagedArrays().size(), fixture + ": generate " + options);
                }
            }
        }
    }

    private static void step(PreTrainedModel<?> model, NDManager base, long vocab, boolean seq2seq,
            boolean classifier, boolean backward) {
        try (NDManager m = base.newSubManager()) {
            Map<String, NDArray> inputs = new LinkedHashMap<>();
            NDArray ids = m.randomInteger(3, vocab - 1, new Shape(2, 6), DataType.INT64);
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", m.ones(new Shape(2, 6), DataType.INT64));
            inputs.put("labels", seq2seq ? m.randomInteger(3, vocab - 1, new Shape(2, 4), DataType.INT64)
                    : classifier ? m.create(new long[] {0, 1}) : ids);
            String head = model.getClass().getSimpleName();
            if (head.endsWith("MultipleChoice")) { // [2 questions, 3 choices, 6 tokens]
                inputs.put("input_ids", m.randomInteger(3, vocab - 1, new Shape(2, 3, 6), DataType.INT64));
                inputs.put("attention_mask", m.ones(new Shape(2, 3, 6), DataType.INT64));
                inputs.put("labels", m.create(new long[] {2, 0}));
            } else if (head.endsWith("QuestionAnswering")) { // the second end lies outside: clamped and ignored
                inputs.remove("labels");
                inputs.put("start_positions", m.create(new long[] {1, 3}));
                inputs.put("end_positions", m.create(new long[] {2, 9}));
            }
            if (!backward) {
                model.forward(inputs);
                return;
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(model.forward(inputs).loss()); // the gradients stay inside libtorch's parameters
            }
        }
    }
}
