package dev.javaformers.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ONNX graphs built byte by byte, as torch.onnx.export lays out a linear layer: MatMul, then Add of the bias. */
class OnnxImporterTest {

    /** A protobuf message writer, enough for ModelProto / GraphProto / NodeProto / TensorProto. */
    static final class Message {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Message varint(int field, long value) {
            key(field, 0);
            raw(value);
            return this;
        }

        Message bytes(int field, byte[] value) {
            key(field, 2);
            raw(value.length);
            out.writeBytes(value);
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Message message(int field, Message m) {
            return bytes(field, m.out.toByteArray());
        }

        private void key(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7fL) != 0) {
                out.write((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    static Message tensor(String name, long[] dims, float... values) {
        Message t = new Message();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return t.varint(2, 1).string(8, name).bytes(9, raw.array());
    }

    static Message node(String op, String[] inputs, String output) {
        Message n = new Message();
        for (String i : inputs) {
            n.string(1, i);
        }
        return n.string(2, output).string(4, op);
    }

    static byte[] model(boolean withAdd) {
        Message graph = new Message()
                .message(1, node("MatMul", new String[] {"x", "onnx::MatMul_7"}, "/dense/MatMul_output_0"))
                .message(5, tensor("onnx::MatMul_7", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
                .message(5, tensor("encoder.dense.bias", new long[] {3}, 0.5f, 0.25f, 0.125f))
                .message(5, tensor("embeddings.LayerNorm.weight", new long[] {2}, 1, 1));
        if (withAdd) {
            graph.message(1, node("Add", new String[] {"encoder.dense.bias", "/dense/MatMul_output_0"}, "y"));
        }
        return new Message().varint(1, 8).message(7, graph).out.toByteArray();
    }

    @Test
    void matMulWeightsGetTheirLayerNameAndAreTransposedBack() {
        StateDict dict = OnnxImporter.read(ByteBuffer.wrap(model(true)), "tiny.onnx");
        assertEquals(new java.util.TreeSet<>(java.util.List.of("encoder.dense.bias", "encoder.dense.weight",
                "embeddings.LayerNorm.weight")), new java.util.TreeSet<>(dict.names()));
        HostTensor weight = dict.get("encoder.dense.weight");
        assertArrayEquals(new long[] {3, 2}, weight.shape(), "torch's Linear layout [out, in]");
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, weight.toFloatArray());
    }

    @Test
    void damagedOrUnmappableGraphsGiveClearErrors() {
        var noAdd = assertThrows(InvalidWeightsException.class,
                () -> OnnxImporter.read(ByteBuffer.wrap(model(false)), "tiny.onnx"));
        assertTrue(noAdd.getMessage().contains("onnx::MatMul_7"), noAdd.getMessage());
        byte[] whole = model(true);
        var truncated = assertThrows(InvalidWeightsException.class,
                () -> OnnxImporter.read(ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 10)), "cut.onnx"));
        assertTrue(truncated.getMessage().contains("cut.onnx"), truncated.getMessage());
        var notOnnx = assertThrows(InvalidWeightsException.class, () -> OnnxImporter.read(
                ByteBuffer.wrap("{\"json\": true}".getBytes(StandardCharsets.UTF_8)), "config.json"));
        assertTrue(notOnnx.getMessage().contains("config.json"), notOnnx.getMessage());
    }
}
