package dev.javaformers.hub;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A small Hub on loopback that answers {@code /resolve/} requests the way huggingface.co does: ETags and
 * {@code X-Repo-Commit}, LFS files redirected to a separate CDN origin, {@code Range} requests, renamed
 * repositories, private and gated repositories, and the Hub's {@code X-Error-Code} errors. Tests use it, and
 * {@code HubCli serve} uses it to serve a folder of models to machines without internet.
 *
 * <pre>{@code
 * try (LocalHubServer hub = LocalHubServer.start()) {
 *     hub.repo("org/tiny-bert").addDirectory(Path.of("tiny-bert"));
 *     Path config = Hub.download("org/tiny-bert", "config.json",
 *             HubOptions.builder().optEndpoint(hub.endpoint()).build());
 * }
 * }</pre>
 */
public final class LocalHubServer implements AutoCloseable {

    private static final Pattern RESOLVE = Pattern.compile("^/(?:(datasets|spaces)/)?(.+?)/resolve/([^/]+)/(.+)$");
    private static final Set<String> LFS_EXTENSIONS = Set.of("safetensors", "bin", "onnx", "h5", "msgpack", "pt",
            "pth", "ckpt", "ot", "parquet", "arrow", "gz", "zip", "tar", "model", "npz");
    private static final long LFS_MIN_SIZE = 10L << 20;

    private final HttpServer hub;
    private final HttpServer cdn;
    private final HttpContext hubContext;
    private final HttpContext cdnContext;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-hub");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lfsBlobs = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    /** One request as the server saw it, for tests that check what the client sent. */
    public record Request(String origin, String method, String path, String range, String authorization) {}

    private LocalHubServer(int port) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        hub = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        cdn = HttpServer.create(new InetSocketAddress(loopback, 0), 64);
        hubContext = hub.createContext("/", this::handleHub);
        cdnContext = cdn.createContext("/", this::handleCdn);
        hub.setExecutor(executor);
        cdn.setExecutor(executor);
        hub.start();
        cdn.start();
    }

    /** Starts on a free loopback port. */
    public static LocalHubServer start() {
        return start(0);
    }

    /** Starts on the given loopback port (0 for any free one). */
    public static LocalHubServer start(int port) {
        try {
            return new LocalHubServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the local Hub on port " + port, e);
        }
    }

    /** The URL to use as {@code HF_ENDPOINT}. */
    public String endpoint() {
        return "http://" + hub.getAddress().getAddress().getHostAddress() + ":" + hub.getAddress().getPort();
    }

    /** The CDN's origin, where LFS downloads are redirected. */
    public String cdnEndpoint() {
        return "http://" + cdn.getAddress().getAddress().getHostAddress() + ":" + cdn.getAddress().getPort();
    }

    /** The model repository {@code repoId}, created empty if new. */
    public Repo repo(String repoId) {
        return repo("model", repoId);
    }

    /** A repository of type {@code model}, {@code dataset} or {@code space}. */
    public Repo repo(String repoType, String repoId) {
        return repos.computeIfAbsent(repoType + ":" + repoId, k -> new Repo());
    }

    /** Makes {@code oldId} redirect to {@code newId}, as the Hub does after a repository is renamed. */
    public void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    /** Serves every folder under {@code root} that holds files as a repository named by its relative path. */
    public void serveDirectory(Path root) {
        try (Stream<Path> dirs = Files.walk(root, 2)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                boolean hasFiles;
                try (Stream<Path> children = Files.list(dir)) {
                    hasFiles = children.anyMatch(Files::isRegularFile);
                }
                if (hasFiles && !dir.equals(root)) {
                    repo(root.relativize(dir).toString().replace('\\', '/')).addDirectory(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serve " + root, e);
        }
    }

    /** Adds a filter in front of both the Hub and the CDN (tests use it to inject faults). */
    public void addFilter(Filter filter) {
        hubContext.getFilters().add(filter);
        cdnContext.getFilters().add(filter);
    }

    /** Every request received so far. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
        executor.shutdownNow();
    }

    /** A repository: commits of files, branches and tags pointing at them, and who may read it. */
    public final class Repo {
        private final Map<String, Map<String, byte[]>> commits = new ConcurrentHashMap<>();
        private final Map<String, String> refs = new ConcurrentHashMap<>();
        private volatile String privateToken;
        private volatile String gatedToken;

        /** Commits {@code files} (path to bytes) on top of {@code main}'s files and moves {@code main} there. */
        public synchronized String commit(Map<String, byte[]> files) {
            Map<String, byte[]> tree = new TreeMap<>(refs.containsKey("main") ? commits.get(refs.get("main"))
                    : Map.of());
            tree.putAll(files);
            MessageDigest sha1 = digest("SHA-1");
            sha1.update(String.valueOf(refs.get("main")).getBytes(StandardCharsets.UTF_8));
            tree.forEach((path, bytes) -> {
                sha1.update(path.getBytes(StandardCharsets.UTF_8));
                sha1.update(gitBlobSha1(bytes).getBytes(StandardCharsets.UTF_8));
                if (isLfs(path, bytes)) {
                    lfsBlobs.put(sha256(bytes), bytes);
                }
            });
            String commit = hex(sha1.digest());
            commits.put(commit, tree);
            refs.put("main", commit);
            return commit;
        }

        /** Commits one file. */
        public Repo file(String path, byte[] content) {
            commit(Map.of(path, content));
            return this;
        }

        /** Commits one text file. */
        public Repo file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        /** Commits every file under {@code dir}, with paths relative to it. */
        public Repo addDirectory(Path dir) {
            Map<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + dir, e);
            }
            commit(files);
            return this;
        }

        /** Points branch or tag {@code name} at {@code main}'s current commit. */
        public Repo tag(String name) {
            refs.put(name, commitHash());
            return this;
        }

        /** {@code main}'s commit hash. */
        public String commitHash() {
            return refs.get("main");
        }

        /** Makes the repository private: readable only with {@code token}. */
        public Repo requireToken(String token) {
            this.privateToken = token;
            return this;
        }

        /** Makes the repository gated: readable only with {@code token} (a user who was granted access). */
        public Repo gated(String token) {
            this.gatedToken = token;
            return this;
        }

        private String resolve(String revision) {
            if (refs.containsKey(revision)) {
                return refs.get(revision);
            }
            return commits.containsKey(revision) ? revision : null;
        }
    }

    private static final Pattern API = Pattern.compile("^/api/(models|datasets|spaces)/(.+?)/revision/([^/]+)$");

    /** The Hub API's repository info: commit and file list ({@code siblings}). */
    private void handleApi(HttpExchange ex, Matcher m) throws IOException {
        String type = m.group(1).substring(0, m.group(1).length() - 1);
        Repo repo = repos.get(type + ":" + decode(m.group(2)));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (repo == null || (repo.privateToken != null && !("Bearer " + repo.privateToken).equals(auth))) {
            error(ex, 404, "RepoNotFound", "Repository not found");
            return;
        }
        String commit = repo.resolve(decode(m.group(3)));
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id");
            return;
        }
        StringBuilder json = new StringBuilder("{\"id\":\"" + decode(m.group(2)) + "\",\"sha\":\"" + commit
                + "\",\"siblings\":[");
        boolean first = true;
        for (String file : repo.commits.get(commit).keySet()) {
            json.append(first ? "" : ",").append("{\"rfilename\":\"").append(file.replace("\"", "\\\""))
                    .append("\"}");
            first = false;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, 200, json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            record(ex, "hub");
            Matcher api = API.matcher(ex.getRequestURI().getRawPath());
            if (api.matches()) {
                handleApi(ex, api);
                return;
            }
            Matcher m = RESOLVE.matcher(ex.getRequestURI().getRawPath());
            if (!m.matches()) {
                error(ex, 404, null, "Not a /resolve/ URL");
                return;
            }
            String type = m.group(1) == null ? "model" : m.group(1).substring(0, m.group(1).length() - 1);
            String repoId = decode(m.group(2));
            String revision = decode(m.group(3));
            String file = decode(m.group(4));
            if (renamed.containsKey(repoId)) {
                String prefix = m.group(1) == null ? "" : m.group(1) + "/";
                ex.getResponseHeaders().set("Location", "/" + prefix + renamed.get(repoId) + "/resolve/"
                        + m.group(3) + "/" + m.group(4));
                send(ex, 307, new byte[0]);
                return;
            }
            Repo repo = repos.get(type + ":" + repoId);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (repo == null || (repo.privateToken != null && !("Bearer " + repo.privateToken).equals(auth))) {
                error(ex, repo == null ? 404 : 401, "RepoNotFound", "Repository not found");
                return;
            }
            if (repo.gatedToken != null && !("Bearer " + repo.gatedToken).equals(auth)) {
                error(ex, auth == null ? 401 : 403, "GatedRepo", "Access to this repository is restricted");
                return;
            }
            String commit = repo.resolve(revision);
            if (commit == null) {
                error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                return;
            }
            ex.getResponseHeaders().set("X-Repo-Commit", commit);
            byte[] bytes = repo.commits.get(commit).get(file);
            if (bytes == null) {
                error(ex, 404, "EntryNotFound", "Entry not found");
                return;
            }
            if (isLfs(file, bytes)) {
                String sha = sha256(bytes);
                ex.getResponseHeaders().set("X-Linked-Etag", "\"" + sha + "\"");
                ex.getResponseHeaders().set("X-Linked-Size", Long.toString(bytes.length));
                ex.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(sha.getBytes(StandardCharsets.UTF_8)) + "\"");
                ex.getResponseHeaders().set("Location", cdnEndpoint() + "/cdn/" + sha);
                send(ex, 302, new byte[0]);
                return;
            }
            ex.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(bytes) + "\"");
            sendRange(ex, bytes);
        }
    }

    private void handleCdn(HttpExchange ex) throws IOException {
        try (ex) {
            record(ex, "cdn");
            String path = ex.getRequestURI().getPath();
            byte[] bytes = path.startsWith("/cdn/") ? lfsBlobs.get(path.substring(5)) : null;
            if (bytes == null) {
                error(ex, 404, null, "No such blob");
                return;
            }
            sendRange(ex, bytes);
        }
    }

    private void record(HttpExchange ex, String origin) {
        requests.add(new Request(origin, ex.getRequestMethod(), ex.getRequestURI().toString(),
                ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
    }

    /** Answers with the whole body, or with the part a {@code Range: bytes=N-[M]} header asks for. */
    private static void sendRange(HttpExchange ex, byte[] bytes) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        Matcher m = range == null ? null : Pattern.compile("^bytes=(\\d+)-(\\d*)$").matcher(range.strip());
        if (m == null || !m.matches()) {
            send(ex, 200, bytes);
            return;
        }
        long start = Long.parseLong(m.group(1));
        long end = m.group(2).isEmpty() ? bytes.length - 1 : Math.min(Long.parseLong(m.group(2)), bytes.length - 1);
        if (start >= bytes.length || start > end) {
            ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
            send(ex, 416, new byte[0]);
            return;
        }
        ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + bytes.length);
        byte[] part = new byte[(int) (end - start + 1)];
        System.arraycopy(bytes, (int) start, part, 0, part.length);
        send(ex, 206, part);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) {
            ex.getResponseHeaders().set("X-Error-Code", code);
        }
        ex.getResponseHeaders().set("X-Error-Message", message);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            // a HEAD answer states the length of the body it leaves out
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            for (int off = 0; off < body.length; off += 64 * 1024) {
                out.write(body, off, Math.min(64 * 1024, body.length - off));
            }
        }
    }

    private static boolean isLfs(String path, byte[] bytes) {
        int dot = path.lastIndexOf('.');
        return bytes.length >= LFS_MIN_SIZE || (dot >= 0 && LFS_EXTENSIONS.contains(path.substring(dot + 1)));
    }

    /** Percent-decoding of one path part; unlike form decoding, '+' stays '+'. */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The git object id of a file's bytes, which the Hub sends as the ETag of a regular file. */
    static String gitBlobSha1(byte[] bytes) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.UTF_8));
        return hex(sha1.digest(bytes));
    }

    static String sha256(byte[] bytes) {
        return hex(digest("SHA-256").digest(bytes));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
