package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.hub.LocalHubServer;
import dev.javaformers.models.bert.BertForMaskedLM;
import dev.javaformers.models.bert.BertForSequenceClassification;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.util.PyJson;
import dev.javaformers.weights.Safetensors;
import dev.javaformers.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadingTest {

    @TempDir
    Path tmp;
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
    void saveThenLoadGivesIdenticalTensorsAndOutputs() throws Exception {
        try (var model = AutoModelForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert-cls"))) {
            Path dir = model.save(tmp.resolve("saved"));
            StateDict saved = Safetensors.read(dir.resolve("model.safetensors"));
            assertEquals("pt", saved.metadata().get("format"), "Python transformers needs format=pt");
            assertEquals(List.of("BertForSequenceClassification"),
                    AutoConfig.fromPretrained(dir.toString()).architectures);
            assertEquals("float32", PyJson.read(dir.resolve("config.json")).get("torch_dtype").asText());
            try (var again = AutoModelForSequenceClassification.fromPretrained(dir.toString())) {
                StateDict a = model.stateDict();
                StateDict b = again.stateDict();
                assertEquals(a.names(), b.names());
                for (String name : a.names()) {
                    assertEquals(a.get(name).data(), b.get(name).data(), name);
                }
                float[] first = model.forward(input).loss() == null ? logits(model) : null;
                assertArrayEquals(first, logits(again));
            }
        }
    }

    private float[] logits(PreTrainedModel<?> model) {
        return ((SequenceClassifierOutput) model.forward(input)).logits().toFloatArray();
    }

    @Test
    void baseCheckpointIntoAHeadReportsTheNewWeights() {
        try (var model = BertForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert"),
                Map.of("num_labels", 4))) {
            LoadReport report = model.loadReport();
            assertEquals(new TreeSet<>(List.of("classifier.weight", "classifier.bias")),
                    new TreeSet<>(report.missingKeys()));
            assertEquals(List.of(), report.unexpectedKeys());
            assertTrue(report.warnings().contains("newly initialized: [classifier.weight, classifier.bias]")
                    && report.warnings().contains("Some weights of BertForSequenceClassification were not "
                    + "initialized from the model checkpoint"), report.warnings());
            assertArrayEquals(new long[] {2, 4}, model.forward(input).logits().getShape().getShape());
        }
    }

    @Test
    void shapeMismatchNamesBothShapesUnlessIgnored() {
        var e = assertThrows(IllegalArgumentException.class, () -> AutoModelForSequenceClassification.fromPretrained(
                Fixtures.model("tiny-bert-cls"), Map.of("num_labels", 5)));
        assertTrue(e.getMessage().contains("classifier.weight") && e.getMessage().contains("[3, 32]")
                && e.getMessage().contains("[5, 32]"), e.getMessage());
        try (var model = AutoModelForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert-cls"),
                Map.of("num_labels", 5, "ignore_mismatched_sizes", true))) {
            assertEquals(new TreeSet<>(List.of("classifier.weight", "classifier.bias")),
                    new TreeSet<>(model.loadReport().mismatchedKeys()));
        }
    }

    @Test
    void maskedLmDecoderIsTiedToTheWordEmbeddings() throws Exception {
        try (BertForMaskedLM model = BertForMaskedLM.fromPretrained(Fixtures.model("tiny-bert"), Map.of())) {
            var params = model.namedParameters();
            assertSame(params.get("bert.embeddings.word_embeddings.weight"), params.get("cls.predictions.decoder.weight"));
            assertSame(params.get("cls.predictions.bias"), params.get("cls.predictions.decoder.bias"));
            assertFalse(model.loadReport().missingKeys().contains("cls.predictions.decoder.weight"));
            assertTrue(model.loadReport().missingKeys().contains("cls.predictions.transform.dense.weight"));
            assertFalse(model.loadReport().unexpectedKeys().contains("pooler.dense.weight"),
                    "the pooler is ignored for masked LM, as transformers ignores it");

            StateDict saved = model.stateDict();
            assertFalse(saved.contains("cls.predictions.decoder.weight"), "tied copies are not saved");
            assertFalse(saved.contains("cls.predictions.decoder.bias"));
            model.save(tmp);
            try (var again = AutoModelForMaskedLM.fromPretrained(tmp.toString())) {
                assertEquals(List.of(), again.loadReport().missingKeys());
                assertArrayEquals(model.forward(input).logits().toFloatArray(),
                        ((MaskedLMOutput) again.forward(input)).logits().toFloatArray());
            }
            NDArray labels = input.get("input_ids").duplicate();
            labels.set(new ai.djl.ndarray.index.NDIndex("1, 5:"), -100);
            float loss = model.forward(input.get("input_ids"), input.get("attention_mask"),
                    input.get("token_type_ids"), labels).loss().getFloat();
            assertTrue(loss > 0 && Float.isFinite(loss), "loss " + loss);
        }
    }

    @Test
    void dropoutOnlyInTrainingMode() {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-bert"))) {
            assertFalse(model.isTraining(), "from_pretrained returns a model in eval mode");
            float[] a = ((BaseModelOutput) model.forward(input)).lastHiddenState().toFloatArray();
            float[] b = ((BaseModelOutput) model.forward(input)).lastHiddenState().toFloatArray();
            assertArrayEquals(a, b);
            model.train();
            float[] c = ((BaseModelOutput) model.forward(input)).lastHiddenState().toFloatArray();
            assertFalse(java.util.Arrays.equals(a, c), "dropout changes outputs in training mode");
        }
    }

    @Test
    void torchDtypeFloat16() {
        try (var half = AutoModel.fromPretrained(Fixtures.model("tiny-bert"), Map.of("torch_dtype", "float16"))) {
            assertEquals(DataType.FLOAT16, half.namedParameters().values().iterator().next().array().getDataType());
            var out = ((BaseModelOutput) half.forward(input)).lastHiddenState();
            assertEquals(DataType.FLOAT16, out.getDataType());
            float[] full;
            try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-bert"))) {
                full = ((BaseModelOutput) model.forward(input)).lastHiddenState().toFloatArray();
            }
            float[] h = out.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < h.length; i++) {
                assertEquals(full[i], h[i], 2e-2, "float16 stays close to float32 at " + i);
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> AutoModel.fromPretrained(
                Fixtures.model("tiny-bert"), Map.of("torch_dtype", "bfloat16")));
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
    }

    @Test
    void pytorchModelBinGivesTheSameOutputs() {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-bert-bin"));
                var sharded = AutoModel.fromPretrained(Fixtures.model("tiny-bert-bin-sharded"))) {
            var expected = Fixtures.expected("tiny-bert");
            Fixtures.assertClose(expected.get("last_hidden_state"),
                    ((BaseModelOutput) model.forward(input)).lastHiddenState(), "from pytorch_model.bin");
            Fixtures.assertClose(expected.get("pooler_output"),
                    ((BaseModelOutput) sharded.forward(input)).poolerOutput(), "from sharded .bin files");
        }
    }

    @Test
    void loadsThroughTheHub() throws Exception {
        try (LocalHubServer hub = LocalHubServer.start()) {
            hub.repo("org/tiny-bert").addDirectory(Path.of(Fixtures.model("tiny-bert")));
            Map<String, Object> kwargs = Map.of("endpoint", hub.endpoint(), "cache_dir", tmp.toString());
            try (var model = AutoModel.fromPretrained("org/tiny-bert", kwargs)) {
                Fixtures.assertClose(Fixtures.expected("tiny-bert").get("last_hidden_state"),
                        ((BaseModelOutput) model.forward(input)).lastHiddenState(), "through the Hub");
                assertEquals("org/tiny-bert", model.config().nameOrPath);
            }
        }
    }

    @Test
    void unknownArgumentsAndWrongClassesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> AutoModel.fromPretrained(
                Fixtures.model("tiny-bert"), Map.of("num_lables", 3)));
        assertTrue(e.getMessage().contains("num_lables"), e.getMessage());
        var wrong = assertThrows(IllegalArgumentException.class, () -> BertModel.fromPretrained(
                Fixtures.model("tiny-distilbert")));
        assertTrue(wrong.getMessage().contains("DistilBertConfig"), wrong.getMessage());
    }

    @Test
    void modelsPrintAndCountParameters() {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-bert"))) {
            // 100*32 + 64*32 + 2*32 + 2*32 (embeddings) + 2 layers + pooler
            long layer = 3 * (32 * 32 + 32) + (32 * 32 + 32) + 2 * 32 + (32 * 37 + 37) + (37 * 32 + 32) + 2 * 32;
            long expected = 100 * 32 + 64 * 32 + 2 * 32 + 2 * 32 + 2 * layer + 32 * 32 + 32;
            assertEquals(expected, model.numParameters());
            assertTrue(model.toString().contains("BertModel") && model.toString().contains("cpu"), model.toString());
            assertNotEquals(0, expected);
        }
    }

    @Test
    void classificationLossMatchesAManualCrossEntropy() {
        try (var model = BertForSequenceClassification.fromPretrained(Fixtures.model("tiny-bert-cls"), Map.of())) {
            NDArray labels = manager.create(new long[] {2, 0});
            var out = model.forward(input.get("input_ids"), input.get("attention_mask"), input.get("token_type_ids"),
                    labels);
            float[] logits = out.logits().toFloatArray();
            double manual = 0;
            int[] target = {2, 0};
            for (int row = 0; row < 2; row++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 3; j++) {
                    max = Math.max(max, logits[row * 3 + j]);
                }
                double sum = 0;
                for (int j = 0; j < 3; j++) {
                    sum += Math.exp(logits[row * 3 + j] - max);
                }
                manual += -(logits[row * 3 + target[row]] - max - Math.log(sum)) / 2;
            }
            assertEquals(manual, out.loss().getFloat(), 1e-5);
            assertEquals("single_label_classification", model.config().problemType);
        }
    }

    @Test
    void savedModelHasNoTemporaryFiles() throws Exception {
        try (var model = AutoModel.fromPretrained(Fixtures.model("tiny-distilbert"))) {
            model.save(tmp);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(new TreeSet<>(List.of("config.json", "model.safetensors")),
                    new TreeSet<>(files.map(p -> p.getFileName().toString()).toList()));
        }
        assertInstanceOf(dev.javaformers.models.distilbert.DistilBertModel.class, AutoModel.fromPretrained(tmp.toString()));
    }
}
