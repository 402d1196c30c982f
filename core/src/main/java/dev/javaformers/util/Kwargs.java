package dev.javaformers.util;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keyword arguments as transformers takes them ({@code revision="v1", num_labels=3}), from a Java or Groovy map.
 * Keys may be written in snake_case or camelCase; both name the same argument. Each consumer pops the keys it
 * knows, and whatever is left over is reported, as Python does with unexpected keyword arguments.
 */
public final class Kwargs {

    private final Map<String, Object> values = new LinkedHashMap<>();

    private Kwargs() {}

    /** Copies {@code map} (which may be null), normalising each key to snake_case. */
    public static Kwargs of(Map<String, ?> map) {
        Kwargs kwargs = new Kwargs();
        if (map != null) {
            map.forEach((k, v) -> kwargs.values.put(snakeCase(k), v));
        }
        return kwargs;
    }

    /** {@code "numLabels"} becomes {@code "num_labels"}; a key already in snake_case is kept. */
    public static String snakeCase(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && key.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public Object pop(String key) {
        return values.remove(key);
    }

    public String popString(String key) {
        Object v = values.remove(key);
        return v == null ? null : v.toString();
    }

    /** Pops a boolean; absent gives {@code defaultValue}; "true"/"1"/"yes" strings are accepted. */
    public boolean popBoolean(String key, boolean defaultValue) {
        Object v = values.remove(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return isTruthy(v.toString());
    }

    /** The values Python's huggingface_hub reads as true in an environment variable. */
    public static boolean isTruthy(String value) {
        return value != null && switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }

    /** The keys not yet consumed, in the order given. */
    public Map<String, Object> remaining() {
        return new LinkedHashMap<>(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
