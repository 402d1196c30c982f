package dev.javaformers.hub;

import java.io.IOException;
import java.net.URL;

/**
 * What the Hub's answer to a HEAD request says about one file: the commit the revision points to, the ETag
 * that names the blob, its size, and where to download it from (the CDN, for LFS files).
 */
record Metadata(String commit, String etag, long size, URL location) {

    /**
     * Asks the Hub about a file. Definite answers (no such repository, revision or file; gated) are thrown as
     * {@link HubException}s; a network failure or server error is {@link Hub.HubUnreachable}, after which the
     * cache may still serve.
     */
    static Metadata fetch(HubHttp http, URL url, String repoId, String revision, String file, HubOptions options)
            throws Hub.HubUnreachable, Hub.EntryNotFoundWithCommit {
        HubHttp.Head head;
        try {
            head = http.head(url);
        } catch (IOException e) {
            throw new Hub.HubUnreachable(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        int status = head.status();
        if (status >= 400) {
            raise(head, url, repoId, revision, file, options);
        }
        String commit = head.header("X-Repo-Commit");
        String etag = normalizeEtag(head.header("X-Linked-Etag") != null ? head.header("X-Linked-Etag")
                : head.header("ETag"));
        if (commit == null || etag == null) {
            throw new HubException("The answer from " + url + " (status " + status + ") has no "
                    + (commit == null ? "X-Repo-Commit" : "ETag") + " header, so it does not come from a Hub. "
                    + "Check HF_ENDPOINT (" + options.endpoint() + ") and the proxy settings.");
        }
        HubCache.checkName(commit, "commit hash");
        HubCache.checkName(etag, "ETag");
        long size = parseSize(head.header("X-Linked-Size") != null ? head.header("X-Linked-Size")
                : head.header("Content-Length"));
        URL location;
        try {
            location = head.isRedirect() ? head.location() : head.url();
        } catch (IOException e) {
            throw new HubException(e.getMessage(), e);
        }
        return new Metadata(commit, etag, size, location);
    }

    private static void raise(HubHttp.Head head, URL url, String repoId, String revision, String file,
            HubOptions options) throws Hub.HubUnreachable, Hub.EntryNotFoundWithCommit {
        int status = head.status();
        String code = head.header("X-Error-Code");
        String detail = head.header("X-Error-Message");
        String suffix = " (" + status + " for " + url + (detail == null ? "" : ": " + detail) + ")";
        if ("GatedRepo".equals(code)) {
            throw new GatedRepoException("Access to " + repoId + " is restricted: it is a gated repository. "
                    + (options.token() == null ? "No token was sent: set HF_TOKEN or pass a token, after "
                    : "The token sent has no access: ") + "request access at " + options.endpoint() + "/"
                    + repoId + "." + suffix);
        }
        if ("RepoNotFound".equals(code) || "RepositoryNotFound".equals(code) || status == 401) {
            throw new RepositoryNotFoundException("Repository not found: " + repoId + ". Check the name and "
                    + "repo_type (" + options.repoType() + "). If it is private or gated, "
                    + (options.token() == null ? "no token was sent: set HF_TOKEN or pass a token."
                    : "the token sent may not read it.") + suffix);
        }
        if ("RevisionNotFound".equals(code)) {
            throw new RevisionNotFoundException("Revision not found: '" + revision + "' is not a branch, tag or "
                    + "commit of " + repoId + "." + suffix);
        }
        if ("EntryNotFound".equals(code) || status == 404) {
            EntryNotFoundException missing = new EntryNotFoundException(repoId + " has no file named " + file
                    + " at revision " + revision + "." + suffix);
            String commit = head.header("X-Repo-Commit");
            if (commit != null && HubCache.COMMIT_HASH.matcher(commit).matches()) {
                    throw new Hub.EntryNotFoundWithCommit(commit, missing);
            }
            throw missing;
        }
        if (status == 403) {
            throw new HubException("Forbidden: the token sent may not read " + repoId + "." + suffix);
        }
        if (status >= 500 || status == 429) {
            throw new Hub.HubUnreachable("the Hub answered " + status, null);
        }
        throw new HubException("Unexpected answer from the Hub for " + repoId + "/" + file + suffix);
    }

    /** {@code W/"abc"} and {@code "abc"} are both the ETag {@code abc}. */
    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e.isEmpty() ? null : e;
    }

    private static long parseSize(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
