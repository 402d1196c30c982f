package dev.javaformers.dsl;

import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The delegate of a configuration block: {@code { heads 12; labels(['neg', 'pos']) }} becomes
 * {@code [heads: 12, labels: ['neg', 'pos']]}.
 */
public final class Settings extends GroovyObjectSupport {

    private final Map<String, Object> values = new LinkedHashMap<>();

    @Override
    public Object invokeMethod(String name, Object args) {
        Object[] a = args instanceof Object[] array ? array : new Object[] {args};
        values.put(name, a.length == 1 ? a[0] : Arrays.asList(a));
        return this;
    }

    /** The settings a block makes (none for null). */
    public static Map<String, Object> of(Closure<?> block) {
        Settings settings = new Settings();
        if (block != null) {
            Closure<?> c = (Closure<?>) block.clone();
            c.setDelegate(settings);
            c.setResolveStrategy(Closure.DELEGATE_FIRST);
            c.call();
        }
        return settings.values;
    }
}
