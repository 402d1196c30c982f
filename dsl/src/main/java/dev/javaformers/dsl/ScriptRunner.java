package dev.javaformers.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;

/**
 * Runs DSL scripts: {@code scripts/jf run file.groovy [args]}, or the interactive shell ({@code scripts/jf}). An error
 * prints the script's file and line and the message, not a Java stack, unless {@code --stacktrace} is given.
 */
public final class ScriptRunner {

    private ScriptRunner() {}

    public static void main(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        boolean stacktrace = args.remove("--stacktrace");
        if (args.isEmpty() || args.equals(List.of("shell"))) {
            try (DslShell shell = new DslShell()) {
                shell.repl(new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8)), System.out, System.err, stacktrace);
            }
            System.exit(0);
        }
        if (args.size() < 2 || !args.get(0).equals("run")) {
            System.err.println("usage: jf run FILE.groovy [ARGS...] [--stacktrace]   (or jf alone: the shell)");
            System.exit(2);
        }
        System.exit(run(Path.of(args.get(1)), args.subList(2, args.size()), stacktrace, System.err));
    }

    /** Runs a script; returns the exit status (0, or 1 after printing the error to {@code err}). */
    public static int run(Path file, List<String> args, boolean stacktrace, PrintStream err) {
        String source;
        try {
            source = Files.readString(file);
        } catch (IOException e) {
            err.println("jf: cannot read " + file + ": " + e.getMessage());
            return 1;
        }
        CompilerConfiguration config = Dsl.configuration(false);
        Binding binding = new Binding();
        binding.setVariable("args", args.toArray(new String[0]));
        GroovyShell shell = new GroovyShell(ScriptRunner.class.getClassLoader(), binding, config);
        String name = file.getFileName().toString();
        Script script = null;
        try {
            script = shell.parse(source, name);
            script.run();
            return 0;
        } catch (MultipleCompilationErrorsException e) {
            err.println(e.getMessage().strip());
            return 1;
        } catch (RuntimeException | Error e) {
            if (stacktrace) {
                e.printStackTrace(err);
            } else {
                err.println(name + ":" + lineOf(e, name) + ": " + describe(e));
            }
            return 1;
        } finally {
            if (script instanceof JavaformersScript s) {
                s.closeAll();
            }
        }
    }

    /** The line of the script where the error happened (the innermost frame in the script), or "?". */
    static String lineOf(Throwable e, String scriptName) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (scriptName.equals(frame.getFileName()) && frame.getLineNumber() > 0) {
                    return Integer.toString(frame.getLineNumber());
                }
            }
        }
        return "?";
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        String type = e instanceof IllegalArgumentException || e instanceof IllegalStateException ? ""
                : e.getClass().getSimpleName() + ": ";
        return type + (message == null ? "" : message);
    }
}
