package dev.javaformers.weights;

import dev.javaformers.util.Protobuf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the weights of an ONNX export of a BERT-family model (as {@code torch.onnx.export} writes it) back into
 * PyTorch's state dict. Initializers that kept their module names ({@code encoder.layer.0.output.dense.bias}) are
 * taken as they are; linear weights are exported as MatMul operands with generated names
 * ({@code onnx::MatMul_787}) and transposed to [in, out], so each is followed through the graph to the Add that
 * applies its bias, named after the same layer, and transposed back.
 */
public final class OnnxImporter {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int TENSOR_DATA_LOCATION = 14;

    private record Node(String op, List<String> inputs, List<String> outputs) {}

    private OnnxImporter() {}

    public static StateDict read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new InvalidWeightsException(file + " is over 2 GB, which no ONNX file can be: protobuf "
                        + "messages stop at 2 GB, larger models keep their weights in external data files");
            }
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            return read(bytes, file.toString(), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an ONNX model held in memory; {@code source} names it in errors. */
    public static StateDict read(ByteBuffer bytes, String source) {
        return read(bytes, source, null);
    }

    /** Reads an ONNX model whose external data files, if it has any, lie in {@code dir}. */
    private static StateDict read(ByteBuffer bytes, String source, Path dir) {
        try {
            return readModel(bytes, source, dir);
        } catch (Protobuf.MalformedException e) {
            throw new InvalidWeightsException(source + ": " + e.getMessage() + " (is this an ONNX file?)", e);
        }
    }

    private static StateDict readModel(ByteBuffer bytes, String source, Path dir) {
        Protobuf.Field graphField = Protobuf.parse(bytes, source).stream().filter(f -> f.number() == MODEL_GRAPH
                && f.bytes() != null).findFirst().orElseThrow(() -> new InvalidWeightsException(source
                + " has no graph: it is not an ONNX model"));
        List<Protobuf.Field> graph = graphField.message(source);
        Map<String, HostTensor> initializers = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Protobuf.Field f : graph) {
            if (f.number() == GRAPH_INITIALIZER) {
                List<Protobuf.Field> t = f.message(source);
                String name = strings(t, TENSOR_NAME).stream().findFirst().orElse("");
                initializers.put(name, tensor(t, name, source, dir));
            } else if (f.number() == GRAPH_NODE) {
                List<Protobuf.Field> n = f.message(source);
                nodes.add(new Node(strings(n, NODE_OP_TYPE).stream().findFirst().orElse(""),
                        strings(n, NODE_INPUT), strings(n, NODE_OUTPUT)));
            }
        }
        return toStateDict(initializers, nodes, source);
    }

    private static StateDict toStateDict(Map<String, HostTensor> initializers, List<Node> nodes, String source) {
        Map<String, Node> consumerOf = new HashMap<>();
        for (Node n : nodes) {
            for (String input : n.inputs()) {
                consumerOf.putIfAbsent(input, n);
            }
        }
        StateDict dict = new StateDict();
        initializers.forEach((name, tensor) -> {
            if (isModuleName(name)) {
                dict.put(name, tensor);
            }
        });
        for (Node matMul : nodes) {
            if (!matMul.op().equals("MatMul") || matMul.inputs().size() < 2) {
                continue;
            }
            String weightName = matMul.inputs().get(1);
            HostTensor weight = initializers.get(weightName);
            if (weight == null || isModuleName(weightName)) {
                continue; // a MatMul of two activations (attention scores), or an already named weight
            }
            Node add = consumerOf.get(matMul.outputs().get(0));
            String bias = add == null || !add.op().equals("Add") ? null : add.inputs().stream()
                    .filter(i -> i.endsWith(".bias") && initializers.containsKey(i)).findFirst().orElse(null);
            if (bias == null) {
                throw new InvalidWeightsException(source + ": the MatMul weight " + weightName + " is not followed "
                        + "by an Add of a named bias, so the layer it belongs to cannot be told");
            }
            dict.put(bias.substring(0, bias.length() - "bias".length()) + "weight", transpose(weight));
        }
        return dict;
    }

    /** Names that PyTorch modules give: {@code a.b.weight}, not {@code onnx::MatMul_1} or {@code /Constant_1}. */
    private static boolean isModuleName(String name) {
        return name.matches("[A-Za-z_][\\w]*(\\.[\\w]+)+") && !name.contains("::");
    }

    private static HostTensor tensor(List<Protobuf.Field> t, String name, String source, Path dir) {
        boolean external = t.stream().anyMatch(f -> f.number() == TENSOR_DATA_LOCATION && f.value() == 1);
        long[] dims = Protobuf.longs(t, TENSOR_DIMS);
        int onnxType = (int) t.stream().filter(f -> f.number() == TENSOR_DATA_TYPE).mapToLong(Protobuf.Field::value)
                .findFirst().orElse(0);
        DType dtype = switch (onnxType) {
            case 1 -> DType.F32;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> throw new InvalidWeightsException(source + ": initializer " + name + " has ONNX data type "
                    + onnxType + ", which is not supported");
        };
        ByteBuffer data = external ? externalData(t, name, source, dir) : t.stream().filter(f -> f.number()
                == TENSOR_RAW_DATA && f.bytes() != null).map(Protobuf.Field::bytes).findFirst().orElse(null);
        if (data == null && dtype == DType.F32) {
            data = t.stream().filter(f -> f.number() == TENSOR_FLOAT_DATA && f.bytes() != null)
                    .map(Protobuf.Field::bytes).findFirst().orElse(ByteBuffer.allocate(0));
        }
        if (data == null) {
            data = ByteBuffer.allocate(0);
        }
        try {
            return new HostTensor(dtype, dims, data);
        } catch (IllegalArgumentException | ArithmeticException e) { // ArithmeticException: a size past 2^63
            throw new InvalidWeightsException(source + ": initializer " + name + ": " + e.getMessage());
        }
    }

    /** The bytes an initializer keeps in an external file: {@code location}, {@code offset}, {@code length}. */
    private static ByteBuffer externalData(List<Protobuf.Field> t, String name, String source, Path dir) {
        Map<String, String> entries = new HashMap<>();
        for (Protobuf.Field f : t) {
            if (f.number() == TENSOR_EXTERNAL_DATA) {
                List<Protobuf.Field> entry = f.message(source);
                entries.put(strings(entry, 1).stream().findFirst().orElse(""),
                        strings(entry, 2).stream().findFirst().orElse(""));
            }
        }
        String location = entries.get("location");
        if (dir == null || location == null) {
            throw new InvalidWeightsException(source + ": initializer " + name + " keeps its data in an external "
                    + "file" + (location == null ? " it does not name" : "; read the model from its file, so that "
                    + location + " beside it is found"));
        }
        Path file = dir.resolve(location).normalize();
        if (!file.startsWith(dir)) {
            throw new InvalidWeightsException(source + ": initializer " + name + " names external data outside the "
                    + "model's folder: " + location);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = Long.parseLong(entries.getOrDefault("offset", "0"));
            long length = entries.containsKey("length") ? Long.parseLong(entries.get("length"))
                    : channel.size() - offset;
            if (offset < 0 || length < 0 || offset + length > channel.size()) {
                throw new InvalidWeightsException(source + ": initializer " + name + " reads bytes " + offset + " to "
                        + (offset + length) + " of " + file + ", which has " + channel.size());
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        } catch (NumberFormatException e) {
            throw new InvalidWeightsException(source + ": initializer " + name + " has a bad external data offset or "
                    + "length: " + entries);
        } catch (IOException e) {
            throw new InvalidWeightsException(source + ": cannot read the external data of " + name + " from " + file
                    + ": " + e.getMessage());
        }
    }

    /** [in, out] to [out, in]. */
    static HostTensor transpose(HostTensor t) {
        if (t.shape().length != 2) {
            throw new InvalidWeightsException("a MatMul weight of shape " + java.util.Arrays.toString(t.shape())
                    + " is not a matrix");
        }
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        int elem = t.dtype().bytes();
        ByteBuffer src = t.data();
        ByteBuffer out = ByteBuffer.allocate(rows * cols * elem).order(ByteOrder.LITTLE_ENDIAN);
        byte[] cell = new byte[elem];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                src.get((r * cols + c) * elem, cell);
                out.put(cell);
            }
        }
        return new HostTensor(t.dtype(), new long[] {cols, rows}, out.flip());
    }

    private static List<String> strings(List<Protobuf.Field> fields, int number) {
        List<String> out = new ArrayList<>();
        for (Protobuf.Field f : fields) {
            if (f.number() == number && f.bytes() != null) {
                out.add(f.string());
            }
        }
        return out;
    }
}
