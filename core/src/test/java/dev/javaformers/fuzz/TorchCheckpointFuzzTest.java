package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.weights.InvalidWeightsException;
import dev.javaformers.weights.TorchCheckpoint;

/**
 * Fuzzes pytorch_model.bin: torch.save's zip layout and the pickle inside it (our unpickler); every tensor then
 * made a native array.
 */
class TorchCheckpointFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "pytorch_model.bin", InvalidWeightsException.class,
                file -> FuzzSupport.touchAll(TorchCheckpoint.read(file)));
    }
}
