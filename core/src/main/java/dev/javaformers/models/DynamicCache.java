package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values a decoder has computed so far, per layer [batch, heads, tokens, head size], as transformers'
 * {@code DynamicCache} ({@code past_key_values}): pass it back to the next forward pass and only the new tokens
 * are computed. The arrays live in the manager of the inputs that made them.
 */
public final class DynamicCache {

    private final List<NDArray> keys = new ArrayList<>();
    private final List<NDArray> values = new ArrayList<>();

    /** Appends a layer's new keys and values along the tokens and returns the whole of them. */
    public NDArray[] update(int layer, NDArray key, NDArray value) {
        if (layer == keys.size()) {
            keys.add(key);
            values.add(value);
        } else { // the old arrays are replaced, and freed: a long generation keeps one copy per layer
            NDArray oldKey = keys.get(layer);
            NDArray oldValue = values.get(layer);
            keys.set(layer, oldKey.concat(key, 2));
            values.set(layer, oldValue.concat(value, 2));
            oldKey.close();
            oldValue.close();
        }
        return new NDArray[] {keys.get(layer), values.get(layer)};
    }

    /** A layer's keys and values, or null when the layer holds none yet (cross-attention fills it once). */
    public NDArray[] get(int layer) {
        return layer < keys.size() ? new NDArray[] {keys.get(layer), values.get(layer)} : null;
    }

    /** How many tokens are cached (0 when empty). */
    public long seqLength() {
        return keys.isEmpty() ? 0 : keys.get(0).getShape().get(2);
    }

    public int numLayers() {
        return keys.size();
    }

    /** Moves the cached arrays into {@code manager}, so that they outlive the step that made them. */
    public void attach(ai.djl.ndarray.NDManager manager) {
        keys.forEach(k -> k.attach(manager));
        values.forEach(v -> v.attach(manager));
    }

    /** Keeps, for each row of the next step, the cached row {@code rows[i]} (beam search reorders its beams). */
    public void reorder(NDArray rows) {
        for (int i = 0; i < keys.size(); i++) {
            NDArray oldKey = keys.get(i);
            NDArray oldValue = values.get(i);
            keys.set(i, oldKey.get(rows));
            values.set(i, oldValue.get(rows));
            oldKey.close();
            oldValue.close();
        }
    }
}
