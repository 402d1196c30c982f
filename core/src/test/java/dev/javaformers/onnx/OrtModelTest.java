package dev.javaformers.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled, real all-MiniLM-L6-v2 exported with every BERT head, through the CLI, and served by ONNX Runtime
 * with the same outputs as the model; its export agrees with the torch.onnx export that the jar ships.
 */
class OrtModelTest {

    static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";
    static final List<String> SENTENCES = List.of("A man is eating food.", "A man is eating a piece of bread.",
            "The stock market fell sharply on Tuesday, the third fall in a row.");

    @TempDir
    static Path cache;

    @TempDir
    Path dir;

    static Map<String, Object> offline() {
        return Map.of("cache_dir", cache.toString(), "local_files_only", true);
    }

    @Test
    void everyBertHeadOfMiniLmExportsAndValidates() {
        for (Task task : List.of(Task.SEQUENCE_CLASSIFICATION, Task.TOKEN_CLASSIFICATION, Task.MASKED_LM,
                Task.QUESTION_ANSWERING, Task.MULTIPLE_CHOICE)) {
            try (PreTrainedModel<?> model = ModelFactory.forTask(task).fromPretrained(MINILM, offline())) {
                OnnxConfig onnxConfig = OnnxConfig.forModel(model);
                Path file = dir.resolve(onnxConfig.task() + ".onnx");
                OnnxExport.export(model, onnxConfig, file, onnxConfig.defaultOnnxOpset());
                OnnxExport.validateModelOutputs(onnxConfig, model, file, 1e-4, 2, 37, 3);
            }
        }
    }

    @Test
    void featureExtractionMatchesTheModelAndTheShippedTorchExport() throws Exception {
        try (BertModel model = (BertModel) AutoModel.fromPretrained(MINILM, offline());
                OrtModelForFeatureExtraction ort = OrtModelForFeatureExtraction.fromModel(model);
                PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(MINILM, offline());
                BatchEncoding batch = tokenizer.encode(SENTENCES, Map.of("padding", true, "return_tensors", "pt"))) {
            float[] ours = ort.forward(batch).lastHiddenState().toFloatArray();
            float[] djl = model.forward(batch).lastHiddenState().toFloatArray();
            assertTrue(maxDiff(ours, djl) < 1e-4, "ONNX Runtime vs DJL: " + maxDiff(ours, djl));

            // the ONNX file inside the langchain4j jar was written by torch.onnx.export from the same weights
            byte[] shipped;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
                shipped = in.readAllBytes();
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession torchExport = env.createSession(shipped)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                for (String name : torchExport.getInputNames()) {
                    NDArray value = (NDArray) batch.get(name);
                    feed.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(value.toLongArray()),
                            value.getShape().getShape()));
                }
                try (OrtSession.Result result = torchExport.run(feed)) {
                    OnnxTensor hidden = (OnnxTensor) result.get(0);
                    float[] theirs = new float[ours.length];
                    hidden.getFloatBuffer().get(theirs);
                    assertTrue(maxDiff(ours, theirs) < 1e-4, "ours vs torch.onnx's export: " + maxDiff(ours, theirs));
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    @Test
    void theCliExportsAFolderThatServesAsItIs() throws Exception {
        Path checkpoint = dir.resolve("minilm-classifier"); // MiniLM with a new (random) classification head
        try (var model = ModelFactory.forTask(Task.SEQUENCE_CLASSIFICATION).fromPretrained(MINILM, offline());
                PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(MINILM, offline())) {
            model.save(checkpoint);
            tokenizer.save(checkpoint);
        }
        Path out = dir.resolve("onnx");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int rc = OnnxExportCli.run(new String[] {"--model", checkpoint.toString(), "--task", "text-classification",
            out.toString()}, print(stdout), print(stderr));
        assertEquals(0, rc, stderr.toString(StandardCharsets.UTF_8));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("All good, model saved at: " + out
                .resolve("model.onnx")), stdout.toString(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.list(out)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertTrue(names.containsAll(Set.of("model.onnx", "config.json", "tokenizer.json")), names.toString());
        }

        try (var ort = OrtModelForSequenceClassification.fromPretrained(out.toString());
                var model = ModelFactory.forTask(Task.SEQUENCE_CLASSIFICATION).fromPretrained(checkpoint.toString(),
                        Map.of());
                PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(out.toString());
                BatchEncoding batch = tokenizer.encode(SENTENCES, Map.of("padding", true, "return_tensors", "pt"))) {
            assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), ort.inputNames());
            assertEquals(model.config().id2label, ort.config().id2label);
            float[] served = ort.forward(batch).logits().toFloatArray();
            float[] reference = model.eval().forward(batch).logits().toFloatArray();
            assertEquals(3 * 2, served.length);
            assertTrue(maxDiff(served, reference) < 1e-5, "ONNX Runtime vs the checkpoint: "
                    + maxDiff(served, reference));
        }
    }

    @Test
    void theCliRefusesBadInputClearly() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        assertEquals(2, OnnxExportCli.run(new String[] {dir.toString()}, print(new ByteArrayOutputStream()),
                print(stderr)));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("--model is required"));

        stderr.reset();
        assertEquals(1, OnnxExportCli.run(new String[] {"--model", MINILM, "--task", "speech-recognition",
            "--cache-dir", cache.toString(), "--local-files-only", dir.resolve("x").toString()},
            print(new ByteArrayOutputStream()), print(stderr)));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("Unknown ONNX export task 'speech-recognition'"),
                stderr.toString(StandardCharsets.UTF_8));

        stderr.reset();
        Path file = Files.writeString(dir.resolve("taken"), "a file");
        assertEquals(1, OnnxExportCli.run(new String[] {"--model", MINILM, "--cache-dir", cache.toString(),
            "--local-files-only", file.toString()}, print(new ByteArrayOutputStream()), print(stderr)));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("is a file"), stderr.toString(
                StandardCharsets.UTF_8));
        assertEquals("a file", Files.readString(file));
        assertTrue(Files.notExists(dir.resolve("x")), "nothing written for a failed export");
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
