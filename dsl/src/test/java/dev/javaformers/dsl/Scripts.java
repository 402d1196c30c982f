package dev.javaformers.dsl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a script through {@link ScriptRunner} in this JVM, capturing what it prints. */
final class Scripts {

    record Result(int status, String out, String err) {}

    private Scripts() {}

    static Result run(Path file, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int status = ScriptRunner.run(file, List.of(args), false, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
        }
    }
}
