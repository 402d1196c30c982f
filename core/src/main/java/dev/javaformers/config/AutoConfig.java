package dev.javaformers.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.util.Kwargs;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code config.json} and returns the config class its {@code model_type} names, as transformers'
 * {@code AutoConfig}. The name may be a Hub repository ({@code "org/name"} or {@code "name"}), a local folder,
 * or the path of a JSON file.
 *
 * <pre>{@code
 * PretrainedConfig config = AutoConfig.fromPretrained("bert-base-cased", Map.of("num_labels", 3));
 * }</pre>
 */
public final class AutoConfig {

    private static final Logger LOG = LoggerFactory.getLogger(AutoConfig.class);
    private static final Map<String, Class<? extends PretrainedConfig>> REGISTRY = new ConcurrentHashMap<>();

    static {
        // every architecture folder lists itself as a service; the same checks as register
        for (ConfigType type : ServiceLoader.load(ConfigType.class, ConfigType.class.getClassLoader())) {
            register(type.modelType(), type.configClass());
        }
    }

    private AutoConfig() {}

    /** A config and the keyword arguments it did not use, as {@code return_unused_kwargs=True} gives. */
    public record ConfigAndUnused(PretrainedConfig config, Map<String, Object> unusedKwargs) {}

    public static PretrainedConfig fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    /**
     * Loads a config. {@code kwargs} holds Hub options ({@code revision}, {@code cache_dir}, {@code token},
     * {@code force_download}, {@code local_files_only}, {@code proxies}, {@code subfolder}),
     * {@code trust_remote_code}, and config overrides ({@code num_labels}, {@code heads}, ...); an override the
     * config does not have is refused.
     */
    public static PretrainedConfig fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        ConfigAndUnused loaded = load(nameOrPath, kwargs);
        if (!loaded.unusedKwargs().isEmpty()) {
            throw new IllegalArgumentException(loaded.config().getClass().getSimpleName() + " loaded from "
                    + nameOrPath + " has no key" + (loaded.unusedKwargs().size() > 1 ? "s " : " ")
                    + loaded.unusedKwargs().keySet() + "." + dev.javaformers.util.Names.didYouMean(
                    loaded.unusedKwargs().keySet(), loaded.config().knownKeys()) + " Known keys: "
                    + loaded.config().knownKeys()
                    + ". To get unknown keys back instead, use AutoConfig.fromPretrainedReturnUnused.");
        }
        return loaded.config();
    }

    /** Groovy's named arguments: {@code AutoConfig.fromPretrained('bert-base-cased', heads: 8)}. */
    public static PretrainedConfig fromPretrained(Map<String, ?> kwargs, String nameOrPath) {
        return fromPretrained(nameOrPath, kwargs);
    }

    /** Loads a config and hands back the keyword arguments it did not use (Python's return_unused_kwargs). */
    public static ConfigAndUnused fromPretrainedReturnUnused(String nameOrPath, Map<String, ?> kwargs) {
        return load(nameOrPath, kwargs);
    }

    /** A fresh config of a registered type with its defaults and {@code overrides} (transformers' for_model). */
    public static PretrainedConfig forModel(String modelType, Map<String, ?> overrides) {
        PretrainedConfig config = PretrainedConfig.newInstance(configClass(modelType, "AutoConfig.forModel"));
        return config.update(overrides);
    }

    /**
     * Makes a new architecture loadable by its {@code model_type}. The class's {@link
     * PretrainedConfig#getModelType()} must return the same name, and a name can be registered once.
     */
    public static void register(String modelType, Class<? extends PretrainedConfig> configClass) {
        String declared = PretrainedConfig.newInstance(configClass).getModelType();
        if (!modelType.equals(declared)) {
            throw new IllegalArgumentException(configClass.getSimpleName() + ".getModelType() returns '" + declared
                    + "', which does not match the model type '" + modelType + "' it is registered under.");
        }
        Class<? extends PretrainedConfig> previous = REGISTRY.putIfAbsent(modelType, configClass);
        if (previous != null) {
            throw new IllegalArgumentException("'" + modelType + "' is already registered, for "
                    + previous.getName() + "; pick another model type name.");
        }
    }

    /** The config class registered for {@code modelType}. */
    public static Class<? extends PretrainedConfig> configClass(String modelType, String source) {
        Class<? extends PretrainedConfig> type = REGISTRY.get(modelType);
        if (type == null) {
            throw new IllegalArgumentException(source + " has model_type '" + modelType + "', which is not "
                    + "registered. Known model types: " + new TreeMap<>(REGISTRY).keySet() + ". For a new "
                    + "architecture, register its config class: AutoConfig.register(\"" + modelType
                    + "\", MyConfig.class).");
        }
        return type;
    }

    private static ConfigAndUnused load(String nameOrPath, Map<String, ?> kwargs) {
        Kwargs kw = Kwargs.of(kwargs);
        boolean trustRemoteCode = kw.popBoolean("trust_remote_code", false);
        kw.pop("return_unused_kwargs");
        HubOptions hub = HubOptions.fromKwargs(kw);
        Path file = Files.isRegularFile(Path.of(nameOrPath)) ? Path.of(nameOrPath)
                : Hub.cachedFile(nameOrPath, "config.json", hub);
        PretrainedConfig config = fromJsonFile(file, nameOrPath, trustRemoteCode);
        Map<String, Object> unused = config.updateReturningUnused(kw.remaining());
        return new ConfigAndUnused(config, unused);
    }

    /** Reads one {@code config.json}; {@code name} is what the user asked for, used to guess a missing type. */
    static PretrainedConfig fromJsonFile(Path file, String name, boolean trustRemoteCode) {
        JsonNode node = PyJson.read(file);
        if (!(node instanceof ObjectNode json)) {
            throw new IllegalArgumentException(file + " must hold a JSON object, found " + node.getNodeType());
        }
        String modelType = json.path("model_type").isTextual() ? json.get("model_type").asText() : null;
        JsonNode autoConfig = json.path("auto_map").path("AutoConfig");
        if (!autoConfig.isMissingNode() && (modelType == null || !REGISTRY.containsKey(modelType))) {
            throw new IllegalArgumentException(file + " asks for custom code (auto_map.AutoConfig = " + autoConfig
                    + ") that is not part of Javaformers. Javaformers never runs code from a download"
                    + (trustRemoteCode ? ", trust_remote_code or not" : "") + ". Write the config in Java and "
                    + "register it: AutoConfig.register(\"" + (modelType == null ? "my-model" : modelType)
                    + "\", MyConfig.class).");
        }
        if (!autoConfig.isMissingNode()) {
            LOG.info("{} names custom code {}; using the registered {} instead", file, autoConfig,
                    REGISTRY.get(modelType).getSimpleName());
        }
        if (modelType == null) {
            modelType = REGISTRY.keySet().stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .filter(name::contains)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Unrecognized model in " + file + ": it has "
                            + "no 'model_type' key, and the name '" + name + "' contains none of the known types "
                            + new TreeMap<>(REGISTRY).keySet() + "."));
        }
        Class<? extends PretrainedConfig> type = configClass(modelType, file.toString());
        PretrainedConfig defaults = PretrainedConfig.newInstance(type);
        // An alias written as a key (num_attention_heads in a DistilBERT config) sets the real field.
        defaults.attributeMap().forEach((alias, real) -> {
            if (json.has(alias)) {
                json.set(real, json.remove(alias));
            }
        });
        if (json.has("num_labels") && json.has("id2label")) {
            json.remove("num_labels"); // id2label wins, as in transformers
        }
        try {
            PretrainedConfig config = ConfigJson.MAPPER.treeToValue(json, type);
            if (json.has("id2label") && !json.has("label2id") && config.id2label != null) {
                config.label2id = PretrainedConfig.inverse(config.id2label);
            }
            try {
                config.validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            return config;
        } catch (JsonMappingException e) {
            throw ConfigJson.badValue(file.toString(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
        }
    }
}
