package dev.javaformers.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void aFailedWriteLeavesTheOldFileWholeAndNoDebris() throws Exception {
        Path target = tmp.resolve("config.json");
        Files.writeString(target, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(target), files.toList());
        }
        AtomicFiles.writeString(target, "new");
        assertEquals("new", Files.readString(target));
    }
}
