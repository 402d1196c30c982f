package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.util.Kwargs;
import dev.javaformers.weights.HostTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An exported model served by ONNX Runtime, as optimum's {@code ORTModel}: {@code model.onnx} (and any
 * {@code model.onnx_data}) with the {@code config.json} beside it, from a folder or a Hub repo, or exported on
 * the spot from a Javaformers checkpoint with {@code export=true}. The {@code OrtModelFor...} classes take a
 * {@link BatchEncoding} and return the same output records as the models themselves.
 */
public class OrtModel implements AutoCloseable {

    public static final String ONNX_FILE = "model.onnx";

    private final OrtSession session;
    private final PretrainedConfig config;
    private final Path modelFile;
    private final Path temporaryDir;

    protected OrtModel(OrtSession session, PretrainedConfig config, Path modelFile, Path temporaryDir) {
        this.session = session;
        this.config = config;
        this.modelFile = modelFile;
        this.temporaryDir = temporaryDir;
    }

    /** The pieces a subclass is built from. */
    protected record Loaded(OrtSession session, PretrainedConfig config, Path modelFile, Path temporaryDir) {}

    /**
     * Opens {@code nameOrPath}'s ONNX model for {@code task}. {@code kwargs}: {@code export} (true: load the
     * checkpoint with Javaformers, export it to a temporary folder and validate it first), {@code file_name}
     * (default model.onnx), {@code intra_op_num_threads}, {@code opset}, and the Hub options
     * ({@code revision}, {@code cache_dir}, {@code local_files_only}, ...).
     */
    protected static Loaded load(String nameOrPath, Task task, Map<String, ?> kwargs) {
        Kwargs kw = Kwargs.of(kwargs);
        boolean export = kw.popBoolean("export", false);
        String fileName = kw.popString("file_name");
        Object threads = kw.pop("intra_op_num_threads");
        Object opset = kw.pop("opset");
        int intraOp = threads == null ? 0 : ((Number) threads).intValue();
        if (export) {
            Map<String, Object> loadKwargs = new LinkedHashMap<>(kw.remaining());
            try (PreTrainedModel<?> model = ModelFactory.forTask(task).fromPretrained(nameOrPath, loadKwargs)) {
                return exported(model, task, intraOp, opset == null ? null : ((Number) opset).intValue());
            }
        }
        Map<String, Object> configKwargs = new LinkedHashMap<>(kw.remaining());
        HubOptions hub = HubOptions.fromKwargs(kw);
        Path file = Hub.cachedFile(nameOrPath, fileName != null ? fileName : ONNX_FILE, hub);
        Hub.cachedFileIfExists(nameOrPath, file.getFileName() + "_data", hub); // external data, when there is some
        PretrainedConfig config = AutoConfig.fromPretrained(nameOrPath, configKwargs);
        return new Loaded(OrtRuntime.open(file, intraOp), config, file, null);
    }

    /** Exports {@code model} to a temporary folder (removed on close), validates it and opens it. */
    protected static Loaded exported(PreTrainedModel<?> model, Task task, int intraOp, Integer opset) {
        OnnxConfig onnxConfig = OnnxConfig.forConfig(model.config(), OnnxConfig.taskName(task));
        Path dir;
        try {
            dir = Files.createTempDirectory("javaformers-onnx-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path file = dir.resolve(ONNX_FILE);
            OnnxExport.export(model, onnxConfig, file, opset != null ? opset : onnxConfig.defaultOnnxOpset());
            OnnxExport.validateModelOutputs(onnxConfig, model, file, onnxConfig.atolForValidation());
            PretrainedConfig config = model.config();
            config.save(dir);
            return new Loaded(OrtRuntime.open(file, intraOp), config, file, dir);
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    public PretrainedConfig config() {
        return config;
    }

    /** The ONNX file the session runs. */
    public Path modelFile() {
        return modelFile;
    }

    /** The graph's input names, e.g. input_ids, attention_mask, token_type_ids. */
    public List<String> inputNames() {
        try {
            return List.copyOf(session.getInputNames());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the graph on the inputs it takes (others, as labels, are ignored) and returns its outputs by name,
     * as arrays in {@code input_ids}' manager, freed with it.
     */
    public Map<String, NDArray> run(Map<String, NDArray> inputs) {
        NDArray ids = inputs.get("input_ids");
        if (ids == null) {
            throw new IllegalArgumentException("The inputs have no input_ids: " + inputs.keySet());
        }
        NDManager manager = ids.getManager();
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : OrtRuntime.run(session, inputs).entrySet()) {
            out.put(e.getKey(), e.getValue().toNDArray(manager));
        }
        return out;
    }

    /** {@link #run(Map)} on a tokenizer's output, encoded with {@code return_tensors="pt"}. */
    public Map<String, NDArray> run(BatchEncoding batch) {
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        batch.forEach((name, value) -> {
            if (value instanceof NDArray array) {
                inputs.put(name, array);
            }
        });
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("Encode with return_tensors=\"pt\" to run an ONNX model");
        }
        return run(inputs);
    }

    /**
     * Writes the ONNX file (and its external data) and config.json into {@code dir}, as save_pretrained, as one
     * change ({@link dev.javaformers.util.AtomicFolders}): old ONNX files there are replaced.
     */
    public Path save(Path dir) {
        return dev.javaformers.util.AtomicFolders.save(dir, name -> name.endsWith(".onnx")
                || name.endsWith(".onnx_data"), staging -> {
                    for (Path f : List.of(modelFile, modelFile.resolveSibling(modelFile.getFileName() + "_data"))) {
                        if (Files.exists(f)) {
                            Files.copy(f, staging.resolve(f.getFileName()));
                        }
                    }
                    config.save(staging);
                });
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            if (temporaryDir != null) {
                deleteTree(temporaryDir);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is only debris
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + config.getModelType() + ", " + modelFile + ")";
    }
}
