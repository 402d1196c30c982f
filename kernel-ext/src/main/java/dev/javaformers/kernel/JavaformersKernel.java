package dev.javaformers.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;

/**
 * A Jupyter kernel for Java on JShell, in this JVM: cells are JShell snippets, the last expression's value is
 * rendered by the renderers ({@link JavaformersExtension}), magics are IJava's ({@code %%time}, {@code %classpath},
 * ...) plus {@code %%groovy}, and the Javaformers API is imported at startup.
 */
public final class JavaformersKernel extends BaseKernel {

    /** What every session imports first (the same as scripts/javaformers.jsh). */
    static final List<String> STARTUP_IMPORTS = List.of("dev.javaformers.hub.*", "dev.javaformers.config.*",
            "dev.javaformers.models.*", "dev.javaformers.tokenize.*", "dev.javaformers.data.*",
            "dev.javaformers.train.*", "dev.javaformers.chart.*", "ai.djl.ndarray.*", "java.nio.file.*", "java.util.*",
            "static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*");

    private final CapturingExecutionControl control = new CapturingExecutionControl();
    private final JShell shell;

    private JavaformersKernel(String name, String version, org.dflib.jjava.jupyter.kernel.history.HistoryManager
            history, org.dflib.jjava.jupyter.kernel.JupyterIO io, org.dflib.jjava.jupyter.kernel.comm.CommManager
            comms, org.dflib.jjava.jupyter.kernel.display.Renderer renderer, MagicParser magics,
            org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry registry, boolean extensions,
            org.dflib.jjava.jupyter.kernel.util.StringStyler errors) {
        super(name, version, new LanguageInfo.Builder("Java").version(Runtime.version().toString())
                .mimetype("text/x-java-source").fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(), history, io, comms, renderer, magics, registry, extensions, errors);
        shell = JShell.builder().executionEngine(control.provider(), java.util.Map.of()).build();
        for (String imp : STARTUP_IMPORTS) {
            shell.eval("import " + imp + ";");
        }
    }

    /** A kernel with the default settings of jjava-jupyter's builder. */
    public static JavaformersKernel create() {
        return new Builder().name("javaformers").version("0.1.0").build();
    }

    private static final class Builder extends BaseKernelBuilder<Builder, JavaformersKernel> {
        @Override
        public JavaformersKernel build() {
            // Line magics start a line ('%classpath x') or follow '=' ('var t = %time ...'), as in IJava.
            MagicParser magics = new MagicParser("(?<=(?:^|=))\\s*%", "%%", buildMagicTranspiler());
            return new JavaformersKernel(buildName(), buildVersion(), buildHistoryManager(),
                    buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(), magics,
                    buildMagicsRegistry(), buildExtensionsEnabled(), buildErrorStyler());
        }
    }

    @Override
    public String getBanner() {
        return "Javaformers: Java " + Runtime.version() + " on JShell, with the Javaformers API imported";
    }

    /** Adds jars or folders to the class path of the cells ({@code %classpath}, {@code %jars}). */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Runs a cell: magics first, then each snippet in turn; returns the last one's value (or null). */
    @Override
    public Object evalRaw(String code) {
        String source = magicParser.resolveMagics(code);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        String remaining = source;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            String snippet = info.completeness().isComplete() ? info.source() : remaining;
            remaining = info.completeness().isComplete() ? info.remaining() : "";
            if (!snippet.replaceAll("[\\s{};]", "").isEmpty()) { // the magics' transpiler ends cells with "{};"
                last = evalSnippet(snippet, code);
            }
        }
        return last;
    }

    private Object evalSnippet(String snippet, String cell) {
        Object value = null;
        for (SnippetEvent event : shell.eval(snippet)) {
            if (event.exception() != null) {
                throw new CellException(describe(event.exception()), event.exception());
            }
            if (event.status() == Snippet.Status.REJECTED) {
                List<String> errors = shell.diagnostics(event.snippet()).filter(Diag::isError)
                        .map(d -> "line " + lineOf(cell, snippet, d) + ": " + d.getMessage(null))
                        .collect(Collectors.toList());
                throw new CellException("Compile error\n" + String.join("\n", errors), null);
            }
            Snippet s = event.snippet();
            boolean expression = s.kind() == Snippet.Kind.EXPRESSION
                    || s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            Object v = control.take(event.value()); // a declaration's value is taken too, and dropped
            if (event.causeSnippet() == null && expression) {
                value = v;
            }
        }
        return value;
    }

    /** The line of the cell where a diagnostic points. */
    private static long lineOf(String cell, String snippet, Diag d) {
        int offset = cell.indexOf(snippet.strip());
        String upTo = offset < 0 ? "" : cell.substring(0, offset) + snippet.substring(0, (int) Math.max(0,
                Math.min(d.getPosition(), snippet.length())));
        return upTo.chars().filter(c -> c == '\n').count() + 1;
    }

    private static String describe(jdk.jshell.JShellException e) {
        if (e instanceof EvalException ee) {
            String message = ee.getMessage();
            return ee.getExceptionClassName() + (message == null ? "" : ": " + message);
        }
        if (e instanceof UnresolvedReferenceException ure) {
            return "Unresolved reference: " + ure.getSnippet().source();
        }
        return e.toString();
    }

    /** A cell that failed: the message is what the user sees, without the kernel's own stack. */
    public static final class CellException extends RuntimeException {
        CellException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException) {
            List<String> lines = new ArrayList<>(List.of(errorStyler.primary(e.getMessage()).split("\n")));
            if (e.getCause() instanceof EvalException ee) {
                for (StackTraceElement frame : ee.getStackTrace()) {
                    if (frame.getClassName().startsWith("REPL.")) {
                        break; // the rest is the kernel's own machinery
                    }
                    lines.add(errorStyler.secondary("    at " + frame));
                }
                for (Throwable c = ee.getCause(); c != null; c = c.getCause()) {
                    lines.add(errorStyler.primary("Caused by: " + (c instanceof EvalException ce
                            ? ce.getExceptionClassName() + ": " + ce.getMessage() : c.toString())));
                }
            }
            return lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, true);
        if (docs.isEmpty()) {
            return null;
        }
        DisplayData data = new DisplayData(docs.stream().map(d -> d.signature()
                + (d.javadoc() == null ? "" : "\n" + d.javadoc())).collect(Collectors.joining("\n\n")));
        return data;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(code, at,
                anchor);
        List<String> options = suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation).distinct()
                .collect(Collectors.toList());
        return options.isEmpty() ? null : new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c = shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        return c.isComplete() || c == SourceCodeAnalysis.Completeness.EMPTY ? IS_COMPLETE_YES
                : c == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE ? "" : IS_COMPLETE_MAYBE;
    }

    @Override
    public void interrupt() {
        control.interrupt(1000);
    }

    @Override
    public void onShutdown(boolean restart) {
        shell.close();
    }
}
