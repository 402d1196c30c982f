package dev.javaformers.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.TestResources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @TempDir
    Path tmp;

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void readsTheFixtureWrittenByPython() {
        StateDict dict = Safetensors.read(TestResources.path("hf-tiny/tiny-bert/model.safetensors"));
        assertEquals("pt", dict.metadata().get("format"));
        assertEquals(39, dict.size());
        HostTensor words = dict.get("embeddings.word_embeddings.weight");
        assertEquals(DType.F32, words.dtype());
        assertArrayEquals(new long[] {100, 32}, words.shape());
    }

    @Test
    void roundTripsEveryDtypeWithMetadata() {
        StateDict dict = new StateDict();
        dict.put("f32", new HostTensor(DType.F32, new long[] {2, 2}, le(16).putFloat(1).putFloat(-2).putFloat(3.5f)
                .putFloat(0).flip()));
        dict.put("f16", new HostTensor(DType.F16, new long[] {2}, le(4).putShort((short) 0x3c00)
                .putShort((short) 0xc000).flip()));
        dict.put("bf16", new HostTensor(DType.BF16, new long[] {2}, le(4).putShort((short) 0x3f80)
                .putShort((short) 0xc020).flip()));
        dict.put("i64", new HostTensor(DType.I64, new long[] {3}, le(24).putLong(7).putLong(-1).putLong(1L << 40)
                .flip()));
        dict.put("scalar", new HostTensor(DType.F32, new long[] {}, le(4).putFloat(42).flip()));
        dict.metadata().put("format", "pt");
        Path file = tmp.resolve("all.safetensors");
        Safetensors.write(file, dict);

        StateDict back = Safetensors.read(file);
        assertEquals(dict.names(), back.names());
        assertEquals("pt", back.metadata().get("format"));
        for (String name : dict.names()) {
            assertEquals(dict.get(name).dtype(), back.get(name).dtype(), name);
            assertArrayEquals(dict.get(name).shape(), back.get(name).shape(), name);
            assertEquals(dict.get(name).data(), back.get(name).data(), name);
        }
        long headerLength = ByteBuffer.wrap(readBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "data starts 8-aligned");

        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray bf16 = back.get("bf16").toNDArray(manager);
            assertEquals(DataType.FLOAT32, bf16.getDataType(), "BF16 is widened to F32 before DJL sees it");
            assertArrayEquals(new float[] {1f, -2.5f}, bf16.toFloatArray());
            assertArrayEquals(new float[] {1f, -2f}, back.get("f16").toNDArray(manager)
                    .toType(DataType.FLOAT32, false).toFloatArray());
            assertArrayEquals(new long[] {7, -1, 1L << 40}, back.get("i64").toNDArray(manager).toLongArray());
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A file with the given header JSON and {@code dataBytes} bytes of data. */
    private Path crafted(String name, String header, int dataBytes) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = le(8 + json.length + dataBytes).putLong(json.length).put(json);
        Path file = tmp.resolve(name + ".safetensors");
        Files.write(file, out.array());
        return file;
    }

    private void assertInvalid(Path file, String phrase) {
        var e = assertThrows(InvalidWeightsException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(phrase), "says '" + phrase + "': " + e.getMessage());
    }

    @Test
    void damagedFilesGiveClearErrors() throws Exception {
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertInvalid(tiny, "fewer than the 8");

        Path pastEnd = tmp.resolve("past-end.safetensors");
        Files.write(pastEnd, le(16).putLong(1_000_000).putLong(0).array());
        assertInvalid(pastEnd, "runs past the end");

        byte[] whole = Files.readAllBytes(TestResources.path("hf-tiny/tiny-bert/model.safetensors"));
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 1000));
        assertInvalid(truncated, "outside the");

        String f32 = "\"dtype\":\"F32\",\"shape\":[2]";
        assertInvalid(crafted("overlap", "{\"a\":{" + f32 + ",\"data_offsets\":[0,8]},\"b\":{" + f32
                + ",\"data_offsets\":[4,12]}}", 12), "overlap");
        assertInvalid(crafted("outside", "{\"a\":{" + f32 + ",\"data_offsets\":[8,16]}}", 8), "outside the 8 bytes");
        assertInvalid(crafted("count", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "which is 12 bytes");
        assertInvalid(crafted("dtype", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[8],\"data_offsets\":[0,8]}}", 8),
                "dtype");
        assertInvalid(crafted("json", "{\"a\": [", 0), "not valid JSON");
        assertInvalid(crafted("huge", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],"
                + "\"data_offsets\":[0,8]}}", 8), "impossible shape");
    }
}
