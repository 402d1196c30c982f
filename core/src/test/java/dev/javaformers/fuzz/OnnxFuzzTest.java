package dev.javaformers.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.weights.InvalidWeightsException;
import dev.javaformers.weights.OnnxImporter;

/**
 * Fuzzes model.onnx: our protobuf reader and the ONNX importer's initializers; every tensor then made a native
 * array.
 */
class OnnxFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        FuzzSupport.readAs(data, "model.onnx", InvalidWeightsException.class,
                file -> FuzzSupport.touchAll(OnnxImporter.read(file)));
    }
}
