package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves killed with SIGKILL at random moments ({@link SaveLoop} in a child process, many rounds): every group of
 * files (model and tokenizer folder, config, CSV, JSON Lines, checkpoint-N) is afterwards the whole old version or
 * the whole new one, never a mix, and loads as that version.
 */
class CrashSafeSavesTest {

    private static final int KILLS = Integer.getInteger("javaformers.crashTest.kills", 6);
    private static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors");
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json");
    private static final List<String> CHECKPOINT_FILES = List.of("config.json", "model.safetensors",
            "tokenizer_config.json", "optimizer.safetensors", "trainer_state.json");

    @TempDir
    Path tmp;

    @Test
    void killedSavesLeaveTheOldVersionOrTheNewOne() throws Exception {
        Path cache = tmp.resolve("cache");
        try (PreTrainedTokenizer t = TrainFixtures.tokenizer(cache)) {
            t.size(); // the bundled tokenizer goes into the cache once, before the processes share it
        }
        Path refA = tmp.resolve("A");
        Path refB = tmp.resolve("B");
        Path root = tmp.resolve("saves");
        try (SaveLoop.Version a = new SaveLoop.Version(cache, root, "A");
                SaveLoop.Version b = new SaveLoop.Version(cache, root, "B")) {
            a.saveAll(refA);
            b.saveAll(refB);
            a.saveAll(root);
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        Random random = new Random(Long.getLong("javaformers.crashTest.seed", System.nanoTime()));
        int rounds = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process p = start(cache, root);
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch modelSave = new java.util.concurrent.CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = out.readLine(); l != null; l = out.readLine()) {
                        lines.add(l);
                        if (l.startsWith("saved ")) { // warmed up: the kill lands in one of the next rounds
                            warmedUp.countDown();
                        } else if (l.equals("saving model") && warmedUp.getCount() == 0) {
                            modelSave.countDown();
                        }
                    }
                } catch (java.io.IOException e) {
                    // the stream closes when the process is killed
                }
            });
            reader.start();
            assertTrue(warmedUp.await(60, TimeUnit.SECONDS) || !p.isAlive(), "the save loop started");
            if (kill % 2 == 0) {
                Thread.sleep(random.nextInt(500)); // anywhere in a round
            } else {
                // within the model and tokenizer saves, where the folder protocol's steps are
                assertTrue(modelSave.await(30, TimeUnit.SECONDS) || !p.isAlive(), "a round began");
                Thread.sleep(random.nextInt(120));
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);
            assertTrue(lines.contains("ready"), String.join("\n", lines));
            rounds += (int) lines.stream().filter(l -> l.startsWith("saved ")).count();
            assertTrue(lines.stream().noneMatch(l -> l.contains("Exception")), String.join("\n", lines));
            outcomes.merge(pendingState(root.resolve("model")), 1, Integer::sum);

            // before any recovery, a folder a reader can load from holds one version
            if (Files.exists(root.resolve("model/model.safetensors"))) {
                version(root.resolve("model"), MODEL_FILES, refA.resolve("model"), refB.resolve("model"));
            }
            if (Files.exists(root.resolve("model/tokenizer.json"))) {
                version(root.resolve("model"), TOKENIZER_FILES, refA.resolve("model"), refB.resolve("model"));
            }
            // loading recovers: afterwards each group is whole and loads as its version
            String modelVersion;
            try (PreTrainedModel<?> model = TrainFixtures.load(root.resolve("model"));
                    PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(root.resolve("model").toString())) {
                modelVersion = version(root.resolve("model"), MODEL_FILES, refA.resolve("model"),
                        refB.resolve("model"));
                assertEquals(modelVersion.equals("A") ? 0.1 : 0.2, ((Number) model.config().toDict()
                        .get("hidden_dropout_prob")).doubleValue(), "the loaded config is the saved version's");
                String tokenizerVersion = version(root.resolve("model"), TOKENIZER_FILES, refA.resolve("model"),
                        refB.resolve("model"));
                assertEquals(tokenizerVersion.equals("A") ? "right" : "left", tokenizer.paddingSide);
            }
            assertEquals(List.of(), hidden(root.resolve("model")), "recovery left no staging folder");
            AutoConfig.fromPretrained(root.resolve("config").toString());
            version(root.resolve("config"), List.of("config.json"), refA.resolve("config"), refB.resolve("config"));
            String csv = version(root, List.of("data.csv"), refA, refB);
            assertEquals(csv.equals("A") ? 20 : 30, Datasets.csv(root.resolve("data.csv")).numRows());
            String jsonl = version(root, List.of("data.jsonl"), refA, refB);
            assertEquals(jsonl.equals("A") ? 20 : 30, Datasets.jsonl(root.resolve("data.jsonl")).numRows());
            CheckpointIO.removeStaging(root.resolve("out"));
            List<Path> checkpoints = CheckpointIO.list(root.resolve("out"));
            assertEquals(List.of(root.resolve("out/checkpoint-2")), checkpoints, "checkpoint-2 is there, whole");
            version(checkpoints.get(0), CHECKPOINT_FILES, refA.resolve("out/checkpoint-2"),
                    refB.resolve("out/checkpoint-2"));
            assertEquals(List.of(), hidden(root.resolve("out")), "no staging folder left in output_dir");
        }
        System.out.printf("crash-safe saves: %d kills, %d rounds completed before them; model folder when killed: "
                + "%s%n", KILLS, rounds, outcomes);
    }

    private static Process start(Path cache, Path root) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djavaformers.save.delayMillis=10", "-Djavaformers.trainer.saveDelayMillis=10", "-cp",
                System.getProperty("java.class.path"), SaveLoop.class.getName(), cache.toString(), root.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HF_HUB_OFFLINE", "1");
        return pb.start();
    }

    /** "A" or "B": the version every one of {@code names} in {@code dir} is byte for byte; fails on a mix. */
    private static String version(Path dir, List<String> names, Path a, Path b) throws Exception {
        boolean isA = true;
        boolean isB = true;
        for (String name : names) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            isA &= Arrays.equals(bytes, Files.readAllBytes(a.resolve(name)));
            isB &= Arrays.equals(bytes, Files.readAllBytes(b.resolve(name)));
        }
        assertTrue(isA || isB, names + " in " + dir + " are neither all version A nor all version B");
        return isA ? "A" : "B";
    }

    /** What a kill left in the model folder: a committed save to finish, an uncommitted one, or none. */
    private static String pendingState(Path dir) throws Exception {
        List<String> hidden = hidden(dir);
        if (hidden.stream().anyMatch(n -> n.endsWith(".commit"))) {
            return "committed";
        }
        return hidden.isEmpty() ? "clean" : "staging";
    }

    private static List<String> hidden(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".jf-save-")
                    || n.startsWith(".checkpoint-")).sorted().toList();
        }
    }
}
