package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.bert.BertForMultipleChoice;
import dev.javaformers.models.bert.BertForQuestionAnswering;
import dev.javaformers.models.distilbert.DistilBertForMultipleChoice;
import dev.javaformers.models.distilbert.DistilBertForQuestionAnswering;
import dev.javaformers.models.roberta.RobertaForMultipleChoice;
import dev.javaformers.models.roberta.RobertaForQuestionAnswering;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The multiple-choice and question-answering heads of BERT, DistilBERT and RoBERTa match what HuggingFace
 * transformers 4.31 computed on the same random weights and inputs (hf-tiny-heads), logits and loss, to 1e-5.
 */
class HeadsParityTest {

    @TempDir
    Path tmp;
    NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static Stream<Arguments> heads() {
        return Stream.of(Arguments.of("tiny-bert-mc", BertForMultipleChoice.class),
                Arguments.of("tiny-bert-qa", BertForQuestionAnswering.class),
                Arguments.of("tiny-distilbert-mc", DistilBertForMultipleChoice.class),
                Arguments.of("tiny-distilbert-qa", DistilBertForQuestionAnswering.class),
                Arguments.of("tiny-roberta-mc", RobertaForMultipleChoice.class),
                Arguments.of("tiny-roberta-qa", RobertaForQuestionAnswering.class));
    }

    private static boolean questionAnswering(String name) {
        return name.endsWith("-qa");
    }

    private static PreTrainedModel<?> load(String name, String path) {
        return questionAnswering(name) ? AutoModelForQuestionAnswering.fromPretrained(path)
                : AutoModelForMultipleChoice.fromPretrained(path);
    }

    /** The fixture's inputs (input_ids, attention_mask, and token_type_ids for BERT), without labels. */
    private Map<String, NDArray> inputs(JsonNode expected) {
        Map<String, NDArray> in = new LinkedHashMap<>();
        for (String key : List.of("input_ids", "attention_mask", "token_type_ids")) {
            if (expected.has(key)) {
                in.put(key, Fixtures.longs(manager, expected.get(key)));
            }
        }
        return in;
    }

    /** The fixture's inputs with its labels: start/end positions for QA, the right choices for MC. */
    private Map<String, NDArray> inputsWithLabels(String name, JsonNode expected) {
        Map<String, NDArray> in = inputs(expected);
        for (String key : questionAnswering(name) ? List.of("start_positions", "end_positions") : List.of("labels")) {
            in.put(key, Fixtures.longs(manager, expected.get(key)));
        }
        return in;
    }

    private static void assertLogits(String name, JsonNode expected, ModelOutput out) {
        if (questionAnswering(name)) {
            QuestionAnsweringModelOutput qa = assertInstanceOf(QuestionAnsweringModelOutput.class, out);
            Fixtures.assertClose(expected.get("start_logits"), qa.startLogits(), name + " start_logits");
            Fixtures.assertClose(expected.get("end_logits"), qa.endLogits(), name + " end_logits");
        } else {
            MultipleChoiceModelOutput mc = assertInstanceOf(MultipleChoiceModelOutput.class, out);
            Fixtures.assertClose(expected.get("logits"), mc.logits(), name + " logits");
        }
    }

    private static float[] logits(ModelOutput out) {
        if (out instanceof QuestionAnsweringModelOutput qa) {
            return qa.startLogits().concat(qa.endLogits()).toFloatArray();
        }
        return out.logits().toFloatArray();
    }

    @ParameterizedTest
    @MethodSource("heads")
    void logitsAndLossMatchTransformers(String name, Class<?> modelClass) {
        JsonNode expected = Fixtures.headsExpected(name);
        assertEquals(modelClass.getSimpleName(), expected.get("class").asText());
        try (PreTrainedModel<?> model = load(name, Fixtures.headsModel(name))) {
            assertSame(modelClass, model.getClass());
            model.eval();
            assertEquals(List.of(), model.loadReport().missingKeys(), name + " missing keys");
            assertEquals(List.of(), model.loadReport().unexpectedKeys(), name + " unexpected keys");
            assertEquals(List.of(), model.loadReport().mismatchedKeys(), name + " mismatched keys");

            ModelOutput plain = model.forward(inputs(expected));
            assertLogits(name, expected, plain);
            assertNull(plain.loss(), name + ": no labels, no loss");

            ModelOutput withLabels = model.forward(inputsWithLabels(name, expected));
            assertLogits(name, expected, withLabels);
            Fixtures.assertClose(expected.get("loss"), withLabels.loss(), name + " loss");
        }
    }

    /** save_pretrained and loading the folder back give the same class, every key, and the same logits. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-bert-mc", "tiny-roberta-qa"})
    void saveAndReloadGiveTheSameLogits(String name) {
        JsonNode expected = Fixtures.headsExpected(name);
        Path dir = tmp.resolve(name);
        float[] before;
        try (PreTrainedModel<?> model = load(name, Fixtures.headsModel(name))) {
            model.eval();
            before = logits(model.forward(inputs(expected)));
            model.save(dir);
        }
        try (PreTrainedModel<?> again = load(name, dir.toString())) {
            again.eval();
            assertEquals(List.of(), again.loadReport().missingKeys(), name);
            assertEquals(List.of(), again.loadReport().unexpectedKeys(), name);
            ModelOutput out = again.forward(inputs(expected));
            assertArrayEquals(before, logits(out), name);
            assertLogits(name, expected, out);
            assertEquals(again.getClass().getSimpleName(), AutoConfig.fromPretrained(dir.toString()).architectures
                    .get(0));
        }
    }

    /**
     * transformers clamps the positions to [0, tokens] and ignores the position equal to the sequence length: a
     * row whose answer lies outside the input adds nothing to the loss, and a negative position counts as 0.
     */
    @Test
    void questionAnsweringLossIgnoresPositionsOutsideTheInput() {
        JsonNode expected = Fixtures.headsExpected("tiny-bert-qa");
        try (PreTrainedModel<?> model = load("tiny-bert-qa", Fixtures.headsModel("tiny-bert-qa"))) {
            BertForQuestionAnswering qa = assertInstanceOf(BertForQuestionAnswering.class, model.eval());
            Map<String, NDArray> in = inputs(expected);
            NDArray ids = in.get("input_ids");
            NDArray mask = in.get("attention_mask");
            NDArray types = in.get("token_type_ids");
            float outside = qa.forward(ids, mask, types, manager.create(new long[] {3, 100}),
                    manager.create(new long[] {5, 7})).loss().getFloat();
            float firstRowOnly = qa.forward(ids.get("0:1"), mask.get("0:1"), types.get("0:1"),
                    manager.create(new long[] {3}), manager.create(new long[] {5})).loss().getFloat();
            assertEquals(firstRowOnly, outside, 1e-5f, "the second row's positions are outside the input");

            float negative = qa.forward(ids, mask, types, manager.create(new long[] {-4, 1}),
                    manager.create(new long[] {5, -1})).loss().getFloat();
            float zero = qa.forward(ids, mask, types, manager.create(new long[] {0, 1}),
                    manager.create(new long[] {5, 0})).loss().getFloat();
            assertEquals(zero, negative, 1e-6f, "negative positions clamp to 0");

            float columns = qa.forward(ids, mask, types, manager.create(new long[][] {{3}, {1}}),
                    manager.create(new long[][] {{5}, {2}})).loss().getFloat();
            assertEquals(expected.get("loss").asDouble(), columns, 1e-5, "positions [batch, 1] as [batch]");
        }
    }

    /** As in transformers: DistilBERT refuses a QA head without exactly 2 labels. */
    @Test
    void distilBertQuestionAnsweringNeedsTwoLabels() {
        var config = AutoConfig.forModel("distilbert", Map.of("vocab_size", 50, "dim", 16, "hidden_dim", 20,
                "n_layers", 1, "n_heads", 2, "num_labels", 3));
        var e = assertThrows(IllegalArgumentException.class, () -> AutoModelForQuestionAnswering.fromConfig(config));
        assertTrue(e.getMessage().contains("num_labels should be 2"), e.getMessage());
    }

    /** The MC heads run any number of choices: the batch is reshaped back to [batch, choices]. */
    @Test
    void multipleChoiceTakesAnyNumberOfChoices() {
        JsonNode expected = Fixtures.headsExpected("tiny-distilbert-mc");
        try (PreTrainedModel<?> model = load("tiny-distilbert-mc", Fixtures.headsModel("tiny-distilbert-mc"))) {
            DistilBertForMultipleChoice mc = assertInstanceOf(DistilBertForMultipleChoice.class, model.eval());
            Map<String, NDArray> in = inputs(expected);
            NDArray all = mc.forward(in.get("input_ids"), in.get("attention_mask"), null).logits();
            NDArray two = mc.forward(in.get("input_ids").get(":, 1:, :"), in.get("attention_mask").get(":, 1:, :"),
                    null).logits();
            assertArrayEquals(new long[] {2, 2}, two.getShape().getShape());
            assertArrayEquals(all.get(":, 1:").toFloatArray(), two.toFloatArray(), 1e-6f);
        }
    }
}
