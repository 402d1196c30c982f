package dev.javaformers.hub;

import dev.javaformers.TestResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A local Hub serving the hf-tiny models, a cache folder, and helpers to inspect both. */
final class HubFixture implements AutoCloseable {

    final LocalHubServer server = LocalHubServer.start();
    final Path cache;

    HubFixture(Path tmp) {
        this.cache = tmp.resolve("hub-cache");
        server.repo("org/tiny-bert").addDirectory(TestResources.path("hf-tiny/tiny-bert"));
        server.repo("tiny-gpt2").addDirectory(TestResources.path("hf-tiny/tiny-gpt2"));
    }

    /** Options for this server and cache, blind to the developer's own environment. */
    HubOptions.Builder options() {
        return options(Map.of());
    }

    HubOptions.Builder options(Map<String, String> env) {
        return HubOptions.builder(env).optEndpoint(server.endpoint()).optCacheDir(cache);
    }

    Path repoDir(String repoId) {
        return cache.resolve("models--" + repoId.replace("/", "--"));
    }

    List<LocalHubServer.Request> requests(String origin, String method) {
        return server.requests().stream().filter(r -> r.origin().equals(origin) && r.method().equals(method))
                .toList();
    }

    static byte[] resource(String path) {
        try {
            return Files.readAllBytes(TestResources.path(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** git's object id for a file: sha1 of "blob LENGTH\0" and the bytes. */
    static String gitSha1(byte[] bytes) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes());
        return HexFormat.of().formatHex(sha1.digest(bytes));
    }

    @Override
    public void close() {
        server.close();
    }
}
