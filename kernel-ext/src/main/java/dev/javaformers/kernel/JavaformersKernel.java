package dev.javaformers.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
            "dev.javaformers.models.*", "dev.javaformers.generation.*", "dev.javaformers.tokenize.*",
            "dev.javaformers.data.*", "dev.javaformers.onnx.*", "dev.javaformers.pipelines.*",
            "dev.javaformers.train.*", "dev.javaformers.chart.*", "ai.djl.ndarray.*", "java.nio.file.*", "java.util.*",
            "static org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.*");

    private final CapturingExecutionControl control = new CapturingExecutionControl();
    private final JShell shell;
    private final NotebookFrontend frontend = new NotebookFrontend(this);
    private final GroovyCells groovy = new GroovyCells(frontend, new JShellVariables());

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

    /** A line magic the kernel runs itself, before the cell's code: they change the class path or the source. */
    private static final List<String> KERNEL_MAGICS = List.of("classpath", "jars", "maven", "load");
    private static final java.util.regex.Pattern KERNEL_MAGIC = java.util.regex.Pattern.compile(
            "(?m)^[ \\t]*%(" + String.join("|", KERNEL_MAGICS) + ")[ \\t]+(.*)$");

    private static final java.util.regex.Pattern LINE_MAGIC =
            java.util.regex.Pattern.compile("(?m)^[ \\t]*%([A-Za-z]\\w*)");

    /** A line magic that neither the kernel nor the registry knows is refused before any of the cell runs. */
    private void checkLineMagics(String code) {
        java.util.regex.Matcher m = LINE_MAGIC.matcher(code);
        while (m.find()) {
            String name = m.group(1);
            if (KERNEL_MAGICS.contains(name) || magicsRegistry.getLineMagicNames().contains(name)) {
                continue;
            }
            java.util.Set<String> known = new java.util.TreeSet<>(KERNEL_MAGICS);
            known.addAll(magicsRegistry.getLineMagicNames());
            throw new CellException("Unknown line magic %" + name + "." + dev.javaformers.util.Names.didYouMean(
                    List.of(name), known) + " Line magics: %" + String.join(", %", known)
                    + "; cell magics (first line): %%time, %%groovy", null);
        }
    }

    /** The {@code %%groovy} cells of this kernel, with its Java variables shared (the extension runs them). */
    GroovyCells groovyCells() {
        return groovy;
    }

    /**
     * Runs a cell with this notebook as its {@link dev.javaformers.train.Frontend} (a Trainer made in it shows a
     * live display): {@code %%time} and {@code %%groovy}, the kernel's own line magics ({@code %classpath},
     * {@code %jars}, {@code %maven}, {@code %load}), the registry's magics, then each snippet in turn; returns the
     * last one's value (or null).
     */
    @Override
    public Object evalRaw(String code) {
        return dev.javaformers.train.Frontend.runWith(frontend, () -> evalCell(code));
    }

    private Object evalCell(String code) {
        if (code.startsWith("%%time")) {
            long start = System.nanoTime();
            try {
                return evalCell(afterFirstLine(code));
            } finally {
                io.out.printf("Wall time: %.3f s%n", (System.nanoTime() - start) / 1e9);
            }
        }
        if (code.startsWith("%%groovy")) { // through the registry, where the extension put the one implementation
            try {
                return magicsRegistry.evalCellMagic(this, "groovy", List.of(), afterFirstLine(code));
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        checkLineMagics(code);
        java.util.regex.Matcher m = KERNEL_MAGIC.matcher(code);
        StringBuilder expanded = new StringBuilder();
        while (m.find()) {
            List<String> args = List.of(m.group(2).strip().split("\\s+"));
            String replacement = "";
            try {
                switch (m.group(1)) {
                    case "classpath", "jars" -> args.forEach(path -> {
                        if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
                            throw new CellException("%" + m.group(1) + ": no such jar or folder: " + path, null);
                        }
                        addToClasspath(path);
                    });
                    case "maven" -> MavenMagic.resolve(args).forEach(jar -> addToClasspath(jar.toString()));
                    default -> replacement = java.nio.file.Files.readString(java.nio.file.Path.of(args.get(0)));
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new CellException("%" + m.group(1) + ": no such file: " + e.getFile()
                        + " (expected a file of Java code to run here)", e);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CellException(e.getMessage(), e);
            } catch (java.io.IOException e) {
                throw new CellException("%" + m.group(1) + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CellException("%" + m.group(1) + " interrupted", e);
            }
            m.appendReplacement(expanded, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(expanded);
        String source = magicParser.resolveMagics(expanded.toString());
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

    private static String afterFirstLine(String code) {
        int newline = code.indexOf('\n');
        return newline < 0 ? "" : code.substring(newline + 1);
    }

    /** The Java cells' variables as the Groovy cells see them: read from JShell, and declared back in it. */
    private final class JShellVariables implements GroovyCells.JavaVariables {
        @Override
        public Map<String, Object> values() {
            Map<String, Object> values = new java.util.HashMap<>();
            shell.variables().filter(v -> shell.status(v).isActive() && !v.name().startsWith("$")).forEach(v -> {
                Object value = valueOf(v.name());
                if (value != null) {
                    values.put(v.name(), value);
                }
            });
            return values;
        }

        @Override
        public void declare(String name, Object value) {
            Shared.put(name, value);
            shell.eval("var " + name + " = (" + visibleType(value.getClass()) + ") dev.javaformers.kernel.Shared.get(\""
                    + name + "\");");
        }
    }

    /** The value of a JShell variable, as an object. */
    private Object valueOf(String name) {
        Object value = null;
        for (SnippetEvent e : shell.eval(name + ";")) {
            Object v = control.take(e.value());
            value = e.exception() == null && v != null ? v : value;
            shell.drop(e.snippet());
        }
        return value;
    }

    /** The most specific public class of {@code type} that the cells can see (Groovy's own classes they cannot). */
    private static String visibleType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                if (java.lang.reflect.Modifier.isPublic(c.getModifiers()) && c.getCanonicalName() != null
                        && Class.forName(c.getName(), false, ClassLoader.getSystemClassLoader()) == c) {
                    return c.getCanonicalName();
                }
            } catch (ClassNotFoundException e) {
                // not visible: try its superclass
            }
        }
        return "Object";
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

    /** The line of the cell where a diagnostic points (positions count from the snippet's own start). */
    private static long lineOf(String cell, String snippet, Diag d) {
        String code = snippet.strip();
        int start = cell.indexOf(code);
        long at = start < 0 ? 0 : start + Math.max(0, d.getPosition() - snippet.indexOf(code));
        return cell.substring(0, (int) Math.min(at, cell.length())).chars().filter(c -> c == '\n').count() + 1;
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
                    if (frame.getClassName().startsWith("REPL.") || frame.getClassName().startsWith("jdk.")) {
                        break; // the rest is the kernel's own machinery
                    }
                    boolean cell = frame.getFileName() != null && frame.getFileName().startsWith("#");
                    lines.add(errorStyler.secondary("    at " + (cell ? "the cell, line " + frame.getLineNumber()
                            : frame.toString())));
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
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        // JShell documents the invocation around the cursor: "name(" when the cursor is on a method's name
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, end, true);
        if (docs.isEmpty()) {
            docs = shell.sourceCodeAnalysis().documentation(code.substring(0, end) + "(", end + 1, true);
        }
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
        control.interrupt(5000); // time for a Trainer to end its step and save, as on Ctrl-C
    }

    @Override
    public void onShutdown(boolean restart) {
        groovy.close();
        shell.close();
    }
}
