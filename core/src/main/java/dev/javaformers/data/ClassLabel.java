package dev.javaformers.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The names of a label column's classes, as {@code datasets.ClassLabel}: id {@code i} is {@code names().get(i)}.
 * {@link #id2label()} and {@link #label2id()} are what a model's config takes.
 */
public record ClassLabel(List<String> names) {

    public ClassLabel {
        names = List.copyOf(names);
    }

    public int numClasses() {
        return names.size();
    }

    /** The id of {@code name}; a name outside the classes is an error naming them. */
    public int encode(String name) {
        int id = names.indexOf(name);
        if (id < 0) {
            throw new IllegalArgumentException("'" + name + "' is not one of the classes " + names);
        }
        return id;
    }

    public String decode(int id) {
        if (id < 0 || id >= names.size()) {
            throw new IllegalArgumentException("class id " + id + " is outside 0.." + (names.size() - 1));
        }
        return names.get(id);
    }

    /** For a model config: {@code {0: "negative", 1: "positive"}}. */
    public Map<Integer, String> id2label() {
        Map<Integer, String> out = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(i, names.get(i));
        }
        return out;
    }

    public Map<String, Integer> label2id() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), i);
        }
        return out;
    }

    /**
     * What a model's config takes for these classes, as {@code from_pretrained} keyword arguments:
     * {@code num_labels}, {@code id2label} and {@code label2id}.
     */
    public Map<String, Object> configOverrides() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("num_labels", numClasses());
        out.put("id2label", id2label());
        out.put("label2id", label2id());
        return out;
    }
}
