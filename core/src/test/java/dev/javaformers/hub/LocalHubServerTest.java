package dev.javaformers.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.TestResources;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHubServerTest {

    @TempDir
    Path tmp;

    @Test
    void servesAFolderOfRepositoriesWithHubHeaders() throws Exception {
        Path root = tmp.resolve("models");
        TestResources.copy("hf-tiny/tiny-bert", root.resolve("org/tiny-bert"));
        TestResources.copy("hf-tiny/tiny-gpt2", root.resolve("tiny-gpt2"));
        try (LocalHubServer server = LocalHubServer.start()) {
            server.serveDirectory(root);
            HubOptions options = HubOptions.builder(java.util.Map.of()).optEndpoint(server.endpoint())
                    .optCacheDir(tmp.resolve("cache")).build();
            byte[] config = Files.readAllBytes(root.resolve("org/tiny-bert/config.json"));
            Metadata regular = Metadata.fetch(new HubHttp(options),
                    Hub.fileUrl(options, "org/tiny-bert", "main", "config.json"), "org/tiny-bert", "main",
                    "config.json", options);
            assertEquals(config.length, regular.size(), "HEAD states the size");
            assertEquals(HubFixture.gitSha1(config), regular.etag());
            assertEquals(server.repo("org/tiny-bert").commitHash(), regular.commit());

            byte[] weights = Files.readAllBytes(root.resolve("tiny-gpt2/model.safetensors"));
            Metadata lfs = Metadata.fetch(new HubHttp(options),
                    Hub.fileUrl(options, "tiny-gpt2", "main", "model.safetensors"), "tiny-gpt2", "main",
                    "model.safetensors", options);
            assertEquals(weights.length, lfs.size());
            assertEquals(HubFixture.sha256(weights), lfs.etag());
            assertTrue(lfs.location().toString().startsWith(server.cdnEndpoint() + "/cdn/"), lfs.location().toString());

            assertTrue(Files.exists(Hub.download("tiny-gpt2", "generation_config.json", options)));
        }
    }
}
