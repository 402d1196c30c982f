package dev.javaformers.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the fuzz targets share. Each target is a class of its own (Jazzer fuzzes one per JVM): {@code *FuzzTest},
 * one {@code @FuzzTest} method {@code fuzz}, its corpus in {@code <Class>Inputs/fuzz} beside it in the test
 * resources (seeds from scripts/reference/make_fuzz_seeds.py, and every input that once failed). The only outcomes
 * allowed are a result or the project's own exception for bad input naming the file:
 * {@link dev.javaformers.weights.InvalidWeightsException} for weights, {@link IllegalArgumentException} for
 * configs, tokenizers and datasets. Any other exception fails the input; a JVM crash or a hang fails the run.
 * {@code scripts/test} replays every corpus and fuzzes each target for a few seconds; {@code scripts/fuzz TARGET
 * SECONDS} fuzzes one longer.
 */
final class FuzzSupport {

    private FuzzSupport() {}

    /** A fresh folder per input, removed after it. */
    static void inFolder(Consumer<Path> body) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jf-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            body.accept(dir);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is no finding
            }
        }
    }

    static Path write(Path dir, String name, byte[] data) {
        try {
            return Files.write(dir.resolve(name), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code data} as the file {@code name} in a fresh folder, given to {@code read}: a result or a refusal. */
    static void readAs(byte[] data, String name, Class<? extends RuntimeException> allowed, Consumer<Path> read) {
        inFolder(dir -> {
            Path file = write(dir, name, data);
            expectResultOrRefusal(file, allowed, () -> read.accept(file));
        });
    }

    /** Runs {@code read}; a refusal must be {@code allowed} and name {@code file}. */
    static void expectResultOrRefusal(Path file, Class<? extends RuntimeException> allowed, Runnable read) {
        try {
            read.run();
        } catch (RuntimeException e) {
            if (!allowed.isInstance(e)) {
                throw e; // the finding: an exception no caller is told to expect
            }
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains(file.getFileName().toString()), "the message names the file: " + message);
        }
    }

    /** Every tensor of a state dict read into a native array and back: nothing may reach DJL unchecked. */
    static void touchAll(StateDict dict) {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, HostTensor> e : dict.tensors().entrySet()) {
                if (e.getValue().numel() <= 1 << 16) {
                    e.getValue().toNDArray(manager).close();
                }
            }
        }
    }

    /** An empty safetensors file: an 8-byte length and the header "{}". */
    static final byte[] EMPTY_SAFETENSORS = {2, 0, 0, 0, 0, 0, 0, 0, '{', '}'};

}
