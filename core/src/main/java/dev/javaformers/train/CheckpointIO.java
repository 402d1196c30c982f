package dev.javaformers.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.AtomicFolders;
import dev.javaformers.util.PyJson;
import dev.javaformers.weights.Checkpoints;
import dev.javaformers.weights.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints as transformers lays them out: {@code output_dir/checkpoint-N/} with the model
 * ({@code config.json}, {@code model.safetensors}), the tokenizer files, {@code optimizer.safetensors},
 * {@code scheduler.json}, {@code rng_state.json}, {@code training_args.json} and {@code trainer_state.json}.
 * A checkpoint is written in a hidden folder and renamed into place, so a killed process never leaves a
 * half-written {@code checkpoint-N}.
 */
final class CheckpointIO {

    static final String PREFIX = "checkpoint-";
    private static final Pattern NAME = Pattern.compile("^checkpoint-(\\d+)$");
    /** Slows writing down, for the tests that kill a process in the middle of a save. */
    private static final long TEST_DELAY_MS = Long.getLong("javaformers.trainer.saveDelayMillis", 0);

    private CheckpointIO() {}

    static Path save(Path outputDir, PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, AdamW optimizer,
            TrainerState state, TrainingArguments args, ObjectNode scheduler) {
        Path target = outputDir.resolve(PREFIX + state.globalStep);
        Path staging = outputDir.resolve("." + PREFIX + state.globalStep + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(staging);
            model.save(staging);
            if (tokenizer != null) {
                tokenizer.save(staging);
            }
            pause();
            Safetensors.write(staging.resolve("optimizer.safetensors"), optimizer.stateDict());
            PyJson.writeFile(staging.resolve("scheduler.json"), scheduler, true);
            ObjectNode rng = PyJson.MAPPER.createObjectNode().put("seed", args.seed).put("global_step",
                    state.globalStep).put("note", "dropout is re-seeded from (seed, step) at every step");
            PyJson.writeFile(staging.resolve("rng_state.json"), rng, true);
            PyJson.writeFile(staging.resolve("training_args.json"), args.toJson(), true);
            state.save(staging.resolve("trainer_state.json"));
            pause();
            Path replaced = null;
            if (Files.exists(target)) {
                // renamed aside, not deleted in place: a kill must not leave a half-deleted checkpoint-N
                replaced = outputDir.resolve("." + PREFIX + state.globalStep + "." + UUID.randomUUID() + ".old");
                Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(replaced);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save the checkpoint " + target + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
        }
    }

    private static void pause() {
        AtomicFolders.pauseForTests(TEST_DELAY_MS);
    }

    /**
     * Tidies what a killed save left: hidden staging folders ({@code .checkpoint-N.*.tmp}) are deleted, and a
     * checkpoint renamed aside to be replaced ({@code .checkpoint-N.*.old}) goes back if its successor never came.
     */
    static void removeStaging(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(outputDir)) {
            for (Path p : dirs.filter(p -> p.getFileName().toString().startsWith("." + PREFIX)).toList()) {
                String name = p.getFileName().toString();
                Path target = outputDir.resolve(name.substring(1, name.indexOf('.', 1)));
                if (name.endsWith(".old") && !Files.exists(target)) {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                } else if (name.endsWith(".tmp") || name.endsWith(".old")) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Complete checkpoints in {@code outputDir}, oldest first. */
    static List<Path> list(Path outputDir) {
        if (!Files.isDirectory(outputDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(outputDir)) {
            return dirs.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)
                    && Files.exists(p.resolve("trainer_state.json")))
                    .sorted(Comparator.comparingLong(CheckpointIO::step)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long step(Path checkpoint) {
        Matcher m = NAME.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Deletes the oldest checkpoints beyond {@code limit}, never the best one. */
    static void rotate(Path outputDir, Integer limit, String best) {
        if (limit == null || limit <= 0) {
            return;
        }
        List<Path> all = new ArrayList<>(list(outputDir));
        int excess = all.size() - limit;
        for (Path p : all) {
            if (excess <= 0) {
                break;
            }
            if (best != null && p.toAbsolutePath().normalize().equals(Path.of(best).toAbsolutePath().normalize())) {
                continue;
            }
            deleteTree(p);
            excess--;
        }
    }

    /** Loads the model weights of a checkpoint into {@code model}. */
    static void loadModel(Path checkpoint, PreTrainedModel<?> model) {
        model.loadStateDict(Checkpoints.read(checkpoint.resolve(Checkpoints.SAFETENSORS)), checkpoint.toString(),
                false);
    }

    static void deleteTree(Path dir) {
        AtomicFolders.deleteTree(dir);
    }
}
