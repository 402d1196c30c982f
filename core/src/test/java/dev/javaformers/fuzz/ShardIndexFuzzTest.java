package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.weights.Checkpoints;
import dev.javaformers.weights.InvalidWeightsException;
import java.nio.file.Path;

/** Fuzzes model.safetensors.index.json of a sharded checkpoint (the shards it names, the weight map). */
class ShardIndexFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.inFolder(dir -> {
            FuzzSupport.write(dir, "config.json", "{\"model_type\": \"bert\"}".getBytes());
            FuzzSupport.write(dir, "model-00001-of-00001.safetensors", FuzzSupport.EMPTY_SAFETENSORS);
            Path file = FuzzSupport.write(dir, "model.safetensors.index.json", data);
            FuzzSupport.expectResultOrRefusal(file, InvalidWeightsException.class, () -> {
                Checkpoints.Loaded loaded = Checkpoints.load(dir.toString(), HubOptions.defaults());
                FuzzSupport.touchAll(loaded.stateDict());
            });
        });
    }
}
