package dev.javaformers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Paths of the test resources, and copies of them that a test may change. */
public final class TestResources {

    private TestResources() {}

    /** The folder of a resource on the test class path, e.g. {@code hf-tiny/tiny-bert}. */
    public static Path path(String resource) {
        try {
            return Path.of(TestResources.class.getClassLoader().getResource(resource).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Missing test resource " + resource, e);
        }
    }

    /** Copies a resource folder into {@code target} and returns the copy. */
    public static Path copy(String resource, Path target) {
        Path source = path(resource);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Nested JSON lists of token ids (a reference file's) as rows. */
    public static long[][] rows(com.fasterxml.jackson.databind.JsonNode n) {
        long[][] out = new long[n.size()][];
        for (int r = 0; r < n.size(); r++) {
            out[r] = new long[n.get(r).size()];
            for (int t = 0; t < out[r].length; t++) {
                out[r][t] = n.get(r).get(t).asLong();
            }
        }
        return out;
    }
}
