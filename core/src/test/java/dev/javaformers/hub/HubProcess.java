package dev.javaformers.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@link HubCli} in a separate JVM, configured only through the environment, as a user would. */
final class HubProcess {

    private HubProcess() {}

    static Process download(HubFixture hub, String file) {
        return download(hub, hub.cache, file);
    }

    /** Downloads {@code files} of org/tiny-bert into {@code cache}. */
    static Process download(HubFixture hub, Path cache, String... files) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                HubCli.class.getName(), "download", "org/tiny-bert"));
        cmd.addAll(List.of(files));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.endsWith("_OFFLINE"));
        pb.environment().put("HF_ENDPOINT", hub.server.endpoint());
        pb.environment().put("HF_HUB_CACHE", cache.toString());
        pb.redirectErrorStream(true);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a successful exit and returns the last line printed: the downloaded path. */
    static String finish(Process process) throws Exception {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the download process finished in time");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.exitValue(), out);
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
