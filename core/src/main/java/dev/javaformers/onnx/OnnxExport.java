package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.weights.HostTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code transformers.onnx.export} and {@code validate_model_outputs}: writes a model's whole graph
 * as an ONNX file, inputs and outputs named and with dynamic axes as its {@link OnnxConfig} says, weights as
 * initializers under their state-dict names; then checks the file in ONNX Runtime against the model itself.
 *
 * <pre>{@code
 * var model = AutoModelForSequenceClassification.fromPretrained("my-model");
 * OnnxConfig onnxConfig = OnnxConfig.forModel(model);
 * var exported = OnnxExport.export(model, onnxConfig, Path.of("onnx/model.onnx"), onnxConfig.defaultOnnxOpset());
 * OnnxExport.validateModelOutputs(onnxConfig, model, exported.file(), onnxConfig.atolForValidation());
 * }</pre>
 */
public final class OnnxExport {

    /** transformers' fixed dummy sizes for the trial run (batch 2, sequence 8, 4 choices). */
    static final int EXPORT_BATCH = 2;
    static final int EXPORT_SEQUENCE = 8;
    static final int EXPORT_CHOICES = 4;

    /** What an export wrote: the model file, the files written (with any external data), input and output names. */
    public record Exported(Path file, List<Path> files, List<String> inputs, List<String> outputs) {}

    private OnnxExport() {}

    /** Exports {@code model} as {@code onnxConfig} says, with weights inline unless past protobuf's 2 GB. */
    public static Exported export(PreTrainedModel<?> model, OnnxConfig onnxConfig, Path output, int opset) {
        return export(model, onnxConfig, output, opset, false);
    }

    /** The same; {@code externalData} puts the weights in {@code <file>_data} beside the model whatever their size. */
    public static Exported export(PreTrainedModel<?> model, OnnxConfig onnxConfig, Path output, int opset,
            boolean externalData) {
        checkExportable(model, onnxConfig);
        checkWritable(output);
        return inEvalMode(model, () -> { // the graph has no dropout, as transformers exports in eval mode
            OnnxGraph graph = new OnnxGraph(model, opset);
            Map<String, String> inputs = new LinkedHashMap<>();
            onnxConfig.inputs().forEach((name, axes) -> inputs.put(name, graph.input(name, OnnxGraph.INT64,
                    dims(axes, null))));
            Map<String, String> values = onnxConfig.graph(graph, model, inputs);
            Map<String, long[]> shapes = referenceShapes(model, onnxConfig);
            for (var e : onnxConfig.outputs().entrySet()) {
                String value = values.get(e.getKey());
                long[] shape = shapes.get(e.getKey());
                if (value == null || shape == null) {
                    throw new IllegalStateException(onnxConfig + " did not produce output '" + e.getKey() + "'");
                }
                graph.output(e.getKey(), value, OnnxGraph.FLOAT, dims(e.getValue(), shape));
            }
            List<Path> files = OnnxModelWriter.write(graph, output, externalData, "0.1.0");
            return new Exported(output, files, List.copyOf(onnxConfig.inputs().keySet()),
                    List.copyOf(onnxConfig.outputs().keySet()));
        });
    }

    /** {@code body}'s result with {@code model} in eval mode, its training mode put back after. */
    private static <T> T inEvalMode(PreTrainedModel<?> model, java.util.function.Supplier<T> body) {
        boolean training = model.isTraining();
        model.eval();
        try {
            return body.get();
        } finally {
            if (training) {
                model.train();
            }
        }
    }

    private static void checkExportable(PreTrainedModel<?> model, OnnxConfig onnxConfig) {
        if (model.config() != onnxConfig.config() && !model.config().getModelType().equals(
                onnxConfig.config().getModelType())) {
            throw new IllegalArgumentException(onnxConfig + " is for model_type '" + onnxConfig.config()
                    .getModelType() + "', the model is a " + model.config().getModelType());
        }
        for (var e : model.namedParameters().entrySet()) {
            DataType type = e.getValue().array().getDataType();
            if (type != DataType.FLOAT32) {
                throw new IllegalArgumentException("ONNX export writes float32 models; " + e.getKey() + " is "
                        + type + ". Call model.toDtype(DataType.FLOAT32) first");
            }
        }
    }

    /** Fails before any work when the output cannot be written: a folder, or a parent that is a file. */
    private static void checkWritable(Path output) {
        if (Files.isDirectory(output)) {
            throw new IllegalArgumentException("The ONNX output " + output + " is a folder; name the file, e.g. "
                    + output.resolve("model.onnx"));
        }
        for (Path p = output.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p) || !Files.isWritable(p)) {
                    throw new IllegalArgumentException("Cannot write the ONNX model to " + output + ": " + p
                            + (Files.isDirectory(p) ? " is not writable" : " is not a folder"));
                }
                return;
            }
        }
    }

    private static List<Object> dims(Map<Integer, String> axes, long[] shape) {
        int rank = shape != null ? shape.length : axes.keySet().stream().mapToInt(i -> i + 1).max().orElse(0);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            out.add(axes.containsKey(i) ? axes.get(i) : shape[i]);
        }
        return out;
    }

    /** The model's outputs on the export-sized dummy inputs: the sizes of the axes that are not dynamic. */
    private static Map<String, long[]> referenceShapes(PreTrainedModel<?> model, OnnxConfig onnxConfig) {
        try (NDManager m = model.manager().newSubManager()) {
            Map<String, NDArray> inputs = onnxConfig.generateDummyInputs(m, EXPORT_BATCH, EXPORT_SEQUENCE,
                    EXPORT_CHOICES, 0);
            Map<String, long[]> shapes = new LinkedHashMap<>();
            model.forward(inputs).asMap().forEach((name, a) -> shapes.put(name, a.getShape().getShape()));
            return shapes;
        }
    }

    /**
     * transformers' {@code validate_model_outputs}: runs the exported file in ONNX Runtime on dummy inputs of
     * other sizes than the export's (batch 3, sequence 11, 3 choices) and compares every output with the model's
     * own forward pass. A difference past {@code atol} is an error naming the output and the difference.
     */
    public static void validateModelOutputs(OnnxConfig onnxConfig, PreTrainedModel<?> model, Path onnxFile,
            double atol) {
        validateModelOutputs(onnxConfig, model, onnxFile, atol, 3, 11, 3);
    }

    /** The same at the given dummy sizes. */
    public static void validateModelOutputs(OnnxConfig onnxConfig, PreTrainedModel<?> model, Path onnxFile,
            double atol, int batch, int sequence, int choices) {
        inEvalMode(model, () -> compareOutputs(onnxConfig, model, onnxFile, atol, batch, sequence, choices));
    }

    private static Void compareOutputs(OnnxConfig onnxConfig, PreTrainedModel<?> model, Path onnxFile, double atol,
            int batch, int sequence, int choices) {
        try (NDManager m = model.manager().newSubManager();
                OrtSession session = OrtRuntime.open(onnxFile, 0)) {
            Map<String, NDArray> inputs = onnxConfig.generateDummyInputs(m, batch, sequence, choices, 42);
            Map<String, NDArray> reference = model.forward(inputs).asMap();
            Map<String, HostTensor> onnx = OrtRuntime.run(session, inputs);
            if (!onnx.keySet().containsAll(onnxConfig.outputs().keySet())) {
                throw new OnnxValidationException("Output names do not match: the ONNX model has " + onnx.keySet()
                        + ", " + onnxConfig + " expects " + onnxConfig.outputs().keySet());
            }
            for (String name : onnxConfig.outputs().keySet()) {
                compare(name, reference.get(name), onnx.get(name), atol);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        return null;
    }

    private static void compare(String name, NDArray reference, HostTensor onnx, double atol) {
        long[] want = reference.getShape().getShape();
        if (!java.util.Arrays.equals(want, onnx.shape())) {
            throw new OnnxValidationException("Output '" + name + "' has shape " + java.util.Arrays.toString(
                    onnx.shape()) + " in the ONNX model, " + java.util.Arrays.toString(want) + " in the model");
        }
        float[] expected = reference.toType(DataType.FLOAT32, false).toFloatArray();
        float[] actual = onnx.toFloatArray();
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d; // NaN counts as worst
            }
        }
        if (!(worst <= atol)) {
            throw new OnnxValidationException(String.format(java.util.Locale.ROOT, "Outputs values doesn't match "
                    + "between reference model and ONNX exported model: got max absolute difference of %.3g for "
                    + "output '%s' (atol %.1g)", worst, name, atol));
        }
    }
}
