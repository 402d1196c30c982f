package dev.javaformers.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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

    /** Length-delimited bytes from a buffer (a tensor's raw data), without changing its position. */
    public ProtobufWriter bytes(int field, ByteBuffer value) {
        tag(field, 2);
        writeVarint(value.remaining());
        ByteBuffer copy = value.duplicate();
        byte[] chunk = new byte[Math.min(copy.remaining(), 1 << 16)];
        while (copy.hasRemaining()) {
            int n = Math.min(chunk.length, copy.remaining());
            copy.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
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
