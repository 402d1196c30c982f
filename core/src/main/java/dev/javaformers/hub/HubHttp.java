package dev.javaformers.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * HTTP as huggingface_hub does it: HEAD follows only relative redirects (a renamed repository) and keeps an
 * absolute one as the download location (the CDN); GET follows every redirect but sends the token only to the
 * host it was meant for. {@link HttpURLConnection} is used because it has a read timeout, which a stalled
 * download needs.
 */
final class HubHttp {

    static final String USER_AGENT = "javaformers/0.1; java/" + Runtime.version().feature();
    private static final int MAX_REDIRECTS = 10;

    private final HubOptions options;

    HubHttp(HubOptions options) {
        this.options = options;
    }

    /** The headers and status of a response whose body was not read. */
    record Head(int status, URL url, HttpURLConnection connection) {
        String header(String name) {
            return connection.getHeaderField(name);
        }

        /** The redirect target resolved against the request URL, or null. */
        URL location() throws IOException {
            String location = header("Location");
            if (location == null) {
                return null;
            }
            URI target;
            try {
                target = url.toURI().resolve(new URI(location));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new IOException("Bad redirect Location '" + location + "' from " + url, e);
            }
            // the JDK's client fails with its own exceptions on a URL without a host or of another scheme
            String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || target.getHost() == null
                    || target.getHost().isEmpty()) {
                throw new IOException("Bad redirect Location '" + location + "' from " + url
                        + ": not an http(s) URL with a host");
            }
            return target.toURL();
        }

        boolean isRedirect() {
            return status >= 300 && status < 400 && header("Location") != null;
        }
    }

    /** HEAD, following relative redirects only; the last response is returned whatever its status. */
    Head head(URL url) throws IOException {
        URL current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(current, "HEAD", options.etagTimeout());
            Head head = new Head(c.getResponseCode(), current, c);
            c.disconnect();
            if (!head.isRedirect() || isAbsolute(head.header("Location"))) {
                return head;
            }
            current = head.location();
        }
        throw new IOException("Too many redirects from " + url);
    }

    /**
     * GET from byte {@code from} on (a {@code Range} request when above 0), following all redirects.
     * Returns the open connection with status 200 or 206; any other status is a {@link HubException}.
     */
    HttpURLConnection get(URL url, long from) throws IOException {
        URL current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(current, "GET", options.downloadTimeout());
            if (from > 0) {
                c.setRequestProperty("Range", "bytes=" + from + "-");
            }
            int status = c.getResponseCode();
            if (status == 200 || status == 206) {
                return c;
            }
            Head head = new Head(status, current, c);
            if (head.isRedirect()) {
                try {
                    current = head.location();
                } catch (IOException e) {
                    throw new HubException(e.getMessage(), e); // a bad address, not a broken connection: no retry
                }
                drain(c);
                continue;
            }
            String body = errorBody(c);
            throw new HubException("GET " + current + " answered " + (status < 0 ? "with no valid HTTP status line"
                    : status) + (body.isEmpty() ? "" : ": " + body));
        }
        throw new IOException("Too many redirects from " + url);
    }

    /** A GET whose answer is read whole: status, body and the connection (for headers). */
    record Answer(int status, String body, HttpURLConnection connection) {}

    /** GET a small document (the Hub API's JSON), following redirects; any status is returned. */
    Answer fetch(URL url) throws IOException {
        URL current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = open(current, "GET", options.etagTimeout());
            int status = c.getResponseCode();
            Head head = new Head(status, current, c);
            if (head.isRedirect()) {
                current = head.location();
                drain(c);
                continue;
            }
            String body = status < 400 ? new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    : errorBody(c);
            return new Answer(status, body, c);
        }
        throw new IOException("Too many redirects from " + url);
    }

    private HttpURLConnection open(URL url, String method, Duration timeout) throws IOException {
        String proxySpec = proxySpec(url);
        HttpURLConnection c = (HttpURLConnection) url.openConnection(toProxy(proxySpec));
        c.setRequestMethod(method);
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setUseCaches(false);
        c.setRequestProperty("User-Agent", USER_AGENT);
        c.setRequestProperty("Accept-Encoding", "identity");
        // The token goes only to the host the request was made for, never to a CDN it redirects to.
        if (options.token() != null && sameOrigin(url, endpointUrl())) {
            c.setRequestProperty("Authorization", "Bearer " + options.token());
        }
        String proxyAuthorization = proxySpec == null ? null : proxyAuthorization(proxySpec);
        if (proxyAuthorization != null) {
            c.setRequestProperty("Proxy-Authorization", proxyAuthorization);
        }
        return c;
    }

    private URL endpointUrl() throws IOException {
        try {
            return new URI(options.endpoint()).toURL();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("Bad Hub endpoint '" + options.endpoint() + "'", e);
        }
    }

    /** The proxy URL for this request: the {@code proxies} option, else {@code https_proxy} and the like. */
    private String proxySpec(URL url) {
        String scheme = url.getProtocol().toLowerCase(Locale.ROOT);
        String spec = options.proxies().get(scheme);
        if (spec == null && !bypassedByNoProxy(url.getHost())) {
            spec = options.environmentProxies().get(scheme);
        }
        if (spec == null || spec.isBlank()) {
            return null;
        }
        return spec.contains("://") ? spec : "http://" + spec;
    }

    private static Proxy toProxy(String spec) {
        if (spec == null) {
            return Proxy.NO_PROXY;
        }
        URI proxy = URI.create(spec);
        int port = proxy.getPort() > 0 ? proxy.getPort() : 1080;
        Proxy.Type type = proxy.getScheme().startsWith("socks") ? Proxy.Type.SOCKS : Proxy.Type.HTTP;
        return new Proxy(type, InetSocketAddress.createUnresolved(proxy.getHost(), port));
    }

    /** Basic credentials for the proxy, when the proxy URL carries them ({@code http://user:pass@host:port}). */
    static String proxyAuthorization(String spec) {
        URI proxy = URI.create(spec);
        return proxy.getUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(proxy.getUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    private boolean bypassedByNoProxy(String host) {
        String noProxy = options.noProxy();
        if (noProxy == null) {
            return false;
        }
        for (String entry : noProxy.split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.equals("*") || (!e.isEmpty() && (host.equalsIgnoreCase(e) || host.toLowerCase(Locale.ROOT)
                    .endsWith(e.startsWith(".") ? e : "." + e)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isAbsolute(String location) {
        try {
            return new URI(location).isAbsolute();
        } catch (URISyntaxException e) {
            return true; // not followable as a relative path
        }
    }

    static boolean sameOrigin(URL a, URL b) {
        return a.getProtocol().equalsIgnoreCase(b.getProtocol()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URL url) {
        return url.getPort() == -1 ? url.getDefaultPort() : url.getPort();
    }

    /** The start of an error body, such as the Hub's {@code {"error": "..."}}, for messages. */
    static String errorBody(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream()) {
            if (in == null) {
                return "";
            }
            String text = new String(in.readNBytes(500), StandardCharsets.UTF_8).strip();
            return text.replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "";
        }
    }

    private static void drain(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream() != null ? c.getErrorStream() : c.getInputStream()) {
            in.readNBytes(64 * 1024);
        } catch (IOException ignored) {
            // a redirect body is of no interest
        }
    }
}
