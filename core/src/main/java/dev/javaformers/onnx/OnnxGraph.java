package dev.javaformers.onnx;

import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;
import dev.javaformers.weights.DType;
import dev.javaformers.weights.HostTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph being written: inputs, initializers, nodes and outputs, each value known by its name. A model's
 * {@link OnnxConfig} adds the nodes of its forward pass with {@link #op} and the layer helpers of {@link OnnxLayers};
 * parameters become initializers under their state-dict names ({@code bert.encoder.layer.0.output.dense.weight}),
 * unchanged, so the file reads back into the same state dict.
 */
public final class OnnxGraph {

    /** ONNX element types ({@code TensorProto.DataType}). */
    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int BOOL = 9;

    /** Lowest and highest opsets the graphs are written for (ops change signature across them, e.g. Unsqueeze). */
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 21;

    record Value(String name, int elemType, List<Object> dims) {}

    record Node(String opType, List<String> inputs, String output, Map<String, Object> attributes) {}

    private final int opset;
    private final Map<Parameter, String> parameterNames = new LinkedHashMap<>(); // Parameter has identity equality
    private final Map<String, HostTensor> initializers = new LinkedHashMap<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, String> constants = new LinkedHashMap<>();
    private int counter;

    /** A graph over {@code model}'s parameters, named as its state dict names them (tied ones by the first name). */
    public OnnxGraph(Module model, int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("Unsupported ONNX opset " + opset + ": the exporter writes opsets "
                    + MIN_OPSET + " to " + MAX_OPSET);
        }
        this.opset = opset;
        model.namedParameters().forEach((name, p) -> parameterNames.putIfAbsent(p, name));
    }

    public int opset() {
        return opset;
    }

    /** Declares a graph input; each dim is a name ({@code "batch"}: dynamic) or a size. */
    public String input(String name, int elemType, List<Object> dims) {
        inputs.add(new Value(name, elemType, List.copyOf(dims)));
        return name;
    }

    /** Declares {@code value} a graph output under {@code name}. */
    public void output(String name, String value, int elemType, List<Object> dims) {
        if (!value.equals(name)) {
            nodes.add(new Node("Identity", List.of(value), name, Map.of()));
        }
        outputs.add(new Value(name, elemType, List.copyOf(dims)));
    }

    /** The initializer holding {@code p}'s values, under the parameter's state-dict name. */
    public String parameter(Parameter p) {
        String name = parameterNames.get(p);
        if (name == null) {
            throw new IllegalArgumentException("The parameter " + p + " does not belong to the exported model");
        }
        initializers.computeIfAbsent(name, n -> HostTensor.of(p.array()));
        return name;
    }

    /** A 1-D int64 constant, e.g. the axes or a shape an op takes as input. */
    public String constant(long... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            data.putLong(v);
        }
        return constant("i64" + java.util.Arrays.toString(values), new HostTensor(DType.I64,
                new long[] {values.length}, data.flip()));
    }

    /** A 1-D float constant (rotary frequencies, ...). */
    public String constant(float... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return constant("f32" + java.util.Arrays.toString(bits), new HostTensor(DType.F32, new long[] {values.length},
                data.flip()));
    }

    /** A scalar int64 constant (a Gather index that drops its axis). */
    public String scalar(long value) {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
        return constant("i64(" + value + ")", new HostTensor(DType.I64, new long[0], data.flip()));
    }

    /** A scalar float constant. */
    public String scalar(float value) {
        ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return constant("f32(" + Float.floatToRawIntBits(value) + ")", new HostTensor(DType.F32, new long[0],
                data.flip()));
    }

    private String constant(String key, HostTensor value) {
        return constants.computeIfAbsent(key, k -> {
            String name = "/Constant_" + constants.size();
            initializers.put(name, value);
            return name;
        });
    }

    /** Adds a node of {@code opType} and returns the name of its one output. */
    public String op(String opType, String... inputs) {
        return op(opType, Map.of(), inputs);
    }

    /**
     * Adds a node with attributes: Integer or Long values are INT, Float or Double FLOAT, long[] INTS, String
     * STRING.
     */
    public String op(String opType, Map<String, ?> attributes, String... inputs) {
        String output = "/" + opType + "_" + counter++;
        nodes.add(new Node(opType, List.of(inputs), output, new LinkedHashMap<>(attributes)));
        return output;
    }

    List<Value> inputs() {
        return inputs;
    }

    List<Value> outputs() {
        return outputs;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The initializers: the parameters used, in the model's state-dict order, then the constants. */
    Map<String, HostTensor> initializers() {
        Map<String, HostTensor> ordered = new LinkedHashMap<>();
        parameterNames.values().stream().distinct().filter(initializers::containsKey)
                .forEach(n -> ordered.put(n, initializers.get(n)));
        ordered.putAll(initializers);
        return ordered;
    }
}
