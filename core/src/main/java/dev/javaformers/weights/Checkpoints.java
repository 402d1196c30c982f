package dev.javaformers.weights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.hub.EntryNotFoundException;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and reads a model's weights the way transformers looks for them: {@code model.safetensors}, then its
 * sharded index, then {@code pytorch_model.bin}, then its index. Shards named by an index are fetched through
 * the same Hub code, so their names are checked like any other.
 */
public final class Checkpoints {

    public static final String SAFETENSORS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    public static final String PYTORCH = "pytorch_model.bin";
    public static final String PYTORCH_INDEX = "pytorch_model.bin.index.json";

    private Checkpoints() {}

    /** A state dict and the file it came from, for messages. */
    public record Loaded(StateDict stateDict, String source) {}

    /** Loads the weights of a local folder or a Hub repository. */
    public static Loaded load(String nameOrPath, HubOptions hub) {
        for (String file : new String[] {SAFETENSORS, SAFETENSORS_INDEX, PYTORCH, PYTORCH_INDEX}) {
            Optional<Path> found = Hub.cachedFileIfExists(nameOrPath, file, hub);
            if (found.isPresent()) {
                Path path = found.get();
                StateDict dict = file.endsWith(".json") ? readSharded(nameOrPath, path, hub) : read(path);
                return new Loaded(dict, nameOrPath + "/" + file);
            }
        }
        throw new InvalidWeightsException(nameOrPath + " has no weights: looked for " + SAFETENSORS + ", "
                + SAFETENSORS_INDEX + ", " + PYTORCH + " and " + PYTORCH_INDEX + ".");
    }

    /** Reads one weights file by its extension: {@code .safetensors}, or {@code .bin} / {@code .pt}. */
    public static StateDict read(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".safetensors")) {
            return Safetensors.read(file);
        }
        if (name.endsWith(".bin") || name.endsWith(".pt") || name.endsWith(".pth")) {
            return TorchCheckpoint.read(file);
        }
        throw new InvalidWeightsException(file + ": unknown weights format (expected .safetensors or .bin)");
    }

    private static StateDict readSharded(String nameOrPath, Path index, HubOptions hub) {
        JsonNode json;
        try {
            json = PyJson.read(index);
        } catch (IllegalArgumentException notJson) {
            throw new InvalidWeightsException(notJson.getMessage(), notJson);
        }
        JsonNode weightMap = json.path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new InvalidWeightsException(index + " has no 'weight_map' object naming the shard of each tensor");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.forEach(v -> {
            // a shard is a file beside the index: no folders, so that an index cannot point outside its repository
            if (!v.isTextual() || v.asText().isEmpty() || v.asText().contains("/") || v.asText().contains("\\")
                    || v.asText().equals("..") || v.asText().equals(".")) {
                throw new InvalidWeightsException(index + " names the shard " + v + "; expected the name of a file "
                        + "beside the index");
            }
            shards.add(v.asText());
        });
        StateDict all = new StateDict();
        for (String shard : shards) {
            Path file;
            try {
                file = Hub.cachedFile(nameOrPath, shard, hub);
            } catch (EntryNotFoundException missing) {
                throw new InvalidWeightsException(index + " names the shard " + shard + ", which " + nameOrPath
                        + " does not have", missing);
            }
            all.putAll(read(file), file.toString());
        }
        weightMap.fieldNames().forEachRemaining(name -> {
            if (!all.contains(name)) {
                throw new InvalidWeightsException(index + " names tensor " + name + " in shard "
                        + weightMap.get(name).asText() + ", which does not hold it");
            }
        });
        return all;
    }
}
