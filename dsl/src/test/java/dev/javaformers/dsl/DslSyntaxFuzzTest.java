package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the DSL's source rewriting ({@code verb x < key value >} into Groovy's block form): any text gives
 * Groovy source or a {@link DslSyntax.SyntaxError} with its line and column, never another exception or a hang,
 * and the rewritten source keeps every newline where it was (Groovy's line numbers stay the user's). Seeds: the
 * example scripts (core's fuzz targets say how the corpus and the runs work).
 */
class DslSyntaxFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        String source = new String(data, StandardCharsets.UTF_8);
        for (boolean interactive : new boolean[] {false, true}) {
            String rewritten;
            try {
                rewritten = DslSyntax.rewrite(source, interactive);
            } catch (DslSyntax.SyntaxError e) {
                if (e.line < 1 || e.column < 1) {
                    throw new AssertionError("a syntax error without its place: " + e.getMessage(), e);
                }
                continue;
            }
            assertEquals(source.chars().filter(c -> c == '\n').count(), rewritten.chars().filter(c -> c == '\n')
                    .count(), "newlines kept");
        }
    }
}
