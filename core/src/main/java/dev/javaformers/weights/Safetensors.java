package dev.javaformers.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.AtomicFiles;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the bytes. Reading checks every range before touching data, so a damaged file is an
 * {@link InvalidWeightsException} and never a crash. Tensors are memory-mapped one by one, so files over 2 GB
 * work (a single tensor must stay under 2 GB).
 */
public final class Safetensors {

    /** Headers beyond this are not safetensors files (the Rust library's limit is the same). */
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    public static StateDict read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw bad(file, "the file has " + size + " bytes, fewer than the 8 of the header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw bad(file, "the header length " + Long.toUnsignedString(headerLength) + " runs past the end "
                        + "of the " + size + "-byte file (or is not a header length at all)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            JsonNode json;
            try {
                json = PyJson.MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw bad(file, "the header is not valid JSON: " + e.getOriginalMessage());
            }
            if (!(json instanceof ObjectNode)) {
                throw bad(file, "the header is not a JSON object");
            }
            return parse(file, channel, (ObjectNode) json, 8 + headerLength, size - 8 - headerLength);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    private static StateDict parse(Path file, FileChannel channel, ObjectNode header, long dataStart, long dataSize)
            throws IOException {
        StateDict dict = new StateDict();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getKey().equals("__metadata__")) {
                field.getValue().fields().forEachRemaining(m -> dict.metadata().put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.add(entry(file, field.getKey(), field.getValue(), dataSize));
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < entries.size(); i++) {
            Entry prev = entries.get(i - 1);
            Entry cur = entries.get(i);
            if (cur.begin() < prev.end()) {
                throw bad(file, "tensors " + prev.name() + " [" + prev.begin() + ", " + prev.end() + ") and "
                        + cur.name() + " [" + cur.begin() + ", " + cur.end() + ") overlap");
            }
        }
        for (Entry e : entries) {
            // mapped read-only, as Python's safe_open does: no copy until a tensor becomes an array
            ByteBuffer data = e.end() == e.begin() ? ByteBuffer.allocate(0)
                    : channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin());
            dict.put(e.name(), new HostTensor(e.dtype(), e.shape(), data));
        }
        // keep the header's order of names, as Python's safe_open does
        StateDict ordered = new StateDict();
        ordered.metadata().putAll(dict.metadata());
        header.fieldNames().forEachRemaining(n -> {
            if (dict.contains(n)) {
                ordered.put(n, dict.get(n));
            }
        });
        return ordered;
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        DType dtype = DType.fromSafetensors(node.path("dtype").asText(""));
        if (dtype == null) {
            throw bad(file, "tensor " + name + " has dtype " + node.path("dtype") + "; expected one of "
                    + Arrays.toString(DType.values()));
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw bad(file, "tensor " + name + " needs a 'shape' list and 'data_offsets' [begin, end]");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                throw bad(file, "tensor " + name + " has a bad shape " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(file, "tensor " + name + " has data_offsets " + offsets + " outside the " + dataSize
                    + " bytes of data");
        }
        long expected;
        try {
            expected = Math.multiplyExact(HostTensor.numel(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw bad(file, "tensor " + name + " has an impossible shape " + shapeNode);
        }
        if (expected != end - begin) {
            throw bad(file, "tensor " + name + " is " + dtype + " " + shapeNode + ", which is " + expected
                    + " bytes, but its data_offsets give " + (end - begin));
        }
        if (end - begin > Integer.MAX_VALUE) {
            throw bad(file, "tensor " + name + " is over 2 GB, more than one Java buffer holds");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Writes {@code dict} to {@code file} atomically, with {@code __metadata__} (transformers needs format=pt). */
    public static void write(Path file, StateDict dict) {
        ObjectNode header = PyJson.MAPPER.createObjectNode();
        if (!dict.metadata().isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            dict.metadata().forEach(meta::put);
        }
        long offset = 0;
        List<String> names = new ArrayList<>(dict.names());
        names.sort(null);
        for (String name : names) {
            HostTensor t = dict.get(name);
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", t.dtype().name());
            var shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + t.data().remaining());
            offset += t.data().remaining();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // the data starts 8-aligned, as the Python writer does
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (String name : names) {
                writeBytes(out, dict.get(name).data());
            }
        });
    }

    private static void writeBytes(OutputStream out, ByteBuffer data) throws IOException {
        ByteBuffer src = data.duplicate();
        byte[] chunk = new byte[1 << 16];
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private static InvalidWeightsException bad(Path file, String what) {
        return new InvalidWeightsException(file + " is not a valid safetensors file: " + what);
    }
}
