package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.weights.InvalidWeightsException;
import dev.javaformers.weights.Safetensors;

/**
 * Fuzzes model.safetensors: the header's length, JSON, dtypes, shapes and offsets; every tensor then made a native
 * array.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "model.safetensors", InvalidWeightsException.class,
                file -> FuzzSupport.touchAll(Safetensors.read(file)));
    }
}
