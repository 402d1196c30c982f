package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.models.bert.BertForSequenceClassification;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.models.distilbert.DistilBertForSequenceClassification;
import dev.javaformers.models.distilbert.DistilBertModel;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outputs match what HuggingFace transformers 4.31 computed on the same weights and input, to 1e-5. */
class ExactnessTest {

    NDManager manager;
    Map<String, NDArray> input;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager("PyTorch");
        input = Fixtures.sampleInput(manager);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void bertModel() {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-bert"))) {
            BaseModelOutput out = assertInstanceOf(BertModel.class, model).forward(input);
            JsonNode expected = Fixtures.expected("tiny-bert");
            Fixtures.assertClose(expected.get("last_hidden_state"), out.lastHiddenState(), "last_hidden_state");
            Fixtures.assertClose(expected.get("pooler_output"), out.poolerOutput(), "pooler_output");
            assertEquals(List.of(), model.loadReport().missingKeys());
            assertEquals(List.of(), model.loadReport().unexpectedKeys());
        }
    }

    @Test
    void bertForSequenceClassification() {
        try (var model = AutoModelForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert-cls"))) {
            var out = assertInstanceOf(BertForSequenceClassification.class, model).forward(input);
            Fixtures.assertClose(Fixtures.expected("tiny-bert-cls").get("logits"), out.logits(), "logits");
            assertNull(out.loss());
        }
    }

    @Test
    void classifierCheckpointLoadedAsBertModel() {
        try (BertModel model = BertModel.fromPretrained(Fixtures.model("tiny-bert-cls"))) {
            BaseModelOutput out = model.forward(input);
            JsonNode expected = Fixtures.expected("tiny-bert-cls.as-BertModel");
            Fixtures.assertClose(expected.get("last_hidden_state"), out.lastHiddenState(), "last_hidden_state");
            Fixtures.assertClose(expected.get("pooler_output"), out.poolerOutput(), "pooler_output");
            TreeSet<String> transformersUnexpected = new TreeSet<>();
            expected.get("meta").get("unexpected_keys").forEach(k -> transformersUnexpected.add(k.asText()));
            assertEquals(new TreeSet<>(List.of("classifier.bias", "classifier.weight")), transformersUnexpected);
            assertEquals(transformersUnexpected, new TreeSet<>(model.loadReport().unexpectedKeys()),
                    "the same unexpected keys as transformers reported");
            assertEquals(List.of(), model.loadReport().missingKeys());
        }
    }

    @Test
    void distilBertModelIgnoresTokenTypes() {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-distilbert"))) {
            BaseModelOutput out = assertInstanceOf(DistilBertModel.class, model).forward(input);
            Fixtures.assertClose(Fixtures.expected("tiny-distilbert").get("last_hidden_state"),
                    out.lastHiddenState(), "last_hidden_state");
            assertNull(out.poolerOutput());
        }
    }

    @Test
    void distilBertForSequenceClassification() {
        try (var model = AutoModelForSequenceClassification.fromPretrained(Fixtures.model("tiny-distilbert-cls"))) {
            var out = assertInstanceOf(DistilBertForSequenceClassification.class, model).forward(input);
            Fixtures.assertClose(Fixtures.expected("tiny-distilbert-cls").get("logits"), out.logits(), "logits");
        }
    }
}
