package dev.javaformers.hub;

import dev.javaformers.util.Kwargs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options transformers and huggingface_hub take when fetching a file, with their names and meaning.
 * Anything not set falls back to the environment as Python's libraries read it: {@code HF_ENDPOINT},
 * {@code HF_HUB_CACHE} / {@code HF_HOME}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE} / {@code TRANSFORMERS_OFFLINE}.
 *
 * <pre>{@code
 * HubOptions options = HubOptions.builder().optRevision("v1.0").optCacheDir(Path.of("/data/hf")).build();
 * }</pre>
 */
public final class HubOptions {

    /** The public Hub, used when {@code HF_ENDPOINT} is not set. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String DEFAULT_REVISION = "main";

    /** The keys {@link #fromKwargs} understands, in snake_case. */
    static final String[] KWARG_NAMES = {
        "cache_dir", "force_download", "proxies", "revision", "token", "use_auth_token", "local_files_only",
        "subfolder", "endpoint", "repo_type", "resume_download"
    };

    private final String endpoint;
    private final Path cacheDir;
    private final String revision;
    private final String token;
    private final boolean forceDownload;
    private final boolean localFilesOnly;
    private final boolean offline;
    private final Map<String, String> proxies;
    private final Map<String, String> environmentProxies;
    private final String noProxy;
    private final String repoType;
    private final String subfolder;
    private final Duration etagTimeout;
    private final Duration downloadTimeout;

    private HubOptions(Builder b) {
        Map<String, String> env = b.env;
        String ep = b.endpoint != null ? b.endpoint : env.getOrDefault("HF_ENDPOINT", DEFAULT_ENDPOINT);
        this.endpoint = ep.endsWith("/") ? ep.substring(0, ep.length() - 1) : ep;
        this.cacheDir = b.cacheDir != null ? b.cacheDir : defaultCacheDir(env);
        this.revision = b.revision != null ? b.revision : DEFAULT_REVISION;
        this.token = b.tokenDisabled ? null : b.token != null ? b.token : defaultToken(env);
        this.forceDownload = b.forceDownload;
        this.localFilesOnly = b.localFilesOnly;
        this.offline = b.offline != null ? b.offline
                : Kwargs.isTruthy(env.get("HF_HUB_OFFLINE")) || Kwargs.isTruthy(env.get("TRANSFORMERS_OFFLINE"));
        this.proxies = Map.copyOf(b.proxies);
        Map<String, String> fromEnv = new LinkedHashMap<>();
        for (String scheme : new String[] {"http", "https"}) {
            String value = envValue(env, scheme + "_proxy");
            if (value != null && !value.isBlank()) {
                fromEnv.put(scheme, value);
            }
        }
        this.environmentProxies = b.environmentProxies != null ? b.environmentProxies : Map.copyOf(fromEnv);
        this.noProxy = b.environmentProxies != null ? b.noProxy : envValue(env, "no_proxy");
        this.repoType = b.repoType;
        this.subfolder = b.subfolder;
        this.etagTimeout = seconds(env, "HF_HUB_ETAG_TIMEOUT", 10);
        this.downloadTimeout = seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT", 10);
    }

    /** A builder that reads defaults from this process's environment. */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /** A builder that reads defaults from {@code env} instead of the process environment. */
    public static Builder builder(Map<String, String> env) {
        return new Builder(env);
    }

    /** Options with every default: the environment's settings, revision {@code main}. */
    public static HubOptions defaults() {
        return builder().build();
    }

    /**
     * Pops the Hub keys ({@code revision}, {@code cache_dir}, {@code token}, {@code force_download},
     * {@code local_files_only}, {@code proxies}, {@code subfolder}, ...) from {@code kwargs}; the rest stay there.
     */
    public static HubOptions fromKwargs(Kwargs kwargs) {
        Builder b = builder();
        Object cacheDir = kwargs.pop("cache_dir");
        if (cacheDir != null) {
            b.optCacheDir(Path.of(cacheDir.toString()));
        }
        b.optForceDownload(kwargs.popBoolean("force_download", false));
        b.optLocalFilesOnly(kwargs.popBoolean("local_files_only", false));
        kwargs.pop("resume_download"); // always on, as in current huggingface_hub
        Object proxies = kwargs.pop("proxies");
        if (proxies instanceof Map<?, ?> map) {
            map.forEach((k, v) -> b.optProxy(String.valueOf(k), String.valueOf(v)));
        } else if (proxies != null) {
            throw new IllegalArgumentException("proxies must be a map like {\"https\": \"http://host:port\"}, got "
                    + proxies);
        }
        for (String key : new String[] {"token", "use_auth_token"}) {
            Object token = kwargs.pop(key);
            if (Boolean.FALSE.equals(token)) {
                b.optNoToken();
            } else if (token != null && !Boolean.TRUE.equals(token)) {
                b.optToken(token.toString());
            }
        }
        b.optRevision(kwargs.popString("revision"));
        b.optSubfolder(kwargs.popString("subfolder"));
        b.optEndpoint(kwargs.popString("endpoint"));
        String repoType = kwargs.popString("repo_type");
        if (repoType != null) {
            b.optRepoType(repoType);
        }
        return b.build();
    }

    /** A copy with another revision; the other settings are kept. */
    public HubOptions withRevision(String newRevision) {
        return toBuilder().optRevision(newRevision).build();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder(Map.of());
        b.endpoint = endpoint;
        b.cacheDir = cacheDir;
        b.revision = revision;
        b.token = token;
        b.tokenDisabled = token == null;
        b.forceDownload = forceDownload;
        b.localFilesOnly = localFilesOnly;
        b.offline = offline;
        b.proxies.putAll(proxies);
        b.environmentProxies = environmentProxies;
        b.noProxy = noProxy;
        b.repoType = repoType;
        b.subfolder = subfolder;
        return b;
    }

    static Path defaultCacheDir(Map<String, String> env) {
        for (String key : new String[] {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) {
            String dir = env.get(key);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir);
            }
        }
        return hfHome(env).resolve("hub");
    }

    static Path hfHome(Map<String, String> env) {
        String home = env.get("HF_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("huggingface");
    }

    private static String defaultToken(Map<String, String> env) {
        for (String key : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            String token = env.get(key);
            if (token != null && !token.isBlank()) {
                return token.trim();
            }
        }
        String tokenPath = env.get("HF_TOKEN_PATH");
        Path file = tokenPath != null ? Path.of(tokenPath) : hfHome(env).resolve("token");
        try {
            String token = Files.isRegularFile(file) ? Files.readString(file).trim() : "";
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            return null;
        }
    }

    private static String envValue(Map<String, String> env, String lowerName) {
        String v = env.get(lowerName);
        return v != null ? v : env.get(lowerName.toUpperCase(java.util.Locale.ROOT));
    }

    private static Duration seconds(Map<String, String> env, String key, int defaultSeconds) {
        String value = env.get(key);
        try {
            return Duration.ofMillis((long) (1000 * (value == null ? defaultSeconds : Double.parseDouble(value))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number of seconds, got '" + value + "'", e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public String revision() {
        return revision;
    }

    /** The token sent as {@code Authorization: Bearer}, or null for none. */
    public String token() {
        return token;
    }

    public boolean forceDownload() {
        return forceDownload;
    }

    public boolean localFilesOnly() {
        return localFilesOnly;
    }

    /** True when {@code HF_HUB_OFFLINE} or {@code TRANSFORMERS_OFFLINE} is set (or {@link Builder#optOffline}). */
    public boolean offline() {
        return offline;
    }

    /** Proxy per URL scheme, as Python's {@code proxies={"https": "http://proxy:3128"}}. */
    public Map<String, String> proxies() {
        return proxies;
    }

    /** Proxies from {@code http_proxy} / {@code https_proxy}, used where {@link #proxies()} names none. */
    Map<String, String> environmentProxies() {
        return environmentProxies;
    }

    /** The {@code no_proxy} list of hosts that bypass {@link #environmentProxies()}. */
    String noProxy() {
        return noProxy;
    }

    /** {@code model} (default), {@code dataset} or {@code space}. */
    public String repoType() {
        return repoType;
    }

    public String subfolder() {
        return subfolder;
    }

    public Duration etagTimeout() {
        return etagTimeout;
    }

    public Duration downloadTimeout() {
        return downloadTimeout;
    }

    @Override
    public String toString() {
        return "HubOptions{endpoint=" + endpoint + ", cacheDir=" + cacheDir + ", revision=" + revision
                + ", token=" + (token == null ? "none" : "hf_***") + ", forceDownload=" + forceDownload
                + ", localFilesOnly=" + localFilesOnly + ", offline=" + offline + ", proxies=" + proxies
                + ", repoType=" + repoType + (subfolder == null ? "" : ", subfolder=" + subfolder) + "}";
    }

    /** Builds {@link HubOptions}; {@code opt*} values are all optional. */
    public static final class Builder {
        private final Map<String, String> env;
        private String endpoint;
        private Path cacheDir;
        private String revision;
        private String token;
        private boolean tokenDisabled;
        private boolean forceDownload;
        private boolean localFilesOnly;
        private Boolean offline;
        private final Map<String, String> proxies = new LinkedHashMap<>();
        private Map<String, String> environmentProxies;
        private String noProxy;
        private String repoType = "model";
        private String subfolder;

        private Builder(Map<String, String> env) {
            this.env = env;
        }

        /** The Hub's base URL; default {@code HF_ENDPOINT}, else {@value #DEFAULT_ENDPOINT}. */
        public Builder optEndpoint(String endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        /** The cache folder ({@code cache_dir}); default {@code $HF_HUB_CACHE} or {@code $HF_HOME/hub}. */
        public Builder optCacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        /** A branch, tag or commit hash; default {@code main}. */
        public Builder optRevision(String revision) {
            this.revision = revision;
            return this;
        }

        /** The access token for private and gated repositories; default {@code HF_TOKEN}. */
        public Builder optToken(String token) {
            this.token = token;
            this.tokenDisabled = false;
            return this;
        }

        /** Sends no token, even when {@code HF_TOKEN} is set (Python's {@code token=False}). */
        public Builder optNoToken() {
            this.tokenDisabled = true;
            return this;
        }

        /** Downloads again even when the file is cached. */
        public Builder optForceDownload(boolean forceDownload) {
            this.forceDownload = forceDownload;
            return this;
        }

        /** Never asks the Hub: only the cache (or a local folder) is used. */
        public Builder optLocalFilesOnly(boolean localFilesOnly) {
            this.localFilesOnly = localFilesOnly;
            return this;
        }

        /** Offline mode, whatever the environment says. */
        public Builder optOffline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** A proxy for one URL scheme ({@code http} or {@code https}), e.g. {@code http://127.0.0.1:3128}. */
        public Builder optProxy(String scheme, String proxyUrl) {
            this.proxies.put(scheme, proxyUrl);
            return this;
        }

        /** {@code model}, {@code dataset} or {@code space}. */
        public Builder optRepoType(String repoType) {
            if (!repoType.matches("model|dataset|space")) {
                throw new IllegalArgumentException("repo_type must be model, dataset or space, got '" + repoType + "'");
            }
            this.repoType = repoType;
            return this;
        }

        /** A folder inside the repository that holds the files. */
        public Builder optSubfolder(String subfolder) {
            this.subfolder = subfolder == null || subfolder.isEmpty() ? null : subfolder;
            return this;
        }

        public HubOptions build() {
            return new HubOptions(this);
        }
    }
}
