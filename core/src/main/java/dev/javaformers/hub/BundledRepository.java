package dev.javaformers.hub;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A repository whose files ship inside a jar, for machines that cannot reach the Hub. When a file of
 * {@link #repoId()} is needed and neither the Hub nor the cache has it, the repository is written once into the
 * cache as an ordinary snapshot, after which Python and Java read it like any download. Implementations are
 * found with {@link java.util.ServiceLoader}.
 */
public interface BundledRepository {

    /** The Hub id this repository stands in for, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}. */
    String repoId();

    /** Identifies the bundled content; a new version gives a new snapshot. */
    String version();

    /** Writes every file of the repository into the empty folder {@code dir}. */
    void write(Path dir) throws IOException;
}
