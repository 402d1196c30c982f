package dev.javaformers.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values passed from {@code %%groovy} cells to Java cells: the kernel declares each new Groovy variable in JShell as
 * {@code var name = (Type) Shared.get("name");}.
 */
public final class Shared {

    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();

    private Shared() {}

    public static Object get(String name) {
        return VALUES.get(name);
    }

    static void put(String name, Object value) {
        if (value == null) {
            VALUES.remove(name);
        } else {
            VALUES.put(name, value);
        }
    }
}
