package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The interactive shell, fed as a user types: statements over several lines, variables kept, errors in a line. */
class DslShellTest {

    @Test
    void readsEvaluatesAndPrintsWithStateKeptBetweenInputs() {
        String typed = """
                def n = 2
                n * 21
                train <
                  steps 1
                >
                [1, 2,
                 3].sum()
                model 'sentence-transformers/all-MiniLM-L6-v2' < labels ['neg', 'pos'] >
                model.config.numLabels()
                predict('What a wonderful day').label in ['neg', 'pos']
                :exit
                println 'not reached'
                """;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (DslShell shell = new DslShell()) {
            shell.repl(new BufferedReader(new StringReader(typed)), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("==> 42"), o);          // def n kept from the first input
        assertTrue(o.contains("==> 6"), o);           // a list over two lines
        assertTrue(o.contains("==> 2"), o);           // the labels of the block
        assertTrue(o.contains("==> true"), o);
        assertTrue(o.contains("... "), "continuation prompt: " + o);
        assertFalse(o.contains("not reached"), o);
        assertEquals(1, e.lines().count(), "one line for the error: " + e);
        assertTrue(e.startsWith("No dataset yet"), e);
    }

    @Test
    void knowsWhenAnInputNeedsMoreLines() {
        try (DslShell shell = new DslShell()) {
            assertTrue(shell.incomplete("model('x') {\n"));
            assertTrue(shell.incomplete("train <\n  epochs 3\n"));
            assertTrue(shell.incomplete("def s = '''abc\n"));
            assertTrue(shell.incomplete("[1, 2,\n"));
            assertFalse(shell.incomplete("println 1\n"));
            assertFalse(shell.incomplete("println )\n"), "a real error is not an incomplete input");
        }
    }
}
