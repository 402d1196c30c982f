package dev.javaformers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches files from a Hub into the shared cache, as Python's {@code hf_hub_download} does, and resolves
 * {@code "org/name"}, {@code "name"} or a local folder to a file, as transformers' {@code cached_file} does.
 *
 * <pre>{@code
 * Path config = Hub.download("bert-base-cased", "config.json");
 * Path weights = Hub.cachedFile("./my-model", "model.safetensors", HubOptions.defaults());
 * }</pre>
 */
public final class Hub {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);
    private static final Pattern REPO_ID = Pattern.compile("^(?:[\\w.-]+/)?[\\w.-]+$");
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final int MAX_ATTEMPTS = 5;

    private Hub() {}

    /** {@link #download(String, String, HubOptions)} with the default options. */
    public static Path download(String repoId, String filename) {
        return download(repoId, filename, HubOptions.defaults());
    }

    /**
     * Returns the path of {@code filename} from repository {@code repoId} in the cache, downloading it first
     * unless the cache already holds the version the Hub points to. Offline, or when the Hub cannot be reached,
     * the cached version is used. The returned path is {@code snapshots/<commit>/<filename>}.
     */
    public static Path download(String repoId, String filename, HubOptions options) {
        checkRepoId(repoId);
        String file = options.subfolder() == null ? filename : options.subfolder() + "/" + filename;
        HubCache cache = new HubCache(options.cacheDir(), repoId, options.repoType());
        String revision = options.revision();
        cache.checkNames(revision, file); // refuse an unsafe name before any request

        if (HubCache.COMMIT_HASH.matcher(revision).matches() && !options.forceDownload()) {
            Optional<Path> cached = cache.cachedFile(revision, file);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        if (options.offline() || options.localFilesOnly()) {
            return fromCacheOnly(cache, repoId, revision, file, options, null);
        }

        Metadata meta;
        try {
            meta = Metadata.fetch(new HubHttp(options), fileUrl(options, repoId, revision, file), repoId, revision,
                    file, options);
        } catch (HubUnreachable e) {
            return fromCacheOnly(cache, repoId, revision, file, options, e);
        } catch (EntryNotFoundWithCommit e) {
            cache.markMissing(e.commit, file);
            if (!revision.equals(e.commit)) {
                cache.writeRef(revision, e.commit);
            }
            throw e.error;
        }

        if (!revision.equals(meta.commit())) {
            cache.writeRef(revision, meta.commit());
        }
        Path pointer = cache.snapshot(meta.commit(), file);
        Path blob = cache.blob(meta.etag());
        if (!options.forceDownload() && Files.exists(pointer)) {
            return pointer;
        }
        if (options.forceDownload() || !Files.exists(blob)) {
            try (BlobLock ignored = BlobLock.acquire(cache.lock(meta.etag()))) {
                // another process may have finished this blob while we waited for the lock
                if (options.forceDownload() || !Files.exists(blob)) {
                    fetchBlob(new HubHttp(options), meta, blob, repoId + "/" + file);
                }
            }
        }
        cache.link(blob, pointer);
        return pointer;
    }

    /**
     * transformers' {@code cached_file}: {@code nameOrPath} is a local folder or a repository id; the file must
     * exist. Errors say, in transformers' words, what was looked for and where.
     */
    public static Path cachedFile(String nameOrPath, String filename, HubOptions options) {
        return resolve(nameOrPath, filename, options, true).orElseThrow();
    }

    /** Like {@link #cachedFile}, but a file that the repository or folder does not have gives empty. */
    public static Optional<Path> cachedFileIfExists(String nameOrPath, String filename, HubOptions options) {
        return resolve(nameOrPath, filename, options, false);
    }

    /** The files of a repository at {@code options.revision()} (huggingface_hub's {@code list_repo_files}). */
    public static List<String> listFiles(String repoId, HubOptions options) {
        return RepoFiles.list(repoId, options);
    }

    private static Optional<Path> resolve(String nameOrPath, String filename, HubOptions options, boolean required) {
        String file = options.subfolder() == null ? filename : options.subfolder() + "/" + filename;
        Path local = Path.of(nameOrPath);
        if (Files.isDirectory(local)) {
            // a save into this folder that a killed process left half-done is completed (or undone) first
            dev.javaformers.util.AtomicFolders.recover(local.resolve(file).getParent());
            Path candidate = local.resolve(file);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
            if (required) {
                throw new EntryNotFoundException(nameOrPath + " does not appear to have a file named " + file
                        + " (looked for " + candidate.toAbsolutePath() + ").");
            }
            return Optional.empty();
        }
        if (!REPO_ID.matcher(nameOrPath).matches() || nameOrPath.contains("..") || nameOrPath.contains("--")) {
            throw new HubException("'" + nameOrPath + "' is not a local folder (" + local.toAbsolutePath()
                    + " does not exist) and not a repository id of the form 'name' or 'org/name'.");
        }
        try {
            return Optional.of(download(nameOrPath, filename, options));
        } catch (GatedRepoException e) {
            throw e;
        } catch (RepositoryNotFoundException e) {
            throw new RepositoryNotFoundException("'" + nameOrPath + "' is not a local folder and is not a valid "
                    + "model identifier on " + options.endpoint() + ". If it is a private repository, pass a token "
                    + "that may read it (token option or HF_TOKEN). " + e.getMessage());
        } catch (EntryNotFoundException e) {
            if (!required) {
                return Optional.empty();
            }
            throw new EntryNotFoundException(nameOrPath + " does not appear to have a file named " + file
                    + ". See " + options.endpoint() + "/" + nameOrPath + "/tree/" + options.revision()
                    + " for the files it has.");
        } catch (LocalEntryNotFoundException e) {
            if (!required && (options.offline() || options.localFilesOnly())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Path fromCacheOnly(HubCache cache, String repoId, String revision, String file,
            HubOptions options, HubUnreachable cause) {
        if (!options.forceDownload()) {
            Optional<Path> cached = cache.cachedFile(revision, file);
            if (cached.isPresent()) {
                if (cause != null) {
                    LOG.warn("Could not reach {} ({}); using the cached {}", options.endpoint(),
                            cause.getMessage(), cached.get());
                }
                return cached.get();
            }
        }
        Optional<Path> bundled = BundledSnapshots.file(cache, options.cacheDir().resolve(".locks"), repoId, revision,
                file);
        if (bundled.isPresent()) {
            return bundled.get();
        }
        if (cache.knownMissing(revision, file)) {
            throw new EntryNotFoundException(repoId + " has no file named " + file + " at revision " + revision
                    + " (as the Hub said earlier; the answer is cached in " + cache.storage().resolve(".no_exist")
                    + ").");
        }
        String where = repoId + "/" + file + " (revision " + revision + ") is not in the cache at "
                + cache.storage();
        if (cause != null) {
            throw new LocalEntryNotFoundException("Could not reach the Hub at " + options.endpoint() + " ("
                    + cause.getMessage() + ") and " + where + ". Check the network connection, HF_ENDPOINT and "
                    + "the proxies, or download the file once while online.", cause);
        }
        String mode = options.localFilesOnly() ? "local_files_only is set"
                : "offline mode is on (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE)";
        throw new LocalEntryNotFoundException(where + ", and " + mode + " so the Hub was not asked. Download it "
                + "once while online, or turn offline mode off.", null);
    }

    /**
     * Downloads to {@code <blob>.javaformers.incomplete}, resuming what is there, checks size and sha256, then
     * renames. Not Python's {@code <blob>.incomplete}: Python locks with flock(2), which Java's file locks (fcntl)
     * do not exclude, so a Python process downloading the same blob at the same time must not share our file.
     */
    private static void fetchBlob(HubHttp http, Metadata meta, Path blob, String what) {
        Path incomplete = partialFile(blob);
        try {
            Files.createDirectories(blob.getParent());
            IOException lastError = null;
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
                if (meta.size() >= 0 && have > meta.size()) {
                    Files.delete(incomplete);
                    have = 0;
                }
                if (meta.size() >= 0 && have == meta.size() && Files.exists(incomplete)) {
                    break; // complete; an empty file is fetched too, so that there is a file to check and rename
                }
                try {
                    transfer(http, meta.location(), incomplete, have);
                    lastError = null;
                } catch (HubException e) {
                    throw new HubException("Download of " + what + " failed: " + e.getMessage(), e);
                } catch (IOException e) {
                    lastError = e;
                    LOG.warn("Download of {} broke off ({}); resuming, attempt {} of {}", what, e.getMessage(),
                            attempt + 1, MAX_ATTEMPTS);
                    sleepBeforeRetry(attempt);
                    continue;
                }
                if (meta.size() < 0 || Files.size(incomplete) == meta.size()) {
                    break;
                }
            }
            long got = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (lastError != null || (meta.size() >= 0 && got != meta.size())) {
                throw new HubException("Download of " + what + " failed: got " + got + " of "
                        + (meta.size() >= 0 ? meta.size() : "an unknown number of") + " bytes after " + MAX_ATTEMPTS
                        + " attempts" + (got > 0 ? "; the partial file " + incomplete + " is kept to resume from."
                        : ".") + (lastError == null ? "" : " Last error: " + lastError.getMessage()), lastError);
            }
            if (SHA256.matcher(meta.etag()).matches()) {
                String actual = sha256(incomplete);
                if (!actual.equals(meta.etag())) {
                    Files.delete(incomplete);
                    throw new HubException("Checksum mismatch for " + what + ": the downloaded bytes have sha256 "
                            + actual + " but the Hub's ETag says " + meta.etag()
                            + ". The corrupt download was discarded; try again.");
                }
            }
            dev.javaformers.util.AtomicFiles.moveReplacing(incomplete, blob);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store " + what + " in " + blob.getParent() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where a download of {@code blob} collects its bytes until they are checked. */
    static Path partialFile(Path blob) {
        return blob.resolveSibling(blob.getFileName() + ".javaformers.incomplete");
    }

    private static void transfer(HubHttp http, URL url, Path incomplete, long from) throws IOException {
        HttpURLConnection c = http.get(url, from);
        try {
            boolean resumed = from > 0 && c.getResponseCode() == 206;
            if (resumed) {
                String range = c.getHeaderField("Content-Range");
                if (range == null || !range.startsWith("bytes " + from + "-")) {
                    throw new IOException("server resumed at '" + range + "', expected byte " + from);
                }
            }
            StandardOpenOption mode = resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, mode,
                            StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
        } finally {
            c.disconnect();
        }
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep(100L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("Interrupted while downloading", e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void checkRepoId(String repoId) {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("..") || repoId.contains("--")
                || repoId.length() > 96 || repoId.startsWith(".") || repoId.startsWith("-")) {
            throw new HubException("Repository id must be 'name' or 'org/name' (letters, digits, '-', '_', '.'; "
                    + "no '--' or '..'; at most 96 characters), got '" + repoId + "'");
        }
    }

    /** {@code {endpoint}/[datasets/]{repo}/resolve/{revision}/{file}}, quoted as huggingface_hub quotes it. */
    static URL fileUrl(HubOptions options, String repoId, String revision, String file) {
        String prefix = switch (options.repoType()) {
            case "dataset" -> "datasets/";
            case "space" -> "spaces/";
            default -> "";
        };
        String url = options.endpoint() + "/" + prefix + repoId + "/resolve/" + quote(revision, false) + "/"
                + quote(file, true);
        try {
            return URI.create(url).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new HubException("Bad Hub URL " + url + " (check HF_ENDPOINT): " + e.getMessage(), e);
        }
    }

    /** Percent-encodes all but unreserved characters (and '/' when {@code keepSlash}), as Python's quote. */
    static String quote(String s, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0
                    || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** The Hub could not be asked: the network failed, or it answered with a server error. */
    static final class HubUnreachable extends Exception {
        private static final long serialVersionUID = 1L;

        HubUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The Hub said the file is missing and named the commit, so that the answer can be cached. */
    static final class EntryNotFoundWithCommit extends Exception {
        private static final long serialVersionUID = 1L;
        final String commit;
        final EntryNotFoundException error;

        EntryNotFoundWithCommit(String commit, EntryNotFoundException error) {
            super(error.getMessage());
            this.commit = commit;
            this.error = error;
        }
    }
}
