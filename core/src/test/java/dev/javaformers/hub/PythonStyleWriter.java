package dev.javaformers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes into a Hub cache the way Python's huggingface_hub 0.16 {@code hf_hub_download} does, step by step: HEAD
 * for the commit and ETag, {@code refs/main}, the blob appended to {@code blobs/<etag>.incomplete} (resuming its
 * size with a Range request), renamed to {@code blobs/<etag>}, then the old snapshot link removed and a relative
 * link created. It takes Python's lock, flock(2), which Java cannot take, so it holds no lock our processes see.
 */
final class PythonStyleWriter {

    private PythonStyleWriter() {}

    /** Downloads {@code files} of {@code repoId} at main into {@code cache}; returns the commit. */
    static String download(String endpoint, Path cache, String repoId, List<String> files) throws IOException {
        Path repo = cache.resolve("models--" + repoId.replace("/", "--"));
        String commit = null;
        for (String file : files) {
            URI url = URI.create(endpoint + "/" + repoId + "/resolve/main/" + file);
            HttpURLConnection head = (HttpURLConnection) url.toURL().openConnection();
            head.setRequestMethod("HEAD");
            head.setInstanceFollowRedirects(false);
            commit = head.getHeaderField("X-Repo-Commit");
            String etag = head.getHeaderField("X-Linked-Etag") != null ? head.getHeaderField("X-Linked-Etag")
                    : head.getHeaderField("ETag");
            etag = etag.replace("\"", "").replace("W/", "");
            head.disconnect();
            Files.createDirectories(repo.resolve("refs"));
            Files.writeString(repo.resolve("refs/main"), commit);
            Path blob = Files.createDirectories(repo.resolve("blobs")).resolve(etag);
            Path pointer = Files.createDirectories(repo.resolve("snapshots").resolve(commit)).resolve(file);
            if (!Files.exists(blob)) {
                Path incomplete = blob.resolveSibling(etag + ".incomplete");
                long resume = Files.exists(incomplete) ? Files.size(incomplete) : 0;
                HttpURLConnection get = (HttpURLConnection) url.toURL().openConnection();
                if (resume > 0) {
                    get.setRequestProperty("Range", "bytes=" + resume + "-");
                }
                try (InputStream in = get.getInputStream(); OutputStream out = Files.newOutputStream(incomplete,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                    in.transferTo(out);
                }
                Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING); // os.replace
            }
            Files.deleteIfExists(pointer);
            try {
                Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // one of our processes made the same link between the remove and the link, which Python accepts too
            }
        }
        return commit;
    }
}
