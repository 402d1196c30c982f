package dev.javaformers.hub;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: {@code download REPO FILE...} (like {@code huggingface-cli download}) prints the cached path of
 * each file; {@code serve DIR [PORT]} serves a folder of repositories as a local Hub until stopped.
 * Options: {@code --revision R}, {@code --cache-dir D}, {@code --repo-type T}, {@code --token T},
 * {@code --force-download}, {@code --local-files-only}.
 */
public final class HubCli {

    private HubCli() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            usage();
            return;
        }
        try {
            switch (args[0]) {
                case "download" -> download(args);
                case "serve" -> serve(args);
                default -> usage();
            }
        } catch (HubException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void download(String[] args) {
        HubOptions.Builder options = HubOptions.builder();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--revision" -> options.optRevision(args[++i]);
                case "--cache-dir" -> options.optCacheDir(Path.of(args[++i]));
                case "--repo-type" -> options.optRepoType(args[++i]);
                case "--token" -> options.optToken(args[++i]);
                case "--force-download" -> options.optForceDownload(true);
                case "--local-files-only" -> options.optLocalFilesOnly(true);
                default -> positional.add(args[i]);
            }
        }
        if (positional.size() < 2) {
            throw new IllegalArgumentException("download needs a repository id and at least one file name");
        }
        HubOptions built = options.build();
        for (String file : positional.subList(1, positional.size())) {
            System.out.println(Hub.download(positional.get(0), file, built));
        }
    }

    private static void serve(String[] args) throws InterruptedException {
        if (args.length < 2) {
            throw new IllegalArgumentException("serve needs a folder of repositories");
        }
        LocalHubServer server = LocalHubServer.start(args.length > 2 ? Integer.parseInt(args[2]) : 0);
        server.serveDirectory(Path.of(args[1]));
        System.out.println("Serving " + Path.of(args[1]).toAbsolutePath() + " as a Hub at " + server.endpoint());
        System.out.println("Use it with: export HF_ENDPOINT=" + server.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void usage() {
        System.err.println("""
                usage: hub download REPO FILE... [--revision R] [--cache-dir D] [--repo-type model|dataset]
                                                  [--token T] [--force-download] [--local-files-only]
                       hub serve DIR [PORT]      serve each folder under DIR as a repository""");
    }
}
