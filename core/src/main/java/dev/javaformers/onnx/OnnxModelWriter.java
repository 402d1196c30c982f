package dev.javaformers.onnx;

import dev.javaformers.util.AtomicFiles;
import dev.javaformers.util.ProtobufWriter;
import dev.javaformers.weights.DType;
import dev.javaformers.weights.HostTensor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link OnnxGraph} as an ONNX {@code ModelProto} with the project's own {@link ProtobufWriter}: the
 * format is a handful of messages (onnx.proto, IR version 6 to 10), so no protobuf library is needed. Weights past
 * {@link #INLINE_LIMIT} go to an external data file beside the model ({@code model.onnx_data}), as protobuf
 * messages cannot exceed 2 GB. Both files are written to temporary names and renamed, the data file first.
 */
final class OnnxModelWriter {

    /** Total initializer bytes above which weights go to an external data file (protobuf's limit is 2 GiB). */
    static final long INLINE_LIMIT = (1L << 31) - (256L << 20);

    /** Tensors smaller than this stay inline even with external data, as optimum's size_threshold. */
    static final int EXTERNAL_MIN_BYTES = 1024;

    private OnnxModelWriter() {}

    /**
     * Writes {@code graph} to {@code file}; with {@code external} (or weights past the inline limit) the
     * initializers go to {@code <file name>_data} beside it. Returns the files written.
     */
    static List<Path> write(OnnxGraph graph, Path file, boolean external, String producerVersion) {
        long weightBytes = graph.initializers().values().stream().mapToLong(t -> t.data().remaining()).sum();
        boolean toDataFile = external || weightBytes > INLINE_LIMIT;
        Path dataFile = file.resolveSibling(file.getFileName() + "_data");
        if (!toDataFile) {
            AtomicFiles.write(file, out -> writeModel(graph, null, producerVersion, out));
            return List.of(file);
        }
        // offsets are known before writing: each tensor starts on a 4 KiB boundary so it can be memory-mapped
        java.util.Map<String, long[]> placement = new java.util.LinkedHashMap<>();
        long offset = 0;
        for (var e : graph.initializers().entrySet()) {
            long length = e.getValue().data().remaining();
            if (length < EXTERNAL_MIN_BYTES) {
                continue; // small tensors (shapes, axes) stay inline, where shape inference can read them
            }
            placement.put(e.getKey(), new long[] {offset, length});
            offset = (offset + length + 4095) / 4096 * 4096;
        }
        External where = new External(dataFile.getFileName().toString(), placement);
        AtomicFiles.write(dataFile, out -> writeData(graph.initializers(), placement, out));
        try {
            AtomicFiles.write(file, out -> writeModel(graph, where, producerVersion, out));
        } catch (UncheckedIOException e) {
            try {
                Files.deleteIfExists(dataFile); // no data file without its model
            } catch (IOException ignored) {
                // the model's error is the one to report
            }
            throw e;
        }
        return List.of(file, dataFile);
    }

    private record External(String location, Map<String, long[]> placement) {}

    private static void writeData(Map<String, HostTensor> tensors, Map<String, long[]> placement, OutputStream out)
            throws IOException {
        WritableByteChannel channel = Channels.newChannel(out);
        long position = 0;
        for (var e : tensors.entrySet()) {
            if (!placement.containsKey(e.getKey())) {
                continue;
            }
            long start = placement.get(e.getKey())[0];
            out.write(new byte[(int) (start - position)]);
            ByteBuffer data = e.getValue().data().duplicate();
            position = start + data.remaining();
            while (data.hasRemaining()) {
                channel.write(data);
            }
        }
    }

    /**
     * Writes the ModelProto to {@code out}. Everything but the weights' bytes is built in memory first, since
     * protobuf puts each message's length before it; the weights are then streamed from their buffers, so a
     * model is not copied again on its way to the file.
     */
    private static void writeModel(OnnxGraph graph, External external, String producerVersion, OutputStream out)
            throws IOException {
        ProtobufWriter head = new ProtobufWriter();
        for (OnnxGraph.Node node : graph.nodes()) {
            head.message(1, node(node));
        }
        head.string(2, "javaformers");
        List<ProtobufWriter> tensorHeads = new java.util.ArrayList<>();
        List<ByteBuffer> inlineData = new java.util.ArrayList<>();
        long graphSize = head.size();
        for (var e : graph.initializers().entrySet()) {
            long[] place = external == null ? null : external.placement().get(e.getKey());
            ProtobufWriter tensor = tensorHead(e.getKey(), e.getValue(), external, place);
            ByteBuffer data = place == null ? e.getValue().data() : null;
            long size = tensor.size() + (data == null ? 0 : ProtobufWriter.headerSize(9, data.remaining())
                    + data.remaining());
            graphSize += ProtobufWriter.headerSize(5, size) + size;
            tensorHeads.add(tensor);
            inlineData.add(data);
        }
        ProtobufWriter tail = new ProtobufWriter();
        for (OnnxGraph.Value input : graph.inputs()) {
            tail.message(11, valueInfo(input));
        }
        for (OnnxGraph.Value output : graph.outputs()) {
            tail.message(12, valueInfo(output));
        }
        graphSize += tail.size();

        new ProtobufWriter().varint(1, irVersion(graph.opset())).string(2, "javaformers").string(3, producerVersion)
                .writeTo(out);
        ProtobufWriter.writeHeader(out, 7, graphSize);
        head.writeTo(out);
        WritableByteChannel channel = Channels.newChannel(out);
        for (int i = 0; i < tensorHeads.size(); i++) {
            ProtobufWriter tensor = tensorHeads.get(i);
            ByteBuffer data = inlineData.get(i);
            long size = tensor.size() + (data == null ? 0 : ProtobufWriter.headerSize(9, data.remaining())
                    + data.remaining());
            ProtobufWriter.writeHeader(out, 5, size);
            tensor.writeTo(out);
            if (data != null) {
                ProtobufWriter.writeHeader(out, 9, data.remaining());
                ByteBuffer copy = data.duplicate();
                while (copy.hasRemaining()) {
                    channel.write(copy);
                }
            }
        }
        tail.writeTo(out);
        new ProtobufWriter().message(8, new ProtobufWriter().string(1, "").varint(2, graph.opset())).writeTo(out);
    }

    /** The IR version of the ONNX release that introduced the opset (ONNX 1.6: IR 6 with opset 11, ...). */
    static int irVersion(int opset) {
        return opset <= 11 ? 6 : opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;
    }

    private static ProtobufWriter node(OnnxGraph.Node node) {
        ProtobufWriter w = new ProtobufWriter();
        node.inputs().forEach(i -> w.string(1, i));
        w.string(2, node.output()).string(3, node.output().substring(1)).string(4, node.opType());
        node.attributes().forEach((name, value) -> w.message(5, attribute(name, value)));
        return w;
    }

    private static ProtobufWriter attribute(String name, Object value) {
        ProtobufWriter a = new ProtobufWriter().string(1, name);
        if (value instanceof Integer || value instanceof Long) {
            return a.varint(3, ((Number) value).longValue()).varint(20, 2);
        }
        if (value instanceof Float || value instanceof Double) {
            return a.fixed32(2, ((Number) value).floatValue()).varint(20, 1);
        }
        if (value instanceof long[] ints) {
            return a.packed(8, ints).varint(20, 7);
        }
        if (value instanceof String s) {
            return a.string(4, s).varint(20, 3);
        }
        throw new IllegalArgumentException("Unsupported attribute value for " + name + ": " + value);
    }

    /** A TensorProto without its raw bytes: those follow it, or lie in the external data file ({@code place}). */
    private static ProtobufWriter tensorHead(String name, HostTensor t, External external, long[] place) {
        ProtobufWriter w = new ProtobufWriter().packed(1, t.shape()).varint(2, elemType(t.dtype())).string(8, name);
        if (place == null) {
            return w;
        }
        w.message(13, entry("location", external.location()));
        w.message(13, entry("offset", Long.toString(place[0])));
        w.message(13, entry("length", Long.toString(place[1])));
        return w.varint(14, 1);
    }

    private static ProtobufWriter entry(String key, String value) {
        return new ProtobufWriter().string(1, key).string(2, value);
    }

    static int elemType(DType dtype) {
        return switch (dtype) {
            case F32 -> OnnxGraph.FLOAT;
            case I64 -> OnnxGraph.INT64;
            case I32 -> 6;
            case F16 -> 10;
            case F64 -> 11;
            default -> throw new IllegalArgumentException("No ONNX element type for " + dtype);
        };
    }

    private static ProtobufWriter valueInfo(OnnxGraph.Value value) {
        ProtobufWriter shape = new ProtobufWriter();
        for (Object d : value.dims()) {
            ProtobufWriter dim = new ProtobufWriter();
            if (d instanceof Number n) {
                dim.varint(1, n.longValue());
            } else {
                dim.string(2, d.toString());
            }
            shape.message(1, dim);
        }
        ProtobufWriter tensorType = new ProtobufWriter().varint(1, value.elemType()).message(2, shape);
        return new ProtobufWriter().string(1, value.name()).message(2, new ProtobufWriter().message(1, tensorType));
    }
}
