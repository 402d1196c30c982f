package dev.javaformers.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubException;
import dev.javaformers.hub.HubOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * Fuzzes the Hub client's handling of what servers answer: the input is the raw bytes of successive HTTP responses
 * (status line, headers such as ETag, X-Repo-Commit, X-Linked-Etag, Location, Content-Length, Content-Range, and
 * body), separated by {@link #NEXT}, served in turn by a socket server on loopback to every request of one
 * {@code Hub.download}. Every request, whatever host a redirect names, goes through that server as the proxy, so
 * nothing leaves the machine. Allowed: a path inside the cache, or a {@link HubException} naming the repository or
 * file; nothing written outside the cache.
 */
class HubHeadersFuzzTest {

    static final String NEXT = "\n~next~\n";
    private static final RawServer SERVER = new RawServer();

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        SERVER.serve(split(data));
        // Jazzer flags every connection as possible request forgery; the proxy on loopback is the only one allowed
        try (var allowed = BugDetectors.allowNetworkConnections((host, port) -> port == SERVER.port()
                && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            download();
        }
    }

    private static void download() {
        FuzzSupport.inFolder(dir -> {
            Path cache = dir.resolve("cache");
            HubOptions options = HubOptions.builder(Map.of("HF_HUB_ETAG_TIMEOUT", "1", "HF_HUB_DOWNLOAD_TIMEOUT",
                    "1")).optEndpoint(SERVER.endpoint()).optCacheDir(cache).optProxy("http", SERVER.endpoint())
                    .optProxy("https", SERVER.endpoint()).build();
            try {
                Path file = Hub.download("org/model", "config.json", options);
                assertTrue(file.toAbsolutePath().normalize().startsWith(cache.toAbsolutePath()), file.toString());
                Files.readAllBytes(file);
            } catch (HubException e) {
                String message = String.valueOf(e.getMessage());
                assertTrue(message.contains("org/model") || message.contains("config.json")
                        || message.contains("Refusing"), "the message names what was asked: " + message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (Stream<Path> entries = Files.list(dir)) {
                List<Path> outside = entries.filter(p -> !p.equals(cache)).toList();
                assertEquals(List.of(), outside, "nothing is written beside the cache");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        String text = new String(data, StandardCharsets.ISO_8859_1); // one char per byte, both ways
        for (String part : text.split(NEXT, -1)) {
            out.add(part.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Answers each connection with the next response of the current input, raw, then closes it. */
    private static final class RawServer {
        private static final byte[] NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        private final ServerSocket socket;
        private volatile ConcurrentLinkedQueue<byte[]> responses = new ConcurrentLinkedQueue<>();

        RawServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread accept = new Thread(this::acceptLoop, "hub-fuzz-server");
            accept.setDaemon(true);
            accept.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + port();
        }

        int port() {
            return socket.getLocalPort();
        }

        void serve(List<byte[]> next) {
            responses = new ConcurrentLinkedQueue<>(next);
        }

        private void acceptLoop() {
            while (true) {
                try {
                    Socket s = socket.accept();
                    Thread t = new Thread(() -> answer(s, responses), "hub-fuzz-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private static void answer(Socket s, ConcurrentLinkedQueue<byte[]> queue) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(2000);
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                int b;
                while (request.size() < 65536 && (b = in.read()) >= 0) {
                    request.write(b);
                    String r = request.toString(StandardCharsets.ISO_8859_1);
                    if (r.endsWith("\r\n\r\n")) {
                        break;
                    }
                }
                byte[] response = queue.poll();
                out.write(response == null ? NOT_FOUND : response);
                out.flush();
            } catch (IOException e) {
                // the client hung up or timed out: that is its business
            }
        }
    }
}
