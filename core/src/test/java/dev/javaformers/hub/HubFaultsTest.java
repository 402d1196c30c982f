package dev.javaformers.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads under faults: broken connections, corrupt bytes, two processes at once, a killed process. */
class HubFaultsTest {

    private static final String WEIGHTS = "model.safetensors";

    @TempDir
    Path tmp;
    HubFixture hub;
    byte[] weights;
    Path blob;

    @BeforeEach
    void start() throws Exception {
        hub = new HubFixture(tmp);
        weights = HubFixture.resource("hf-tiny/tiny-bert/" + WEIGHTS);
        blob = hub.repoDir("org/tiny-bert").resolve("blobs").resolve(HubFixture.sha256(weights));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void brokenTransferResumesWithARangeRequest() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        hub.server.addFilter(Faults.onCdnGet(() -> first.getAndSet(false), out -> Faults.cutAfter(out, 30_000)));
        Path file = Hub.download("org/tiny-bert", WEIGHTS, hub.options().build());
        assertArrayEquals(weights, Files.readAllBytes(file));
        var gets = hub.requests("cdn", "GET");
        assertEquals(2, gets.size(), "one broken transfer, one resumed");
        assertEquals("bytes=30000-", gets.get(1).range(), "the second request resumes where the first broke");
    }

    @Test
    void corruptBytesAreCaughtByTheSha256AndNothingIsKept() throws Exception {
        AtomicBoolean corrupt = new AtomicBoolean(true);
        hub.server.addFilter(Faults.onCdnGet(corrupt::get, out -> Faults.corruptAt(out, 1000)));
        var e = assertThrows(HubException.class, () -> Hub.download("org/tiny-bert", WEIGHTS, hub.options().build()));
        assertTrue(e.getMessage().contains("Checksum mismatch") && e.getMessage().contains(WEIGHTS), e.getMessage());
        assertFalse(Files.exists(blob));
        assertFalse(Files.exists(Hub.partialFile(blob)), "no partial to resume");
        assertEquals(List.of(), snapshotFiles(), "no snapshot entry points at a bad blob");

        corrupt.set(false);
        assertArrayEquals(weights, Files.readAllBytes(Hub.download("org/tiny-bert", WEIGHTS,
                hub.options().build())));
    }

    @Test
    void twoProcessesDownloadingOneFileFetchItOnce() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        hub.server.addFilter(Faults.onCdnGet(() -> true, out -> Faults.slow(out, 8192, 150)));
        hub.server.addFilter(new com.sun.net.httpserver.Filter() {
            @Override
            public void doFilter(com.sun.net.httpserver.HttpExchange ex, Chain chain) throws IOException {
                events.add(ex.getRequestMethod() + " start");
                chain.doFilter(ex);
                events.add(ex.getRequestMethod() + " end");
            }

            @Override
            public String description() {
                return "event log";
            }
        });
        Process a = HubProcess.download(hub, WEIGHTS);
        Process b = HubProcess.download(hub, WEIGHTS);
        String outA = HubProcess.finish(a);
        String outB = HubProcess.finish(b);
        assertEquals(outA, outB, "both processes return the same snapshot path");
        assertArrayEquals(weights, Files.readAllBytes(Path.of(outA)));
        assertEquals(1, hub.requests("cdn", "GET").size(), "the blob was downloaded once: " + events);
        int secondHead = nthIndex(events, "HEAD start", 2);
        int getEnd = events.indexOf("GET end");
        assertTrue(secondHead >= 0 && secondHead < getEnd,
                "the second process asked while the first was still downloading: " + events);
    }

    /**
     * Two of our processes and a writer that does what Python's huggingface_hub 0.16 does (append to
     * {@code blobs/<etag>.incomplete}, rename, remove and re-create the snapshot link) fill one cache at once.
     * Python locks with flock(2), which Java's file locks (fcntl) do not see, so the writer takes no lock we honour.
     */
    @Test
    void ourProcessesAndAPythonStyleWriterFillOneCacheAtOnce() throws Exception {
        byte[] config = HubFixture.resource("hf-tiny/tiny-bert/config.json");
        hub.server.addFilter(Faults.onCdnGet(() -> true, out -> Faults.slow(out, 8192, 20)));
        for (int round = 0; round < 3; round++) {
            Path cache = tmp.resolve("round-" + round);
            Process a = HubProcess.download(hub, cache, "config.json", WEIGHTS);
            Process b = HubProcess.download(hub, cache, WEIGHTS, "config.json");
            String commit = PythonStyleWriter.download(hub.server.endpoint(), cache, "org/tiny-bert",
                    List.of(WEIGHTS, "config.json"));
            HubProcess.finish(a);
            HubProcess.finish(b);
            Path repo = cache.resolve("models--org--tiny-bert");
            assertEquals(commit, Files.readString(repo.resolve("refs/main")));
            Path snapshot = repo.resolve("snapshots").resolve(commit);
            assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve(WEIGHTS)));
            assertArrayEquals(config, Files.readAllBytes(snapshot.resolve("config.json")));
            for (String file : List.of(WEIGHTS, "config.json")) {
                Path link = snapshot.resolve(file);
                assertTrue(Files.isSymbolicLink(link), file + " is a link");
                assertEquals(Path.of("../../blobs"), Files.readSymbolicLink(link).getParent());
            }
            try (Stream<Path> blobs = Files.list(repo.resolve("blobs"))) {
                for (Path blobFile : blobs.toList()) {
                    byte[] bytes = Files.readAllBytes(blobFile);
                    String name = blobFile.getFileName().toString();
                    assertTrue(name.equals(HubFixture.sha256(bytes)) || name.equals(HubFixture.gitSha1(bytes)),
                            "blob " + name + " holds the bytes its name promises, nothing else is left in blobs/");
                }
            }
        }
    }

    @Test
    void killedDownloadLeavesNothingThatLooksCompleteAndResumes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger cdnGets = new AtomicInteger();
        hub.server.addFilter(Faults.onCdnGet(() -> cdnGets.getAndIncrement() == 0,
                out -> Faults.stallAfter(out, 40_000, release)));
        Path incomplete = Hub.partialFile(blob);
        Process process = HubProcess.download(hub, WEIGHTS);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(incomplete) && Files.size(incomplete) == 40_000) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(40_000, Files.size(incomplete), "the process got the first 40,000 bytes");
        } finally {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
            process.waitFor(20, TimeUnit.SECONDS);
            release.countDown();
        }
        assertFalse(Files.exists(blob), "no blob under its final name");
        assertEquals(List.of(), snapshotFiles(), "no snapshot entry");

        Path file = Hub.download("org/tiny-bert", WEIGHTS, hub.options().build());
        assertArrayEquals(weights, Files.readAllBytes(file));
        var gets = hub.requests("cdn", "GET");
        assertEquals("bytes=40000-", gets.get(gets.size() - 1).range(), "the next run resumed the partial file");
        assertFalse(Files.exists(incomplete));
    }

    @Test
    void headersThatWouldLeaveTheCacheAreRefused() throws Exception {
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String[][] answers = {{"../../../../escaped", "\"abc\""}, {"0123456789abcdef0123456789abcdef01234567",
            "\"../../../escaped\""}};
        AtomicInteger call = new AtomicInteger();
        evil.createContext("/", ex -> {
            String[] answer = answers[Math.min(call.getAndIncrement(), answers.length - 1)];
            ex.getResponseHeaders().set("X-Repo-Commit", answer[0]);
            ex.getResponseHeaders().set("ETag", answer[1]);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        evil.start();
        try {
            HubOptions options = hub.options().optEndpoint("http://127.0.0.1:" + evil.getAddress().getPort())
                    .build();
            for (String what : new String[] {"commit hash", "ETag"}) {
                var e = assertThrows(HubException.class, () -> Hub.download("org/x", "config.json", options));
                assertTrue(e.getMessage().contains("Refusing " + what), e.getMessage());
            }
        } finally {
            evil.stop(0);
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains("escaped")));
        }
    }

    private List<Path> snapshotFiles() throws IOException {
        Path snapshots = hub.repoDir("org/tiny-bert").resolve("snapshots");
        if (!Files.exists(snapshots)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(snapshots)) {
            return walk.filter(p -> !Files.isDirectory(p)).toList();
        }
    }

    private static int nthIndex(List<String> list, String value, int n) {
        for (int i = 0, seen = 0; i < list.size(); i++) {
            if (list.get(i).equals(value) && ++seen == n) {
                return i;
            }
        }
        return -1;
    }
}
