package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training process killed in the middle of a save, or interrupted with Ctrl-C (SIGINT). */
class TrainerProcessTest {

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    static Path cache;
    static Path initial;

    @BeforeAll
    static void setUp() throws Exception {
        cache = shared.resolve("cache");
        try (PreTrainedTokenizer t = TrainFixtures.tokenizer(cache)) {
            t.size(); // writes the bundled tokenizer into the cache once, before the processes share it
        }
        initial = TrainFixtures.smallModel(shared.resolve("initial"), 7);
    }

    private Process start(Path out, String... jvmFlags) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainProcess.class.getName(),
                cache.toString(), initial.toString(), out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HF_HUB_OFFLINE", "1");
        return pb.start();
    }

    /** Reads the process's lines until one equals {@code line}; returns all read. */
    private static List<String> readUntil(Process p, String line) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String l = in.readLine(); l != null; l = in.readLine()) {
            lines.add(l);
            if (l.equals(line)) {
                return lines;
            }
        }
        throw new AssertionError("the process ended without printing '" + line + "': " + lines);
    }

    private static List<String> stagingFolders(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".checkpoint-")).toList();
        }
    }

    @Test
    void killedWhileSavingLeavesThePreviousCheckpointWholeAndResumable() throws Exception {
        Path out = tmp.resolve("killed");
        Process p = start(out, "-Djavaformers.trainer.saveDelayMillis=400");
        try {
            readUntil(p, "step 4"); // checkpoint-2 is complete; the save of step 4 is under way
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stagingFolders(out).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(stagingFolders(out).isEmpty(), "the save of checkpoint-4 was in progress");
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(20, TimeUnit.SECONDS);
        }
        List<Path> checkpoints = CheckpointIO.list(out);
        assertEquals(List.of("checkpoint-2"), checkpoints.stream().map(c -> c.getFileName().toString()).toList(),
                "the half-written checkpoint-4 is not taken for a checkpoint");
        Process resumed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TrainProcess.class.getName(), cache.toString(),
                initial.toString(), out.toString(), "last").redirectErrorStream(true).start();
        List<String> lines = readUntil(resumed, "done 12");
        assertTrue(resumed.waitFor(60, TimeUnit.SECONDS));
        assertEquals("step 3", lines.stream().filter(l -> l.startsWith("step ")).findFirst().orElse(""),
                "the run resumed after step 2: " + lines);
        assertTrue(stagingFolders(out).isEmpty(), "the resumed run cleared the killed save's leftovers");
        assertTrue(Files.exists(out.resolve("checkpoint-12/model.safetensors")));
    }

    /**
     * Whether this JVM was started with SIGINT ignored (a background job of a non-interactive shell is): its child
     * then inherits that, and no handler can be installed for Ctrl-C.
     */
    static boolean sigintIgnored() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        String line = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .orElse("SigIgn: 0");
        return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 1)) != 0; // bit 1: signal 2, SIGINT
    }

    @Test
    void ctrlCStopsAfterTheStepAndSaves() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored in this process (started "
                + "as a background job), so the child cannot receive Ctrl-C");
        Path out = tmp.resolve("interrupted");
        Process p = start(out, "-DslowSteps=true");
        List<String> lines = new ArrayList<>(readUntil(p, "step 3"));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        BufferedReader rest = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String l = rest.readLine(); l != null; l = rest.readLine()) {
            lines.add(l);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        String done = lines.stream().filter(l -> l.startsWith("done ")).findFirst().orElseThrow();
        int stoppedAt = Integer.parseInt(done.substring(5));
        assertTrue(stoppedAt < 12, "stopped early, at step " + stoppedAt);
        assertTrue(Files.exists(out.resolve("checkpoint-" + stoppedAt + "/trainer_state.json")),
                "a checkpoint of the step it stopped at: " + CheckpointIO.list(out));
    }
}
