package dev.javaformers.dsl;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;

/**
 * An interactive Groovy shell with the DSL loaded ({@code scripts/jf} without a file), and the evaluator that a
 * notebook's {@code %%groovy} cells use: every input is a script of its own over one binding, so variables
 * (top-level {@code def} ones included) and the DSL's model, data and trainer carry over from input to input.
 */
public final class DslShell implements AutoCloseable {

    private final Binding binding;
    private final GroovyShell shell;
    private final CompilerConfiguration config;
    private int inputs;

    public DslShell() {
        this(new Binding());
    }

    /** A shell over {@code binding}, shared with whoever else reads or sets its variables. */
    public DslShell(Binding binding) {
        this(binding, null);
    }

    /**
     * A shell whose {@code plot} and {@code train} show on {@code frontend} (a notebook's; null: the frontend of
     * the code that runs each input).
     */
    public DslShell(Binding binding, dev.javaformers.train.Frontend frontend) {
        this.binding = binding;
        DslState.of(binding).setFrontend(frontend);
        this.config = Dsl.configuration(true);
        this.shell = new GroovyShell(DslShell.class.getClassLoader(), binding, config);
    }

    public Binding binding() {
        return binding;
    }

    /** Runs {@code code} (one or more statements) and returns the value of the last one. */
    public Object evaluate(String code) {
        Script script = shell.parse(code, "input" + (++inputs) + ".groovy");
        return script.run();
    }

    /** An error of the last {@link #evaluate}, one line: {@code line N: message}, as scripts print it. */
    public String describeError(Throwable e) {
        return "line " + ScriptRunner.lineOf(e, "input" + inputs + ".groovy") + ": " + ScriptRunner.describe(e);
    }

    /** Whether {@code code} only needs more lines to parse (an open bracket, string or block at its end). */
    public boolean incomplete(String code) {
        if (DslSyntax.endsOpen(code)) {
            return true;
        }
        try { // parse only: no class is generated or loaded for a check
            CompilationUnit unit = new CompilationUnit(config);
            unit.addSource("check.groovy", code);
            unit.compile(Phases.CONVERSION);
            return false;
        } catch (MultipleCompilationErrorsException e) {
            int lines = (int) code.lines().count();
            for (Message m : e.getErrorCollector().getErrors()) {
                if (m instanceof SyntaxErrorMessage s) {
                    String text = s.getCause().getMessage();
                    if (text.contains("<EOF>") || text.contains("not closed with '>'")
                            || s.getCause().getStartLine() > lines) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /**
     * The read-eval-print loop: a prompt, statements over as many lines as they need, each result printed, errors
     * as one line (the Java stack with {@code stacktrace}); {@code :exit} or the end of input ends it.
     */
    public void repl(BufferedReader in, PrintStream out, PrintStream err, boolean stacktrace) {
        out.println("Javaformers Groovy shell: the DSL (model, tokenizer, dataset, train, plot, ...) and the Java "
                + "API are loaded. :exit to leave.");
        StringBuilder pending = new StringBuilder();
        while (true) {
            out.print(pending.isEmpty() ? "jf> " : "... ");
            out.flush();
            String line;
            try {
                line = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line == null || (pending.isEmpty() && line.strip().equals(":exit"))) {
                out.println();
                return;
            }
            pending.append(line).append('\n');
            String code = pending.toString();
            if (code.isBlank() || incomplete(code)) {
                if (code.isBlank()) {
                    pending.setLength(0);
                }
                continue;
            }
            pending.setLength(0);
            try {
                Object value = evaluate(code);
                if (value != null) {
                    out.println("==> " + value);
                }
            } catch (MultipleCompilationErrorsException e) {
                err.println(e.getMessage().replace("startup failed:", "").strip());
            } catch (RuntimeException | Error e) {
                if (stacktrace) {
                    e.printStackTrace(err);
                } else {
                    err.println(ScriptRunner.describe(e));
                }
            }
        }
    }

    @Override
    public void close() {
        DslState.of(binding).close();
    }
}
