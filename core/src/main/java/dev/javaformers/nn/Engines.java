package dev.javaformers.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** The one DJL engine Javaformers runs on (PyTorch, libtorch from the jar), named in this one place. */
public final class Engines {

    /** DJL's name for the engine. */
    public static final String NAME = "PyTorch";

    /**
     * The glibc malloc setting for a JVM that runs libtorch, set by every launcher (the scripts, the Jupyter
     * kernel, the tests' JVMs): malloc asks for transparent huge pages. Every allocation past glibc's mmap
     * threshold (up to 32 MB: a word embedding's gradient, a language model's logits) is a fresh mapping whose
     * pages fault in one by one, 150 ms for 94 MB here; in 2 MB pages, 10 ms. A small GPT-2's training took five
     * times as long without it. Memory is still given back to the system. It works only from the start of the
     * process, and only where transparent huge pages are "always" or "madvise" (most Linux distributions).
     */
    public static final java.util.Map<String, String> MALLOC_ENVIRONMENT = java.util.Map.of("GLIBC_TUNABLES",
            "glibc.malloc.hugetlb=1");

    private static volatile boolean mallocHinted;

    private Engines() {}

    /**
     * Logs once, on Linux, when this process started without {@link #MALLOC_ENVIRONMENT}: how to set it. The
     * Trainer calls it; training is where the unmapped allocations cost most.
     */
    public static void hintMallocSettings() {
        if (mallocHinted || !System.getProperty("os.name", "").startsWith("Linux")) {
            return;
        }
        mallocHinted = true;
        java.util.List<String> missing = MALLOC_ENVIRONMENT.entrySet().stream()
                .filter(e -> !String.valueOf(System.getenv(e.getKey())).contains(e.getValue()))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        if (!missing.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(Engines.class).info("Training allocates and frees large tensors; "
                    + "started with `export {}`, glibc backs them with huge pages (a small GPT-2 trains up to five "
                    + "times as fast). The scripts and the Jupyter kernel set it.", String.join(" ", missing));
        }
    }

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
