package dev.javaformers.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import dev.javaformers.models.bert.BertConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a cache laid out the way Python's huggingface_hub writes it (hf_hub_download and snapshot_download,
 * versions 0.14 and later), so that files Python downloaded are used without a request.
 */
class PythonCacheTest {

    private static final String REPO = "google-bert/bert-base-uncased";
    private static final String COMMIT = "86b5e0934494bd15c9632b12f734a8a67f723594";

    @TempDir
    Path hfHome;
    byte[] config;
    byte[] weights;
    byte[] pooling;

    /**
     * What Python leaves after downloading config.json, model.safetensors and 1_Pooling/config.json, and being
     * told by the Hub that tokenizer.json does not exist:
     * <pre>
     * hub/models--google-bert--bert-base-uncased/
     *   blobs/{git sha1 of config.json}  blobs/{sha256 of model.safetensors}  blobs/{git sha1 of pooling config}
     *   refs/main                        the commit, no trailing newline
     *   snapshots/{commit}/config.json -> ../../blobs/{sha1}
     *   snapshots/{commit}/model.safetensors -> ../../blobs/{sha256}
     *   snapshots/{commit}/1_Pooling/config.json -> ../../../blobs/{sha1}
     *   .no_exist/{commit}/tokenizer.json   empty
     * hub/.locks/models--google-bert--bert-base-uncased/   left behind, empty
     * </pre>
     */
    @BeforeEach
    void writeCacheAsPythonDoes() throws Exception {
        config = HubFixture.resource("hf-tiny/tiny-bert/config.json");
        weights = HubFixture.resource("hf-tiny/tiny-bert/model.safetensors");
        pooling = "{\n  \"word_embedding_dimension\": 32,\n  \"pooling_mode_mean_tokens\": true\n}".getBytes();
        Path repo = hfHome.resolve("hub/models--google-bert--bert-base-uncased");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT).resolve("1_Pooling"))
                .getParent();
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));
        Files.createDirectories(hfHome.resolve("hub/.locks/models--google-bert--bert-base-uncased"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        blob(repo, HubFixture.gitSha1(config), config, snapshot.resolve("config.json"), "../../blobs/");
        blob(repo, HubFixture.sha256(weights), weights, snapshot.resolve("model.safetensors"), "../../blobs/");
        blob(repo, HubFixture.gitSha1(pooling), pooling, snapshot.resolve("1_Pooling/config.json"), "../../../blobs/");
        Files.createFile(repo.resolve(".no_exist").resolve(COMMIT).resolve("tokenizer.json"));
    }

    private static void blob(Path repo, String etag, byte[] bytes, Path pointer, String up) throws Exception {
        Files.write(repo.resolve("blobs").resolve(etag), bytes);
        Files.createSymbolicLink(pointer, Path.of(up + etag));
    }

    private HubOptions.Builder offline() {
        return HubOptions.builder(Map.of("HF_HOME", hfHome.toString(), "HF_HUB_OFFLINE", "1"));
    }

    @Test
    void filesPythonDownloadedAreFoundOffline() throws Exception {
        HubOptions options = offline().build();
        assertArrayEquals(config, Files.readAllBytes(Hub.download(REPO, "config.json", options)));
        assertArrayEquals(weights, Files.readAllBytes(Hub.download(REPO, "model.safetensors", options)));
        assertArrayEquals(pooling, Files.readAllBytes(Hub.download(REPO, "1_Pooling/config.json", options)));
        assertArrayEquals(pooling, Files.readAllBytes(Hub.download(REPO, "config.json",
                offline().optSubfolder("1_Pooling").build())));
        assertArrayEquals(config, Files.readAllBytes(Hub.download(REPO, "config.json", options.withRevision(COMMIT))));
    }

    @Test
    void pythonsNoExistMarkersAreHonoured() {
        HubOptions options = offline().build();
        assertTrue(Hub.cachedFileIfExists(REPO, "tokenizer.json", options).isEmpty());
        var e = assertThrows(EntryNotFoundException.class, () -> Hub.download(REPO, "tokenizer.json", options));
        assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
        var unknown = assertThrows(LocalEntryNotFoundException.class, () -> Hub.download(REPO, "vocab.txt", options));
        assertTrue(unknown.getMessage().contains("vocab.txt"), unknown.getMessage());
        assertTrue(Hub.cachedFileIfExists(REPO, "vocab.txt", options).isEmpty(), "optional files are skipped offline");
    }

    @Test
    void autoConfigReadsFromPythonsCache() {
        BertConfig config = (BertConfig) AutoConfig.fromPretrained(REPO, Map.of(
                "cache_dir", hfHome.resolve("hub").toString(), "local_files_only", true));
        assertEquals(32, config.hiddenSize);
    }

    @Test
    void unreachableHubFallsBackToPythonsCache() throws Exception {
        HubOptions down = HubOptions.builder(Map.of("HF_HOME", hfHome.toString()))
                .optEndpoint("http://127.0.0.1:9").build(); // the discard port: nothing listens
        assertArrayEquals(config, Files.readAllBytes(Hub.download(REPO, "config.json", down)));
    }
}
