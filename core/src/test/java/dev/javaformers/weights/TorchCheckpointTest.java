package dev.javaformers.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.TestResources;
import dev.javaformers.hub.HubOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pytorch_model.bin files in torch.save's format (made by core/src/test/python/make_torch_checkpoints.py). */
class TorchCheckpointTest {

    @TempDir
    Path tmp;

    private static StateDict reference() {
        return Safetensors.read(TestResources.path("hf-tiny/tiny-bert/model.safetensors"));
    }

    private static void assertSameTensors(StateDict expected, StateDict actual) {
        assertEquals(new java.util.TreeSet<>(expected.names()), new java.util.TreeSet<>(actual.names()));
        for (String name : expected.names()) {
            assertEquals(expected.get(name).dtype(), actual.get(name).dtype(), name);
            assertArrayEquals(expected.get(name).shape(), actual.get(name).shape(), name);
            assertArrayEquals(expected.get(name).toFloatArray(), actual.get(name).toFloatArray(), name);
        }
    }

    @Test
    void readsTorchSaveIncludingStridedAndSharedStorages() {
        StateDict bin = Checkpoints.read(TestResources.path("hf-tiny/tiny-bert-bin/pytorch_model.bin"));
        assertSameTensors(reference(), bin);
    }

    @Test
    void readsShardedCheckpointsOfBothKinds() throws Exception {
        HubOptions offline = HubOptions.builder(Map.of()).optOffline(true).build();
        var sharded = Checkpoints.load(TestResources.path("hf-tiny/tiny-bert-bin-sharded").toString(), offline);
        assertTrue(sharded.source().endsWith(Checkpoints.PYTORCH_INDEX), sharded.source());
        assertSameTensors(reference(), sharded.stateDict());

        // the same tensors split into two safetensors shards and an index
        StateDict all = reference();
        StateDict first = new StateDict();
        StateDict second = new StateDict();
        StringBuilder map = new StringBuilder();
        int i = 0;
        for (String name : all.names()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(name, all.get(name));
            map.append(map.length() == 0 ? "" : ",").append('"').append(name).append("\":\"model-0000")
                    .append(one ? 1 : 2).append("-of-00002.safetensors\"");
        }
        Safetensors.write(tmp.resolve("model-00001-of-00002.safetensors"), first);
        Safetensors.write(tmp.resolve("model-00002-of-00002.safetensors"), second);
        Files.writeString(tmp.resolve(Checkpoints.SAFETENSORS_INDEX), "{\"metadata\":{},\"weight_map\":{" + map + "}}");
        assertSameTensors(all, Checkpoints.load(tmp.toString(), offline).stateDict());
    }

    private Path pickleFile(String name, byte[] pickle) throws Exception {
        Path file = tmp.resolve(name + ".bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return file;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertInvalid(Path file, String phrase) {
        var e = assertThrows(InvalidWeightsException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(phrase), e.getMessage());
    }

    @Test
    void refusesWhatIsNotAStateDict() throws Exception {
        // "cos\nsystem\n(S'echo pwned'\ntR." is the classic pickle that runs a shell command
        assertInvalid(pickleFile("os-system", ascii("\u0080\u0002cos\nsystem\nq\u0000X\u0004\u0000\u0000\u0000echo"
                + "\u0085R.")), "refusing pickle global os.system");
        assertInvalid(pickleFile("builtins", ascii("\u0080\u0002cbuiltins\neval\n.")), "builtins.eval");
        assertInvalid(pickleFile("opcode", new byte[] {(byte) 0x80, 2, (byte) 0xff}), "unknown pickle opcode 0xff");
        ByteArrayOutputStream truncated = new ByteArrayOutputStream();
        truncated.write(ascii("\u0080\u0002}q\u0000X\u00ff\u0000\u0000\u0000abc"));
        assertInvalid(pickleFile("truncated", truncated.toByteArray()), "truncated");
        assertInvalid(pickleFile("list", ascii("\u0080\u0002]q\u0000.")), "not a state dict");

        Path notZip = tmp.resolve("legacy.bin");
        Files.write(notZip, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertInvalid(notZip, "not a torch.save zip archive");

        byte[] real = Files.readAllBytes(TestResources.path("hf-tiny/tiny-bert-bin/pytorch_model.bin"));
        Path missingStorage = tmp.resolve("missing-storage.bin");
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(real));
                var out = new ZipOutputStream(Files.newOutputStream(missingStorage))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().equals("archive/data/1")) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(in.readAllBytes());
                    out.closeEntry();
                }
            }
        }
        assertInvalid(missingStorage, "archive/data/1");
    }
}
