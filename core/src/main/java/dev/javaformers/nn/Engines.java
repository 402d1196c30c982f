package dev.javaformers.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** The one DJL engine Javaformers runs on (PyTorch, libtorch from the jar), named in this one place. */
public final class Engines {

    /** DJL's name for the engine. */
    public static final String NAME = "PyTorch";

    private Engines() {}

    public static Engine engine() {
        return Engine.getEngine(NAME);
    }

    /** A new root manager on {@code device}: a model's parameters live in one. */
    public static NDManager newManager(Device device) {
        return NDManager.newBaseManager(device, NAME);
    }

    /** Whether a CUDA device is there for the engine. */
    public static boolean hasGpu() {
        return engine().getGpuCount() > 0;
    }
}
