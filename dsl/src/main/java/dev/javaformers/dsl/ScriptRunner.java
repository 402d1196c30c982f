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
            System.err.println((args.get(0).equals("run") ? "jf: run needs a script file"
                    : "jf: unknown command '" + args.get(0) + "'") + "; usage: jf run FILE.groovy [ARGS...] "
                    + "[--stacktrace], jf export --model NAME OUT_DIR, or jf alone for the shell");
            System.exit(2);
        }
        System.exit(run(Path.of(args.get(1)), args.subList(2, args.size()), stacktrace, System.err));
    }

    /** Runs a script; returns the exit status (0, or 1 after printing the error to {@code err}). */
    public static int run(Path file, List<String> args, boolean stacktrace, PrintStream err) {
        String source;
        try {
            source = Files.readString(file);
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("jf: no such script: " + file.toAbsolutePath() + " (expected a .groovy file)");
            return 1;
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

    /** The forms of a DSL verb, e.g. {@code split(Number) or split(Number, Closure)}; empty if it is none. */
    private static String verbSignatures(String verb) {
        return java.util.Arrays.stream(JavaformersScript.class.getMethods()).filter(m -> m.getName().equals(verb)
                && m.getDeclaringClass() == JavaformersScript.class).map(m -> verb + "(" + java.util.Arrays.stream(
                m.getParameterTypes()).map(Class::getSimpleName).collect(java.util.stream.Collectors.joining(", "))
                + ")").sorted().distinct().collect(java.util.stream.Collectors.joining(" or "));
    }

    private static String arguments(Object[] args) {
        return java.util.Arrays.stream(args).map(a -> a == null ? "null" : (a instanceof CharSequence ? "'" + a
                + "'" : String.valueOf(a)) + " (" + a.getClass().getSimpleName() + ")")
                .collect(java.util.stream.Collectors.joining(", ", "(", ")"));
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
        if (e instanceof groovy.lang.MissingMethodException m && m.getType() != null
                && JavaformersScript.class.isAssignableFrom(m.getType())) {
            String takes = verbSignatures(m.getMethod());
            if (!takes.isEmpty()) {
                return m.getMethod() + " cannot take " + arguments(m.getArguments()) + ": it takes " + takes;
            }
        }
        if (e instanceof groovy.lang.MissingPropertyException p && p.getType() != null
                && JavaformersScript.class.isAssignableFrom(p.getType())) {
            List<String> words = java.util.Arrays.stream(JavaformersScript.class.getMethods()).filter(m -> m
                    .getDeclaringClass() == JavaformersScript.class && m.getParameterCount() == 0
                    && m.getName().startsWith("get") && m.getName().length() > 3).map(m -> Character.toLowerCase(
                    m.getName().charAt(3)) + m.getName().substring(4)).sorted().toList();
            return "'" + p.getProperty() + "' is not defined: not a variable of the script (def " + p.getProperty()
                    + " = ...) nor a word of the DSL." + dev.javaformers.util.Names.didYouMean(List.of(p.getProperty()),
                    words) + " Words: " + words;
        }
        String message = e.getMessage();
        String type = e instanceof IllegalArgumentException || e instanceof IllegalStateException ? ""
                : e.getClass().getSimpleName() + ": ";
        return type + (message == null ? "" : message);
    }
}
