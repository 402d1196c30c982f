package dev.javaformers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** DJL's PyTorch engine starts from the natives inside the jar, with DJL_OFFLINE set, and computes. */
class DjlOfflineTest {

    @Test
    void pytorchEngineRunsOfflineFromTheJar() {
        assertEquals("true", System.getenv("DJL_OFFLINE"), "the build sets DJL_OFFLINE for every test");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("2.7.1", engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray());
        }
    }
}
