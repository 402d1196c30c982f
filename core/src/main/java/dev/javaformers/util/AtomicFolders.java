package dev.javaformers.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Saves a group of files into a folder as one change (save_pretrained of a model or a tokenizer), so that a process
 * killed at any moment leaves the old group or the new one after {@link #recover}, never the config of one save
 * beside the weights of another. Other files in the folder are left alone.
 *
 * <p>The files are written to a hidden staging folder {@code .jf-save-<id>.tmp} inside the target, sorted into
 * {@code files/} and {@code keys/} (the files a loader cannot do without: weights, vocabularies), with the list of
 * old key files to remove. Renaming the staging folder to {@code .jf-save-<id>.commit} is the commit point. Then
 * the old key files are deleted first, so that while the other files are moved in, no reader finds a loadable
 * mix (Python's transformers included: it fails for want of weights), the list is deleted, and the new key files
 * are moved in last; the emptied folder is renamed {@code .jf-save-<id>.done} and deleted. {@link #recover},
 * which every load of a local folder runs, deletes uncommitted staging folders of dead processes and leftover
 * {@code .done} folders, and completes committed saves.
 */
public final class AtomicFolders {

    private static final String PREFIX = ".jf-save-";
    private static final String STAGING = ".tmp";
    private static final String COMMITTED = ".commit";
    private static final String DONE = ".done";
    /** Slows a save down between its steps, for the tests that kill a process in the middle of one. */
    private static final long TEST_DELAY_MS = Long.getLong("javaformers.save.delayMillis", 0);

    private AtomicFolders() {}

    /** The body of a save: writes the new files into the folder it is given. */
    @FunctionalInterface
    public interface Body {
        void write(Path staging) throws IOException;
    }

    /**
     * Runs {@code body} on a staging folder, then moves what it wrote into {@code dir} as one change. Existing files
     * whose names {@code isKey} accepts are removed (the new key files replace them); other existing files stay.
     */
    public static Path save(Path dir, Predicate<String> isKey, Body body) {
        Path staging = null;
        try {
            Files.createDirectories(dir);
            recover(dir);
            staging = dir.resolve(PREFIX + UUID.randomUUID() + STAGING);
            Files.createDirectory(staging);
            try (FileChannel lockChannel = FileChannel.open(staging.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockChannel.lock()) {
                Path files = Files.createDirectory(staging.resolve("files"));
                Path keys = Files.createDirectory(staging.resolve("keys"));
                body.write(files);
                pause();
                for (Path f : list(files)) {
                    if (Files.isDirectory(f)) {
                        throw new IllegalStateException("A folder save writes files only, not " + f.getFileName());
                    }
                    force(f);
                    if (isKey.test(f.getFileName().toString())) {
                        Files.move(f, keys.resolve(f.getFileName()));
                    }
                }
                List<String> oldKeys = new ArrayList<>();
                for (Path f : list(dir)) {
                    String name = f.getFileName().toString();
                    if (!name.startsWith(PREFIX) && Files.isRegularFile(f) && isKey.test(name)) {
                        oldKeys.add(name);
                    }
                }
                Files.write(staging.resolve("remove"), oldKeys);
                Path committed = dir.resolve(staging.getFileName().toString().replace(STAGING, COMMITTED));
                Files.move(staging, committed); // the commit point
                staging = null;
                pause();
                complete(committed, dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save into " + dir + ": " + e.getMessage(), e);
        } finally {
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    /**
     * Finishes or undoes saves into {@code dir} that a killed process left: committed ones are completed, staging
     * folders of processes that are gone are deleted. Waits for a save that another live process is making. Does
     * nothing (and writes nothing) in a folder without staging folders.
     */
    public static void recover(Path dir) {
        List<Path> pending;
        try {
            pending = Files.isDirectory(dir) ? list(dir).stream().filter(p -> isPending(p.getFileName().toString()))
                    .toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + dir + ": " + e.getMessage(), e);
        }
        for (Path p : pending) {
            if (p.getFileName().toString().endsWith(DONE)) {
                deleteTree(p); // a completed save whose folder a killed process did not finish deleting
                continue;
            }
            try {
                recoverOne(p, dir);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not finish the interrupted save " + p + ": " + e.getMessage(),
                        e);
            }
        }
    }

    private static boolean isPending(String name) {
        return name.startsWith(PREFIX) && (name.endsWith(STAGING) || name.endsWith(COMMITTED)
                || name.endsWith(DONE));
    }

    private static void recoverOne(Path pending, Path dir) throws IOException {
        String name = pending.getFileName().toString();
        // a staging folder may be renamed to its committed name at any moment; then that one is what to finish
        Path committed = name.endsWith(STAGING) ? pending.resolveSibling(name.replace(STAGING, COMMITTED)) : null;
        Path lockFile = pending.resolve("lock");
        if (!Files.exists(lockFile)) {
            if (Files.exists(pending)) {
                // a save creates the lock file right after the folder; an old folder without one is debris
                if (committed != null && olderThanAMinute(pending)) {
                    deleteTree(pending);
                }
            } else {
                finishCommitted(committed, dir);
            }
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = waitForLock(channel, pending);
            if (lock == null) {
                // gone while we waited: finished, or committed and now being completed by its owner
                finishCommitted(committed, dir);
                return;
            }
            try (lock) {
                if (committed == null) {
                    complete(pending, dir);
                } else {
                    deleteTree(pending);
                }
            }
        } catch (NoSuchFileException e) {
            // the owner moved or finished it between the check and the opening
            finishCommitted(committed, dir);
        }
    }

    /** The staging folder went: if it was committed rather than finished or dropped, completes that save. */
    private static void finishCommitted(Path committed, Path dir) throws IOException {
        if (committed != null && Files.exists(committed)) {
            recoverOne(committed, dir);
        }
    }

    /** The lock of a staging folder once its owner (a live process or thread) lets go; null if the folder went. */
    private static FileLock waitForLock(FileChannel channel, Path pending) throws IOException {
        while (Files.exists(pending)) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    if (Files.exists(pending)) {
                        return lock;
                    }
                    lock.release();
                    return null;
                }
            } catch (OverlappingFileLockException e) {
                // held by another thread of this process
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the save in " + pending, e);
            }
        }
        return null;
    }

    /** The steps after the commit point; each can be repeated, so recovery may run them again. */
    private static void complete(Path committed, Path dir) throws IOException {
        Path remove = committed.resolve("remove");
        if (Files.exists(remove)) {
            for (String old : Files.readAllLines(remove)) {
                if (!old.isEmpty()) {
                    Files.deleteIfExists(dir.resolve(old));
                }
            }
            moveAll(committed.resolve("files"), dir);
            Files.delete(remove);
        }
        pause();
        moveAll(committed.resolve("keys"), dir);
        // renamed before it is emptied, so that no recovery finds a half-deleted committed save
        Path done = committed.resolveSibling(committed.getFileName().toString().replace(COMMITTED, DONE));
        try {
            Files.move(committed, done);
        } catch (NoSuchFileException e) {
            return; // another recovery got here first
        }
        deleteTree(done);
    }

    private static void moveAll(Path from, Path dir) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        for (Path f : list(from)) {
            try {
                AtomicFiles.moveReplacing(f, dir.resolve(f.getFileName().toString()));
            } catch (NoSuchFileException e) {
                // moved already
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    private static void force(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // durability against power loss is best effort; a killed process is covered by the renames
        }
    }

    private static boolean olderThanAMinute(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 60_000;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        pauseForTests(TEST_DELAY_MS);
    }

    /** Sleeps {@code millis} (if above 0) between the steps of a save, so that a test can kill it there. */
    public static void pauseForTests(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes a folder and everything in it; a missing folder is fine. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (DirectoryNotEmptyException e) {
                    // something was added meanwhile; the next recovery takes it
                }
            }
        } catch (NoSuchFileException e) {
            // deleted meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
