package dev.javaformers.kernel;

import dev.javaformers.dsl.DslShell;
import dev.javaformers.train.Frontend;
import groovy.lang.Binding;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.SourceVersion;

/**
 * {@code %%groovy} cells, for our kernel and stock JJava kernels alike: one DSL shell per kernel, so variables and
 * the DSL's model, data and trainer carry over from cell to cell, and its {@code plot} and {@code train} show in
 * the notebook. Where the kernel can hand over its Java variables ({@link JavaVariables}, ours can), they are
 * shared both ways: Java's are in the Groovy binding, and what a Groovy cell sets is declared on the Java side.
 */
final class GroovyCells implements AutoCloseable {

    /** The Java cells' variables, as a kernel that runs JShell sees them. */
    interface JavaVariables {
        /** Every active variable by name, with its value. */
        Map<String, Object> values();

        /** Declares (or redeclares) a Java variable {@code name} holding {@code value}. */
        void declare(String name, Object value);
    }

    private final DslShell shell;
    private final JavaVariables java;

    /** {@code java} may be null: a kernel whose Java variables cannot be reached shares none. */
    GroovyCells(Frontend frontend, JavaVariables java) {
        this.shell = new DslShell(new Binding(), frontend);
        this.java = java;
    }

    /** Runs one cell's code and returns the value of its last statement; an error is shown as "line N: ...". */
    Object evaluate(String body) {
        try {
            return evaluateShared(body);
        } catch (org.codehaus.groovy.control.MultipleCompilationErrorsException e) {
            throw new JavaformersKernel.CellException(e.getMessage().replace("startup failed:", "").strip(), e);
        } catch (RuntimeException e) {
            throw new JavaformersKernel.CellException(shell.describeError(e), e);
        }
    }

    private Object evaluateShared(String body) {
        if (java == null) {
            return shell.evaluate(body);
        }
        Binding binding = shell.binding();
        Map<String, Object> fromJava = new HashMap<>(java.values());
        fromJava.forEach(binding::setVariable);
        Object result = shell.evaluate(body);
        for (Object entry : binding.getVariables().entrySet()) {
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
            String name = e.getKey().toString();
            Object value = e.getValue();
            if (value == null || !SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)
                    || value == fromJava.get(name)) {
                continue; // not a variable, or Java's own value, unchanged
            }
            java.declare(name, value);
        }
        return result;
    }

    @Override
    public void close() {
        shell.close();
    }
}
