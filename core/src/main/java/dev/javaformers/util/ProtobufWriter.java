package dev.javaformers.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The writing half of {@link Protobuf}: a message built field by field (varints, strings, nested messages, packed
 * integers, raw bytes), enough to write an ONNX model. A nested message is built as its own writer and then
 * added, since protobuf puts its length before it.
 */
public final class ProtobufWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtobufWriter varint(int field, long value) {
        tag(field, 0);
        writeVarint(value);
        return this;
    }

    public ProtobufWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    public ProtobufWriter bytes(int field, byte[] value) {
        tag(field, 2);
        writeVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    public ProtobufWriter message(int field, ProtobufWriter message) {
        tag(field, 2);
        writeVarint(message.out.size());
        message.writeTo(out);
        return this;
    }

    /** A 32-bit float field (wire type 5). */
    public ProtobufWriter fixed32(int field, float value) {
        tag(field, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    /** Repeated integers, packed into one length-delimited field. */
    public ProtobufWriter packed(int field, long[] values) {
        ProtobufWriter body = new ProtobufWriter();
        for (long v : values) {
            body.writeVarint(v);
        }
        tag(field, 2);
        writeVarint(body.out.size());
        body.writeTo(out);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public void writeTo(OutputStream target) {
        try {
            out.writeTo(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes a field's tag and a length take before a length-delimited body of {@code length} bytes. */
    public static int headerSize(int field, long length) {
        return varintSize((long) field << 3) + varintSize(length);
    }

    /** Writes a length-delimited field's tag and length to {@code out}; its {@code length} bytes follow. */
    public static void writeHeader(OutputStream out, int field, long length) throws IOException {
        ProtobufWriter header = new ProtobufWriter();
        header.tag(field, 2);
        header.writeVarint(length);
        header.out.writeTo(out);
    }

    private static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private void tag(int field, int wireType) {
        writeVarint(((long) field << 3) | wireType);
    }

    /** Negative values take ten bytes, as int64 fields do in protobuf. */
    private void writeVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
