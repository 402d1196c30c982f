package dev.javaformers.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named tensors, as PyTorch's {@code state_dict()}, plus the file's string metadata. */
public final class StateDict {

    private final Map<String, HostTensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public HostTensor get(String name) {
        return tensors.get(name);
    }

    public StateDict put(String name, HostTensor tensor) {
        tensors.put(name, tensor);
        return this;
    }

    public HostTensor remove(String name) {
        return tensors.remove(name);
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    public Map<String, HostTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public int size() {
        return tensors.size();
    }

    /** String metadata ({@code __metadata__} in safetensors), e.g. {@code format=pt}. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Adds every tensor of {@code other}; a name present in both is an error naming {@code source}. */
    public void putAll(StateDict other, String source) {
        for (var e : other.tensors.entrySet()) {
            if (tensors.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new InvalidWeightsException(source + ": tensor " + e.getKey() + " appears in two shards");
            }
        }
    }
}
