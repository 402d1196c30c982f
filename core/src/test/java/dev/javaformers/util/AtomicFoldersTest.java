package dev.javaformers.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder save protocol on real files; the states a killed process leaves are laid out by hand here, and made
 * by real kills in {@code CrashSafeSavesTest}.
 */
class AtomicFoldersTest {

    private static final Predicate<String> WEIGHTS = n -> n.endsWith(".safetensors") || n.endsWith(".bin");

    @TempDir
    Path dir;

    @Test
    void aSaveReplacesItsFilesAndEveryOldKeyFileAndKeepsTheRest() throws Exception {
        Files.writeString(dir.resolve("README.md"), "mine");
        Files.writeString(dir.resolve("config.json"), "old config");
        Files.writeString(dir.resolve("model-00001-of-00002.safetensors"), "old shard");
        Files.writeString(dir.resolve("pytorch_model.bin"), "old torch weights");
        Files.createDirectory(dir.resolve("checkpoint-10"));
        AtomicFolders.save(dir, WEIGHTS, staging -> {
            Files.writeString(staging.resolve("config.json"), "new config");
            Files.writeString(staging.resolve("model.safetensors"), "new weights");
        });
        assertEquals(List.of("README.md", "checkpoint-10", "config.json", "model.safetensors"), names(dir));
        assertEquals("new config", Files.readString(dir.resolve("config.json")));
        assertEquals("new weights", Files.readString(dir.resolve("model.safetensors")));
        assertEquals("mine", Files.readString(dir.resolve("README.md")));
    }

    @Test
    void aFailedSaveLeavesTheOldFilesAndNoDebris() throws Exception {
        Files.writeString(dir.resolve("config.json"), "old config");
        assertThrows(UncheckedIOException.class, () -> AtomicFolders.save(dir, WEIGHTS, staging -> {
            Files.writeString(staging.resolve("config.json"), "new config");
            throw new IOException("disk full");
        }));
        assertEquals(List.of("config.json"), names(dir));
        assertEquals("old config", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void recoveryCompletesACommittedSaveWhoseProcessDied() throws Exception {
        Files.writeString(dir.resolve("config.json"), "old config");
        Files.writeString(dir.resolve("model.safetensors"), "old weights");
        Files.writeString(dir.resolve("pytorch_model.bin"), "old torch weights");
        // killed after moving config.json in: the old key files are already gone, the new weights not yet there
        Path committed = Files.createDirectory(dir.resolve(".jf-save-1234.commit"));
        Files.createFile(committed.resolve("lock"));
        Files.createDirectories(committed.resolve("files"));
        Files.writeString(committed.resolve("files/tokenizer_config.json"), "new tokenizer config");
        Files.writeString(committed.resolve("remove"), "model.safetensors\npytorch_model.bin\n");
        Files.delete(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), "new config");
        Files.writeString(Files.createDirectories(committed.resolve("keys")).resolve("model.safetensors"),
                "new weights");
        AtomicFolders.recover(dir);
        assertEquals(List.of("config.json", "model.safetensors", "tokenizer_config.json"), names(dir));
        assertEquals("new weights", Files.readString(dir.resolve("model.safetensors")));
        assertEquals("new tokenizer config", Files.readString(dir.resolve("tokenizer_config.json")));

        // killed while moving the key files in: only the rest of them is moved, nothing is deleted again
        Path later = Files.createDirectories(dir.resolve(".jf-save-5678.commit/keys"));
        Files.createFile(later.resolveSibling("lock"));
        Files.writeString(later.resolve("vocab.txt"), "new vocabulary");
        AtomicFolders.recover(dir);
        assertEquals(List.of("config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"), names(dir));
        assertEquals("new weights", Files.readString(dir.resolve("model.safetensors")));
    }

    @Test
    void recoveryDeletesUncommittedSavesOfDeadProcessesOnly() throws Exception {
        Files.writeString(dir.resolve("config.json"), "old config");
        Path dead = Files.createDirectories(dir.resolve(".jf-save-dead.tmp/files"));
        Files.createFile(dead.resolveSibling("lock"));
        Files.writeString(dead.resolve("config.json"), "half");
        Path starting = Files.createDirectory(dir.resolve(".jf-save-starting.tmp")); // no lock file yet
        AtomicFolders.recover(dir);
        assertFalse(Files.exists(dead.getParent()));
        assertTrue(Files.exists(starting), "a folder just created by a save that is starting is left to it");
        assertEquals("old config", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void recoveryWaitsForASaveThatIsStillRunning() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        Thread saver = new Thread(() -> AtomicFolders.save(dir, WEIGHTS, staging -> {
            Files.writeString(staging.resolve("model.safetensors"), "new weights");
            writing.countDown();
            sleep(300);
        }));
        saver.start();
        writing.await();
        AtomicFolders.recover(dir);
        assertEquals("new weights", Files.readString(dir.resolve("model.safetensors")),
                "recovery returned once the save was in place, not during it");
        saver.join();
        assertEquals(List.of("model.safetensors"), names(dir));
    }

    @Test
    void aSaveHoldingTheLockIsWaitedFor() throws Exception {
        Path committed = Files.createDirectories(dir.resolve(".jf-save-live.commit/keys"));
        Files.writeString(committed.resolve("model.safetensors"), "new weights");
        // this process holds the lock the way a live saver does; a second thread cannot take it meanwhile
        try (FileChannel channel = FileChannel.open(committed.resolveSibling("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var lock = channel.lock()) {
            Thread recovering = new Thread(() -> AtomicFolders.recover(dir));
            recovering.start();
            recovering.join(300);
            assertTrue(recovering.isAlive(), "recovery waits while the owner holds the lock");
            lock.release();
            recovering.join(5_000);
            assertFalse(recovering.isAlive());
        }
        assertEquals(List.of("model.safetensors"), names(dir));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
