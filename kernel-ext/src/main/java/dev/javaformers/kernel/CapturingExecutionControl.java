package dev.javaformers.kernel;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in the kernel's own JVM and keeps each snippet's value as an object, so the kernel can
 * render it (a chart as PNG, a table as HTML) rather than only print its {@code toString}. JShell receives a key
 * in place of the value's text; {@link #take} turns the key back into the object.
 */
final class CapturingExecutionControl extends DirectExecutionControl {

    private static final String PREFIX = "\u0000value:";
    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();
    private volatile Thread running;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        running = Thread.currentThread();
        try {
            Object value = doitMethod.invoke(null);
            String key = PREFIX + next.incrementAndGet();
            if (value != null) {
                values.put(key, value);
            }
            return key;
        } finally { // an exception goes on to JShell, which reports it as the snippet's EvalException
            running = null;
            // An interrupt left set would close the kernel's own sockets (NIO channels close on interrupt).
            Thread.interrupted();
        }
    }

    /** The object behind a value JShell reported, or null (no value, or not one of ours). */
    Object take(String reported) {
        return reported == null || !reported.startsWith(PREFIX) ? null : values.remove(reported);
    }

    /** Interrupts the running snippet; a snippet that ignores interrupts is stopped after {@code graceMillis}. */
    @SuppressWarnings({"deprecation", "removal"})
    void interrupt(long graceMillis) {
        Thread t = running;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            Thread.sleep(graceMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (running == t) {
            t.stop(); // Java 17 still has it: the only way to end a loop that never checks for interrupts
        }
    }

    /** Hands this instance to JShell. */
    ExecutionControlProvider provider() {
        CapturingExecutionControl self = this;
        return new ExecutionControlProvider() {
            @Override
            public String name() {
                return "javaformers";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return self;
            }
        };
    }
}
