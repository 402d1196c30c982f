package dev.javaformers.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a repository at a revision, as huggingface_hub's {@code list_repo_files}: from the Hub's API
 * ({@code /api/{models|datasets}/{repo}/revision/{rev}}, the {@code siblings} list), or, offline or when the Hub
 * cannot be reached, from the cached snapshot (which may hold only some of the files).
 */
final class RepoFiles {

    private RepoFiles() {}

    static List<String> list(String repoId, HubOptions options) {
        Hub.checkRepoId(repoId);
        HubCache cache = new HubCache(options.cacheDir(), repoId, options.repoType());
        String revision = options.revision();
        if (!options.offline() && !options.localFilesOnly()) {
            String url = options.endpoint() + "/api/" + options.repoType() + "s/" + repoId + "/revision/"
                    + Hub.quote(revision, false);
            try {
                HubHttp.Answer answer = new HubHttp(options).fetch(URI.create(url).toURL());
                if (answer.status() == 200) {
                    JsonNode info = PyJson.MAPPER.readTree(answer.body());
                    List<String> files = new ArrayList<>();
                    info.path("siblings").forEach(s -> files.add(s.path("rfilename").asText()));
                    return files;
                }
                String code = answer.connection().getHeaderField("X-Error-Code");
                if ("RevisionNotFound".equals(code)) {
                    throw new RevisionNotFoundException("Revision not found: '" + revision + "' of " + repoId);
                }
                if (answer.status() == 401 || answer.status() == 404 || "RepoNotFound".equals(code)) {
                    throw new RepositoryNotFoundException("Repository not found: " + options.repoType() + " "
                            + repoId + " (" + answer.status() + " for " + url + ")");
                }
            } catch (IOException e) {
                // unreachable: fall through to the cache
            }
        }
        String commit = cache.commitFor(revision);
        Path snapshot = commit == null ? null : cache.snapshotDir(commit);
        if (snapshot == null || !Files.isDirectory(snapshot)) {
            throw new LocalEntryNotFoundException("Cannot list the files of " + options.repoType() + " " + repoId
                    + ": the Hub was not asked or could not be reached, and nothing of it is cached in "
                    + cache.storage(), null);
        }
        try (Stream<Path> walk = Files.walk(snapshot)) {
            return walk.filter(p -> !Files.isDirectory(p)).map(p -> snapshot.relativize(p).toString()
                    .replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
