package dev.javaformers.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.bert.BertConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloadTest {

    @TempDir
    Path tmp;
    HubFixture hub;

    @BeforeEach
    void start() {
        hub = new HubFixture(tmp);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void regularFileLandsInPythonsCacheLayout() throws Exception {
        byte[] expected = HubFixture.resource("hf-tiny/tiny-bert/config.json");
        String commit = hub.server.repo("org/tiny-bert").commitHash();
        Path file = Hub.download("org/tiny-bert", "config.json", hub.options().build());

        Path repo = hub.repoDir("org/tiny-bert");
        assertEquals(repo.resolve("snapshots").resolve(commit).resolve("config.json"), file);
        assertTrue(Files.isSymbolicLink(file));
        String etag = HubFixture.gitSha1(expected);
        assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(file));
        assertArrayEquals(expected, Files.readAllBytes(repo.resolve("blobs").resolve(etag)));
        assertEquals(commit, Files.readString(repo.resolve("refs/main")), "refs/main holds the commit, no newline");
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void lfsFileComesFromTheCdnAndTheTokenStaysWithTheHub() throws Exception {
        byte[] weights = HubFixture.resource("hf-tiny/tiny-bert/model.safetensors");
        Path file = Hub.download("org/tiny-bert", "model.safetensors",
                hub.options().optToken("hf_secret").build());
        assertEquals(Path.of("../../blobs/" + HubFixture.sha256(weights)), Files.readSymbolicLink(file));
        assertArrayEquals(weights, Files.readAllBytes(file));

        var cdnGets = hub.requests("cdn", "GET");
        assertEquals(1, cdnGets.size());
        assertNull(cdnGets.get(0).authorization(), "the token must not be sent to the CDN");
        assertEquals("Bearer hf_secret", hub.requests("hub", "HEAD").get(0).authorization());
    }

    @Test
    void cachedFileIsNotDownloadedAgain() {
        HubOptions options = hub.options().build();
        Path first = Hub.download("org/tiny-bert", "model.safetensors", options);
        Path second = Hub.download("org/tiny-bert", "model.safetensors", options);
        assertEquals(first, second);
        assertEquals(1, hub.requests("cdn", "GET").size());
        assertEquals(2, hub.requests("hub", "HEAD").size(), "a branch is checked against the Hub each time");

        String commit = hub.server.repo("org/tiny-bert").commitHash();
        int before = hub.server.requests().size();
        Hub.download("org/tiny-bert", "model.safetensors", options.withRevision(commit));
        assertEquals(before, hub.server.requests().size(), "a cached commit needs no request at all");

        Hub.download("org/tiny-bert", "model.safetensors", options.toBuilder().optForceDownload(true).build());
        assertEquals(2, hub.requests("cdn", "GET").size(), "force_download downloads again");
    }

    @Test
    void branchesTagsAndCommits() throws Exception {
        var repo = hub.server.repo("org/tiny-bert").tag("v1");
        String v1 = repo.commitHash();
        repo.file("config.json", "{\"model_type\": \"bert\", \"hidden_size\": 48, \"num_attention_heads\": 4}");
        String v2 = repo.commitHash();
        HubOptions options = hub.options().build();

        assertEquals(48, ((BertConfig) AutoConfig.fromPretrained("org/tiny-bert", Map.of(
                "endpoint", hub.server.endpoint(), "cache_dir", hub.cache.toString()))).hiddenSize);
        Path old = Hub.download("org/tiny-bert", "config.json", options.withRevision("v1"));
        assertTrue(old.toString().contains(v1));
        assertEquals(v1, Files.readString(hub.repoDir("org/tiny-bert").resolve("refs/v1")));
        assertEquals(v2, Files.readString(hub.repoDir("org/tiny-bert").resolve("refs/main")));
        assertEquals(32, ((BertConfig) AutoConfig.fromPretrained("org/tiny-bert", Map.of("revision", "v1",
                "endpoint", hub.server.endpoint(), "cache_dir", hub.cache.toString()))).hiddenSize);
        assertEquals(old, Hub.download("org/tiny-bert", "config.json", options.withRevision(v1)));
    }

    @Test
    void singleNameRepositoryAndRenamedRepository() throws Exception {
        Path gpt2 = Hub.download("tiny-gpt2", "config.json", hub.options().build());
        assertTrue(gpt2.startsWith(hub.cache.resolve("models--tiny-gpt2")));

        hub.server.rename("old-org/old-name", "org/tiny-bert");
        Path renamed = Hub.download("old-org/old-name", "config.json", hub.options().build());
        assertTrue(renamed.startsWith(hub.repoDir("old-org/old-name")), "cached under the name asked for");
        assertArrayEquals(HubFixture.resource("hf-tiny/tiny-bert/config.json"), Files.readAllBytes(renamed));
        assertTrue(hub.server.requests().stream().anyMatch(r -> r.path().startsWith("/org/tiny-bert/")),
                "the relative redirect was followed");
    }

    @Test
    void repositoryRevisionAndFileErrors() throws Exception {
        HubOptions options = hub.options().build();
        var repo = assertThrows(RepositoryNotFoundException.class,
                () -> Hub.download("org/no-such-model", "config.json", options));
        assertTrue(repo.getMessage().contains("org/no-such-model"), repo.getMessage());

        var rev = assertThrows(RevisionNotFoundException.class,
                () -> Hub.download("org/tiny-bert", "config.json", options.withRevision("v9")));
        assertTrue(rev.getMessage().contains("'v9'"), rev.getMessage());

        var entry = assertThrows(EntryNotFoundException.class,
                () -> Hub.download("org/tiny-bert", "tokenizer.json", options));
        assertTrue(entry.getMessage().contains("tokenizer.json"), entry.getMessage());
        String commit = hub.server.repo("org/tiny-bert").commitHash();
        Path marker = hub.repoDir("org/tiny-bert").resolve(".no_exist").resolve(commit).resolve("tokenizer.json");
        assertTrue(Files.isRegularFile(marker), "a .no_exist marker records the answer");
        var offline = assertThrows(EntryNotFoundException.class, () -> Hub.download("org/tiny-bert",
                "tokenizer.json", hub.options().optOffline(true).build()));
        assertTrue(offline.getMessage().contains("no file named tokenizer.json"), offline.getMessage());
        assertTrue(Hub.cachedFileIfExists("org/tiny-bert", "tokenizer.json", options).isEmpty());

        var transformersWords = assertThrows(RepositoryNotFoundException.class,
                () -> AutoConfig.fromPretrained("org/missing", Map.of("endpoint", hub.server.endpoint(),
                        "cache_dir", hub.cache.toString())));
        assertTrue(transformersWords.getMessage().contains("is not a local folder"), transformersWords.getMessage());
    }

    @Test
    void privateAndGatedRepositoriesNeedATokenThatMayReadThem() {
        hub.server.repo("org/private").file("config.json", "{\"model_type\": \"bert\"}").requireToken("hf_owner");
        hub.server.repo("org/gated").file("config.json", "{\"model_type\": \"bert\"}").gated("hf_granted");

        var anonymous = assertThrows(RepositoryNotFoundException.class,
                () -> Hub.download("org/private", "config.json", hub.options().build()));
        assertTrue(anonymous.getMessage().contains("HF_TOKEN"), anonymous.getMessage());
        assertTrue(anonymous.getMessage().contains("401"), anonymous.getMessage());
        Path viaEnv = Hub.download("org/private", "config.json", hub.options(Map.of("HF_TOKEN", "hf_owner")).build());
        assertTrue(Files.exists(viaEnv), "HF_TOKEN from the environment is sent");
        assertThrows(RepositoryNotFoundException.class, () -> Hub.download("org/private", "config.json",
                hub.options(Map.of("HF_TOKEN", "hf_owner")).optNoToken().optForceDownload(true).build()));

        var gated = assertThrows(GatedRepoException.class,
                () -> Hub.download("org/gated", "config.json", hub.options().build()));
        assertTrue(gated.getMessage().contains("gated") && gated.getMessage().contains("401"), gated.getMessage());
        var wrong = assertThrows(GatedRepoException.class,
                () -> Hub.download("org/gated", "config.json", hub.options().optToken("hf_other").build()));
        assertTrue(wrong.getMessage().contains("403"), wrong.getMessage());
        assertTrue(Files.exists(Hub.download("org/gated", "config.json",
                hub.options().optToken("hf_granted").build())));
    }

    @Test
    void offlineModeUsesOnlyTheCache() throws Exception {
        for (String variable : new String[] {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"}) {
            HubOptions offline = hub.options(Map.of(variable, "1")).build();
            var e = assertThrows(LocalEntryNotFoundException.class,
                    () -> Hub.download("org/tiny-bert", "config.json", offline));
            assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("not in the cache")
                    && e.getMessage().contains("offline"), e.getMessage());
        }
        assertEquals(0, hub.server.requests().size(), "offline mode sends nothing");
        var local = assertThrows(LocalEntryNotFoundException.class, () -> Hub.download("org/tiny-bert",
                "config.json", hub.options().optLocalFilesOnly(true).build()));
        assertTrue(local.getMessage().contains("local_files_only"), local.getMessage());

        Path online = Hub.download("org/tiny-bert", "config.json", hub.options().build());
        hub.server.close();
        assertEquals(online, Hub.download("org/tiny-bert", "config.json",
                hub.options(Map.of("HF_HUB_OFFLINE", "1")).build()));
        assertEquals(32, ((BertConfig) AutoConfig.fromPretrained("org/tiny-bert", Map.of("local_files_only", true,
                "cache_dir", hub.cache.toString()))).hiddenSize);
    }

    @Test
    void networkDownFallsBackToTheCacheOrSaysWhatIsMissing() {
        Path online = Hub.download("org/tiny-bert", "config.json", hub.options().build());
        String endpoint = hub.server.endpoint();
        hub.server.close(); // nothing listens there now
        HubOptions down = hub.options().optEndpoint(endpoint).build();
        assertEquals(online, Hub.download("org/tiny-bert", "config.json", down));
        var e = assertThrows(LocalEntryNotFoundException.class,
                () -> Hub.download("org/tiny-bert", "model.safetensors", down));
        assertTrue(e.getMessage().contains("Could not reach") && e.getMessage().contains("model.safetensors"),
                e.getMessage());
    }

    @Test
    void namesThatWouldLeaveTheCacheAreRefused() {
        HubOptions options = hub.options().build();
        for (String bad : new String[] {"../../etc/passwd", "/etc/passwd", "a/../../b", "a\\b", "dir/"}) {
            var e = assertThrows(HubException.class, () -> Hub.download("org/tiny-bert", bad, options));
            assertTrue(e.getMessage().contains("Refusing"), e.getMessage());
        }
        assertThrows(HubException.class, () -> Hub.download("../evil", "config.json", options));
        assertThrows(HubException.class, () -> Hub.download("org/tiny-bert", "config.json",
                options.withRevision("../../../x")));
        assertEquals(0, hub.server.requests().size(), "refused before any request");
    }

    @Test
    void proxiesCarryTheRequests() {
        // Nothing listens on 127.0.0.2:9, so the file can only arrive through the proxy.
        HubOptions viaProxy = hub.options().optEndpoint("http://127.0.0.2:9")
                .optProxy("http", hub.server.endpoint()).build();
        Path file = Hub.download("org/tiny-bert", "config.json", viaProxy);
        assertTrue(Files.exists(file));
        assertTrue(hub.server.requests().stream().allMatch(r -> r.path().startsWith("http://127.0.0.2:9/")),
                "the proxy received absolute URLs: " + hub.server.requests());
    }

    @Test
    void optionsReadTheEnvironmentAsPythonDoes() {
        HubOptions fromEnv = HubOptions.builder(Map.of("HF_HOME", "/data/hf", "HF_ENDPOINT", "http://mirror:8080/",
                "HF_TOKEN", "hf_x")).build();
        assertEquals(Path.of("/data/hf/hub"), fromEnv.cacheDir());
        assertEquals("http://mirror:8080", fromEnv.endpoint());
        assertEquals("hf_x", fromEnv.token());
        assertEquals(Path.of("/c"), HubOptions.builder(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h")).build()
                .cacheDir());
        assertEquals(HubOptions.DEFAULT_ENDPOINT, HubOptions.builder(Map.of()).build().endpoint());
        assertFalse(fromEnv.toString().contains("hf_x"), "the token is never printed");
        assertNotEquals(fromEnv.token(), HubOptions.builder(Map.of("HF_TOKEN", "hf_x")).optNoToken().build().token());
    }
}
