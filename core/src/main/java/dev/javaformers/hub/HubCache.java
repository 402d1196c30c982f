package dev.javaformers.hub;

import dev.javaformers.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One repository's folder in the cache, laid out as huggingface_hub lays it out:
 * <pre>
 * models--org--name/
 *   blobs/&lt;etag&gt;                       the bytes, named by their ETag (git sha1, or sha256 for LFS files)
 *   refs/&lt;revision&gt;                    the commit hash a branch or tag pointed to when last asked
 *   snapshots/&lt;commit&gt;/&lt;file&gt;         a relative link to ../../blobs/&lt;etag&gt;
 *   .no_exist/&lt;commit&gt;/&lt;file&gt;         an empty marker: the Hub said this file does not exist
 * .locks/models--org--name/&lt;etag&gt;.lock   held while a blob is being downloaded
 * </pre>
 * Every name that comes from a user or a server is checked, so that no path leaves the cache.
 */
final class HubCache {

    static final Pattern COMMIT_HASH = Pattern.compile("^[0-9a-f]{40}$");
    private static final Pattern SAFE_NAME = Pattern.compile("^[A-Za-z0-9._+=@-]+$");

    private final Path cacheDir;
    private final String folderName;
    private final Path storage;

    HubCache(Path cacheDir, String repoId, String repoType) {
        this.cacheDir = cacheDir;
        this.folderName = repoFolderName(repoId, repoType);
        this.storage = cacheDir.resolve(folderName);
    }

    /** {@code models--org--name}, {@code datasets--org--name}: the folder huggingface_hub uses. */
    static String repoFolderName(String repoId, String repoType) {
        return repoType + "s--" + repoId.replace("/", "--");
    }

    Path storage() {
        return storage;
    }

    Path blob(String etag) {
        return storage.resolve("blobs").resolve(checkName(etag, "ETag"));
    }

    Path lock(String etag) {
        return cacheDir.resolve(".locks").resolve(folderName).resolve(checkName(etag, "ETag") + ".lock");
    }

    Path snapshot(String commit, String filename) {
        return inside(snapshotDir(commit), filename);
    }

    Path snapshotDir(String commit) {
        return storage.resolve("snapshots").resolve(checkName(commit, "commit hash"));
    }

    Path noExist(String commit, String filename) {
        return inside(storage.resolve(".no_exist").resolve(checkName(commit, "commit hash")), filename);
    }

    private Path ref(String revision) {
        return inside(storage.resolve("refs"), revision);
    }

    /** Refuses a revision or file name that could point outside this repository's folders. */
    void checkNames(String revision, String filename) {
        ref(revision);
        inside(storage, filename);
    }

    /** The commit a revision resolves to: itself when it is a commit hash, else what refs/ says, else null. */
    String commitFor(String revision) {
        if (COMMIT_HASH.matcher(revision).matches()) {
            return revision;
        }
        Path ref = ref(revision);
        try {
            return Files.isRegularFile(ref) ? Files.readString(ref).strip() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + ref, e);
        }
    }

    void writeRef(String revision, String commit) {
        if (!commit.equals(commitFor(revision))) {
            AtomicFiles.writeString(ref(revision), commit); // no newline, as Python writes it
        }
    }

    /** The cached file for a revision, if its snapshot entry exists. */
    Optional<Path> cachedFile(String revision, String filename) {
        String commit = commitFor(revision);
        if (commit == null) {
            return Optional.empty();
        }
        Path pointer = snapshot(commit, filename);
        return Files.exists(pointer) ? Optional.of(pointer) : Optional.empty();
    }

    /** True when an earlier answer from the Hub said the file does not exist at this revision. */
    boolean knownMissing(String revision, String filename) {
        String commit = commitFor(revision);
        return commit != null && Files.exists(noExist(commit, filename));
    }

    void markMissing(String commit, String filename) {
        Path marker = noExist(commit, filename);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException e) {
            // only a hint for offline runs; the caller still reports the missing file
        }
    }

    /**
     * Points {@code snapshots/<commit>/<file>} at the blob with a relative link, replacing any old entry in one
     * rename; where links are not allowed the blob is copied instead.
     */
    void link(Path blob, Path pointer) {
        try {
            Files.createDirectories(pointer.getParent());
            Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                Files.createSymbolicLink(tmp, pointer.getParent().relativize(blob));
            } catch (UnsupportedOperationException | FileSystemException e) {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            AtomicFiles.moveReplacing(tmp, pointer);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + pointer + " in the cache: " + e.getMessage(), e);
        }
    }

    /** A single safe path segment, as an ETag or commit hash must be. */
    static String checkName(String name, String what) {
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.startsWith(".") || name.length() > 128) {
            throw new HubException("Refusing " + what + " '" + name + "' from the Hub: it is not a plain name");
        }
        return name;
    }

    /**
     * {@code base/relative} for a relative path of plain segments ({@code a/b.json}); anything that could leave
     * {@code base} ({@code ..}, an absolute path, a backslash, an empty segment) is refused.
     */
    static Path inside(Path base, String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
                || relative.indexOf('\0') >= 0 || relative.contains("//") || relative.endsWith("/")) {
            throw new HubException("Refusing file name '" + relative + "': not a relative path inside a repository");
        }
        for (String segment : relative.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new HubException("Refusing file name '" + relative + "': it would leave the repository");
            }
        }
        Path resolved = base.resolve(relative).normalize();
        if (!resolved.startsWith(base.normalize())) {
            throw new HubException("Refusing file name '" + relative + "': it would leave " + base);
        }
        return resolved;
    }
}
