package dev.javaformers.spark;

import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.SparkFiles;

/**
 * The pipelines of one executor JVM: loaded on first use and kept for the JVM's life, one per task running at the
 * same time (a model's forward pass is not shared between threads), so that a model is read once per executor
 * slot, not once per partition or row.
 */
final class ExecutorPipelines {

    private static final Map<String, Queue<Pipeline>> IDLE = new ConcurrentHashMap<>();

    private ExecutorPipelines() {}

    /** An idle pipeline of {@code task} on {@code model} with {@code options}, loading one if none is idle. */
    static Pipeline borrow(String task, String model, Map<String, Object> options) {
        Pipeline idle = IDLE.computeIfAbsent(key(task, model, options), k -> new ConcurrentLinkedQueue<>()).poll();
        return idle != null ? idle : Pipelines.pipeline(task, resolve(model), options);
    }

    /** Gives a pipeline back for the next task of this JVM. */
    static void giveBack(String task, String model, Map<String, Object> options, Pipeline pipeline) {
        IDLE.computeIfAbsent(key(task, model, options), k -> new ConcurrentLinkedQueue<>()).add(pipeline);
    }

    /** How many pipelines of a kind this JVM has idle (for tests: loaded once per slot, given back each batch). */
    static int idle(String task, String model, Map<String, Object> options) {
        Queue<Pipeline> idle = IDLE.get(key(task, model, options));
        return idle == null ? 0 : idle.size();
    }

    /**
     * Where the executor finds {@code model}: a folder it can read (a shared path), a folder shipped to it with
     * {@link JavaformersSpark#ship} or {@code --files} (by its name), else a Hub name, read from the executor's
     * Hub cache.
     */
    static String resolve(String model) {
        if (Files.isDirectory(Path.of(model))) {
            return model;
        }
        try {
            Path shipped = Path.of(SparkFiles.get(model));
            if (Files.isDirectory(shipped)) {
                return shipped.toString();
            }
        } catch (RuntimeException notInSpark) {
            // no SparkEnv (a plain JVM): the name is a Hub name
        }
        return model;
    }

    private static String key(String task, String model, Map<String, Object> options) {
        return task + "\u0000" + model + "\u0000" + new java.util.TreeMap<>(options);
    }
}
