package dev.javaformers.hub;

import dev.javaformers.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes {@link BundledRepository} files into the cache as a snapshot, once, under a lock. */
final class BundledSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(BundledSnapshots.class);
    private static final List<BundledRepository> BUNDLED = ServiceLoader.load(BundledRepository.class).stream()
            .map(ServiceLoader.Provider::get).toList();

    private BundledSnapshots() {}

    private static Optional<BundledRepository> find(String repoId) {
        return BUNDLED.stream().filter(b -> b.repoId().equalsIgnoreCase(repoId)).findFirst();
    }

    /**
     * The bundled file for {@code repoId} at revision main, writing the snapshot first if needed; empty when
     * nothing is bundled for that repository and revision.
     */
    static Optional<Path> file(HubCache cache, Path lockDir, String repoId, String revision, String file) {
        Optional<BundledRepository> bundled = find(repoId);
        if (bundled.isEmpty() || !revision.equals(HubOptions.DEFAULT_REVISION)) {
            return Optional.empty();
        }
        String commit = commitOf(bundled.get());
        Path snapshot = cache.snapshotDir(commit);
        if (!Files.isDirectory(snapshot)) {
            try (BlobLock ignored = BlobLock.acquire(lockDir.resolve("bundled-" + commit + ".lock"))) {
                if (!Files.isDirectory(snapshot)) {
                    materialize(bundled.get(), cache, commit);
                }
            }
        }
        if (cache.commitFor(revision) == null) {
            cache.writeRef(revision, commit);
        }
        Path pointer = cache.snapshot(commit, file);
        if (!Files.exists(pointer)) {
            throw new EntryNotFoundException(repoId + " (bundled with Javaformers) has no file named " + file);
        }
        return Optional.of(pointer);
    }

    /**
     * Writes the files into blobs and links them from a temporary snapshot folder beside the final one, then
     * renames it into place: a snapshot folder that exists is always complete.
     */
    private static void materialize(BundledRepository bundled, HubCache cache, String commit) {
        LOG.info("Writing the bundled {} into the cache at {}", bundled.repoId(), cache.storage());
        Path work = null;
        Path staging = null;
        try {
            Files.createDirectories(cache.snapshotDir(commit).getParent());
            work = Files.createTempDirectory(cache.storage(), ".bundled-");
            staging = Files.createTempDirectory(cache.snapshotDir(commit).getParent(), ".staging-");
            bundled.write(work);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(work)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                String name = work.relativize(f).toString().replace('\\', '/');
                Path blob = cache.blob(Hub.sha256(f));
                Files.createDirectories(blob.getParent());
                AtomicFiles.moveReplacing(f, blob);
                cache.link(blob, HubCache.inside(staging, name));
            }
            Files.move(staging, cache.snapshotDir(commit), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            staging = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the bundled " + bundled.repoId() + " into "
                    + cache.storage() + ": " + e.getMessage(), e);
        } finally {
            deleteTree(work);
            deleteTree(staging);
        }
    }

    /** A stable 40-hex pseudo commit for the bundled content, so the snapshot looks like any other. */
    private static String commitOf(BundledRepository bundled) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(("javaformers-bundled:" + bundled.repoId()
                    + ":" + bundled.version()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // only a temporary folder
        }
    }
}
