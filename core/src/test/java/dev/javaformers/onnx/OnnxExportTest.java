package dev.javaformers.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.javaformers.TestResources;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.OnnxImporter;
import dev.javaformers.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every head of BERT, DistilBERT and RoBERTa exported to ONNX, run in ONNX Runtime on other batch, choice and
 * sequence sizes than the export's, against the model's own forward pass; the file reads back into the same
 * weights.
 */
class OnnxExportTest {

    @TempDir
    Path dir;

    /** The encoder weights of the transformers-made heads fixtures (random, non-trivial); new heads start fresh. */
    static PreTrainedModel<?> tiny(String family, Task task) {
        if (DECODERS.contains(family)) {
            String folder = family.equals("gpt2") ? "hf-tiny/tiny-gpt2" : "hf-tiny-decoders/tiny-" + family;
            return ModelFactory.forTask(task).fromPretrained(TestResources.path(folder).toString(), Map.of());
        }
        String folder = "hf-tiny-heads/tiny-" + family + (task == Task.MULTIPLE_CHOICE ? "-mc" : "-qa");
        return ModelFactory.forTask(task).fromPretrained(TestResources.path(folder).toString(), Map.of());
    }

    /**
     * GPT-2, and the tiny decoders made by transformers 4.31 (scripts/reference): Llama with grouped-query attention
     * and linear rope scaling, llama3 rope, dynamic (NTK) rope with max_position_embeddings 8 (validated at 11
     * tokens and at 5, so both sides of the switch) and a tied head, Qwen2 (q/k/v biases), Mistral (window 3).
     */
    static final List<String> DECODERS = List.of("gpt2", "llama", "llama3", "llama-dynamic", "qwen2", "mistral");

    static Stream<Arguments> heads() {
        List<Arguments> out = new ArrayList<>();
        for (String family : List.of("bert", "distilbert", "roberta")) {
            for (Task task : List.of(Task.BASE, Task.SEQUENCE_CLASSIFICATION, Task.TOKEN_CLASSIFICATION,
                    Task.MASKED_LM, Task.QUESTION_ANSWERING, Task.MULTIPLE_CHOICE)) {
                out.add(Arguments.of(family, task));
            }
        }
        for (String family : DECODERS) {
            out.add(Arguments.of(family, Task.BASE));
            out.add(Arguments.of(family, Task.CAUSAL_LM));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("heads")
    void exportsValidatesAndReadsBack(String family, Task task) throws Exception {
        try (PreTrainedModel<?> model = tiny(family, task)) {
            OnnxConfig onnxConfig = OnnxConfig.forModel(model);
            assertEquals(OnnxConfig.taskName(task), onnxConfig.task());
            Path file = dir.resolve("model.onnx");
            var exported = OnnxExport.export(model, onnxConfig, file, onnxConfig.defaultOnnxOpset());
            assertEquals(List.of(file), exported.files());
            assertEquals(family.equals("gpt2") ? 13 : DECODERS.contains(family) ? 14 : 11,
                    onnxConfig.defaultOnnxOpset());
            assertEquals(List.copyOf(onnxConfig.outputs().keySet()), exported.outputs());

            // other sizes than the export's trial run (batch 2, sequence 8, 4 choices), one of them a single row
            OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation());
            OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation(), 1, 5, 2);

            try (OrtSession session = OrtRuntime.open(file, 1)) {
                assertEquals(onnxConfig.inputs().keySet(), session.getInputNames());
                assertEquals(onnxConfig.outputs().keySet(), session.getOutputNames());
                for (var e : onnxConfig.inputs().entrySet()) {
                    TensorInfo info = (TensorInfo) session.getInputInfo().get(e.getKey()).getInfo();
                    List<String> axes = List.of(info.getDimensionNames());
                    assertEquals(task == Task.MULTIPLE_CHOICE ? List.of("batch", "choice", "sequence")
                            : List.of("batch", "sequence"), axes, e.getKey() + "'s dynamic axes");
                }
            }
            assertSameWeights(model.stateDict(), OnnxImporter.read(file));
        }
    }

    static void assertSameWeights(StateDict expected, StateDict actual) {
        assertEquals(List.copyOf(expected.names()), List.copyOf(actual.names()),
                "the exported weights under their state-dict names, in order");
        for (String name : expected.names()) {
            HostTensor want = expected.get(name);
            HostTensor got = actual.get(name);
            assertArrayEquals(want.shape(), got.shape(), name);
            assertEquals(want.data(), got.data(), name + " is not bit-identical");
        }
    }

    @Test
    void newerOpsetsAndExternalData() throws Exception {
        try (PreTrainedModel<?> model = tiny("roberta", Task.QUESTION_ANSWERING)) {
            for (int opset : List.of(13, 17, 18)) {
                OnnxConfig onnxConfig = OnnxConfig.forModel(model);
                Path file = dir.resolve("opset" + opset + ".onnx");
                OnnxExport.export(model, onnxConfig, file, opset);
                OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation());
            }
            OnnxConfig onnxConfig = OnnxConfig.forModel(model);
            Path file = dir.resolve("external/model.onnx");
            var exported = OnnxExport.export(model, onnxConfig, file, 14, true);
            Path data = dir.resolve("external/model.onnx_data");
            assertEquals(List.of(file, data), exported.files());
            assertTrue(Files.size(file) < 20_000, "the weights are not inline: " + Files.size(file) + " bytes");
            assertTrue(Files.size(data) > 4 * model.numParameters(), "the data file holds every weight");
            OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation());
            assertSameWeights(model.stateDict(), OnnxImporter.read(file));
        }
    }

    @Test
    void aBertWithOneTokenTypeGetsDummyTypesItCanEmbed() {
        try (PreTrainedModel<?> model = ModelFactory.forTask(Task.TOKEN_CLASSIFICATION).fromPretrained(
                TestResources.path("hf-tiny-heads/tiny-bert-qa").toString(), Map.of("type_vocab_size", 1,
                        "ignore_mismatched_sizes", true))) {
            OnnxConfig onnxConfig = OnnxConfig.forModel(model);
            Path file = dir.resolve("model.onnx");
            OnnxExport.export(model, onnxConfig, file, 11);
            OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation());
        }
    }

    @Test
    void aChangedModelFailsValidationNamingTheOutput() {
        try (PreTrainedModel<?> model = tiny("distilbert", Task.SEQUENCE_CLASSIFICATION)) {
            OnnxConfig onnxConfig = OnnxConfig.forModel(model);
            Path file = dir.resolve("model.onnx");
            OnnxExport.export(model, onnxConfig, file, 11);
            NDArray bias = model.namedParameters().get("classifier.bias").array();
            bias.addi(0.01f);
            var e = assertThrows(OnnxValidationException.class, () -> OnnxExport.validateModelOutputs(onnxConfig,
                    model, file, 1e-5));
            assertTrue(e.getMessage().contains("'logits'") && e.getMessage().contains("0.0100"), e.getMessage());
        }
    }

    @Test
    void badInputGetsClearErrorsAndLeavesNothing() throws Exception {
        try (PreTrainedModel<?> t5 = ModelFactory.forTask(Task.SEQ2SEQ_LM).fromPretrained(TestResources.path(
                "hf-tiny-seq2seq/tiny-t5").toString(), Map.of())) {
            var e = assertThrows(IllegalArgumentException.class, () -> OnnxConfig.forModel(t5));
            assertTrue(e.getMessage().contains("'t5'") && e.getMessage().contains("has no OnnxConfig")
                    && e.getMessage().contains("BertConfig"), e.getMessage());
        }
        try (PreTrainedModel<?> gpt2 = tiny("gpt2", Task.CAUSAL_LM)) {
            var e = assertThrows(IllegalArgumentException.class, () -> OnnxConfig.forConfig(gpt2.config(),
                    "question-answering"));
            assertTrue(e.getMessage().contains("gpt2 doesn't support task 'question-answering'")
                    && e.getMessage().contains("[default, causal-lm]"), e.getMessage());
        }
        try (PreTrainedModel<?> model = tiny("bert", Task.SEQUENCE_CLASSIFICATION)) {
            var unknown = assertThrows(IllegalArgumentException.class, () -> OnnxConfig.forConfig(model.config(),
                    "speech-recognition"));
            assertTrue(unknown.getMessage().contains("Unknown ONNX export task 'speech-recognition'"),
                    unknown.getMessage());
            var unsupported = assertThrows(IllegalArgumentException.class, () -> OnnxConfig.forConfig(
                    model.config(), "causal-lm"));
            assertTrue(unsupported.getMessage().contains("doesn't support task 'causal-lm'"),
                    unsupported.getMessage());
            var mismatch = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model,
                    OnnxConfig.forConfig(model.config(), "masked-lm"), dir.resolve("m.onnx"), 11));
            assertTrue(mismatch.getMessage().contains("needs a BertForMaskedLM, got a BertForSequenceClassification"),
                    mismatch.getMessage());
            var opset = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model,
                    OnnxConfig.forModel(model), dir.resolve("m.onnx"), 9));
            assertTrue(opset.getMessage().contains("opset 9"), opset.getMessage());

            Path notAFolder = Files.writeString(dir.resolve("file.txt"), "a file, not a folder");
            var unwritable = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model,
                    OnnxConfig.forModel(model), notAFolder.resolve("model.onnx"), 11));
            assertTrue(unwritable.getMessage().contains(notAFolder.toString()), unwritable.getMessage());
            var folder = assertThrows(IllegalArgumentException.class, () -> OnnxExport.export(model,
                    OnnxConfig.forModel(model), dir, 11));
            assertTrue(folder.getMessage().contains("is a folder"), folder.getMessage());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("file.txt"), left.map(p -> p.getFileName().toString()).toList(),
                    "failed exports leave no file behind");
        }
    }

    @Test
    void aUserConfigRegistersLikeTheAutoClasses() {
        try (PreTrainedModel<?> model = tiny("bert", Task.TOKEN_CLASSIFICATION)) {
            OnnxConfig.register(CustomBertConfig.class, CustomOnnxConfig.class);
            CustomBertConfig config = new CustomBertConfig();
            OnnxConfig custom = OnnxConfig.forConfig(config, "token-classification");
            assertEquals(CustomOnnxConfig.class, custom.getClass());
            assertEquals(1e-3, custom.atolForValidation());
            assertEquals(Arrays.asList("input_ids", "attention_mask", "token_type_ids"),
                    List.copyOf(custom.inputs().keySet()));
            var bad = assertThrows(IllegalArgumentException.class, () -> OnnxConfig.register(CustomBertConfig.class,
                    NoConstructorOnnxConfig.class));
            assertTrue(bad.getMessage().contains("needs a public constructor"), bad.getMessage());
        }
    }

    /** A user's model type. */
    public static class CustomBertConfig extends dev.javaformers.models.bert.BertConfig {
        @Override
        public String getModelType() {
            return "custom-bert";
        }
    }

    /** A user's export config: BERT's graph with a looser tolerance. */
    public static class CustomOnnxConfig extends dev.javaformers.models.bert.BertOnnxConfig {
        public CustomOnnxConfig(CustomBertConfig config, String task) {
            super(config, task);
        }

        @Override
        public double atolForValidation() {
            return 1e-3;
        }
    }

    /** Lacks the (config, task) constructor. */
    public abstract static class NoConstructorOnnxConfig extends OnnxConfig {
        protected NoConstructorOnnxConfig() {
            super(new CustomBertConfig(), "default");
        }
    }
}
