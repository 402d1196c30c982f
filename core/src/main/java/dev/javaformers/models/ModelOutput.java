package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a model's forward pass returns; {@link #loss()} is set when labels were given. */
public interface ModelOutput {

    default NDArray loss() {
        return null;
    }

    /** The head's logits, or null for outputs without them (the bare encoder's). */
    default NDArray logits() {
        return null;
    }

    /**
     * The arrays that are set, under transformers' names ({@code last_hidden_state}, {@code start_logits}, ...),
     * in the record's order: what {@code ModelOutput.keys()} and {@code out["logits"]} give in Python.
     */
    default Map<String, NDArray> asMap() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        if (!getClass().isRecord()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " is no record; override asMap()");
        }
        for (var component : getClass().getRecordComponents()) {
            try {
                if (component.getAccessor().invoke(this) instanceof NDArray array) {
                    out.put(component.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(
                            java.util.Locale.ROOT), array);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
