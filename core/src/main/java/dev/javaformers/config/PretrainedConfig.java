package dev.javaformers.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.Kwargs;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields every transformers configuration has, with transformers' defaults. Subclasses add an
 * architecture's fields as public camelCase fields named after the snake_case keys of {@code config.json}.
 * Keys that no field names are kept in {@link #extra()} and written back on {@link #save}.
 *
 * <p>A subclass needs a public no-argument constructor that sets its defaults, and overrides
 * {@link #getModelType()}; {@link #attributeMap()} gives its aliases ({@code hidden_size} for DistilBERT's
 * {@code dim}).
 */
public class PretrainedConfig {

    /** Short names accepted in overrides, as in the DSL ({@code heads 12}). */
    private static final Map<String, String> SHORT_NAMES = Map.of(
            "heads", "num_attention_heads",
            "layers", "num_hidden_layers",
            "hidden", "hidden_size");
    private static final Set<String> PROBLEM_TYPES =
            Set.of("regression", "single_label_classification", "multi_label_classification");

    @JsonProperty("_name_or_path")
    public String nameOrPath = "";
    public boolean returnDict = true;
    public boolean outputHiddenStates = false;
    public boolean outputAttentions = false;
    public boolean torchscript = false;
    public String torchDtype = null;
    public boolean useBfloat16 = false;
    public boolean tfLegacyLoss = false;
    public Map<String, List<Integer>> prunedHeads = new TreeMap<>();
    public boolean tieWordEmbeddings = true;
    public boolean isEncoderDecoder = false;
    public boolean isDecoder = false;
    public Integer crossAttentionHiddenSize = null;
    public boolean addCrossAttention = false;
    public boolean tieEncoderDecoder = false;
    public int chunkSizeFeedForward = 0;
    public List<String> architectures = null;
    public String finetuningTask = null;
    public Map<Integer, String> id2label = defaultLabels(2);
    public Map<String, Integer> label2id = inverse(id2label);
    public String tokenizerClass = null;
    public String prefix = null;
    public Integer bosTokenId = null;
    public Integer padTokenId = null;
    /** One id or a list of ids (Llama 3 files end on any of several). */
    public Object eosTokenId = null;
    public Integer sepTokenId = null;
    public Integer decoderStartTokenId = null;
    public Map<String, Object> taskSpecificParams = null;
    public String problemType = null;
    public String transformersVersion = null;

    // Generation settings, still part of every config in transformers 4.x.
    public int maxLength = 20;
    public int minLength = 0;
    public boolean doSample = false;
    public boolean earlyStopping = false;
    public int numBeams = 1;
    public int numBeamGroups = 1;
    public double diversityPenalty = 0.0;
    public double temperature = 1.0;
    public int topK = 50;
    public double topP = 1.0;
    public double typicalP = 1.0;
    public double repetitionPenalty = 1.0;
    public double lengthPenalty = 1.0;
    public int noRepeatNgramSize = 0;
    public int encoderNoRepeatNgramSize = 0;
    public List<List<Integer>> badWordsIds = null;
    public int numReturnSequences = 1;
    public boolean outputScores = false;
    public boolean returnDictInGenerate = false;
    public Integer forcedBosTokenId = null;
    public Integer forcedEosTokenId = null;
    public boolean removeInvalidValues = false;
    public List<Object> exponentialDecayLengthPenalty = null;
    public List<Integer> suppressTokens = null;
    public List<Integer> beginSuppressTokens = null;

    private final Map<String, Object> extra = new LinkedHashMap<>();

    /** transformers' {@code model_type}: empty for the base class. */
    @JsonProperty(value = "model_type", access = JsonProperty.Access.READ_ONLY)
    public String getModelType() {
        return "";
    }

    /** Aliases of this architecture: alias key to the key it stands for ({@code hidden_size -> dim}). */
    public Map<String, String> attributeMap() {
        return Map.of();
    }

    /** The number of labels: the size of {@link #id2label}. */
    public int numLabels() {
        return id2label == null ? 0 : id2label.size();
    }

    /** Sets the number of labels; a new count gives the labels {@code LABEL_0 ... LABEL_n-1}, as transformers. */
    @JsonSetter("num_labels")
    public void setNumLabels(int numLabels) {
        if (id2label == null || id2label.size() != numLabels) {
            id2label = defaultLabels(numLabels);
            label2id = inverse(id2label);
        }
    }

    /** Sets the labels by name: id {@code i} is {@code names.get(i)}; {@link #label2id} follows. */
    public void setLabels(List<String> names) {
        Map<Integer, String> labels = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            labels.put(i, names.get(i));
        }
        id2label = labels;
        label2id = inverse(labels);
    }

    /** Keys of {@code config.json} that no field of this class names, kept as read. */
    @JsonAnyGetter
    public Map<String, Object> extra() {
        return extra;
    }

    @JsonAnySetter
    void putExtra(String key, Object value) {
        extra.put(key, value);
    }

    /** The value of a key, an alias or a short name ({@code "hidden_size"}, {@code "heads"}), or null. */
    public Object get(String key) {
        JsonNode value = ConfigJson.MAPPER.valueToTree(this).get(canonicalKey(key));
        return value == null ? null : ConfigJson.MAPPER.convertValue(value, Object.class);
    }

    /** Sets one key, as {@link #update} does. */
    public PretrainedConfig set(String key, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(key, value);
        update(one);
        return this;
    }

    /**
     * Applies overrides (transformers' {@code config_kwargs}): keys in snake_case or camelCase, aliases from
     * {@link #attributeMap()}, or DSL short names. A key this config does not have is refused, naming the
     * keys it has; use {@link #updateReturningUnused} to get such keys back instead.
     */
    public PretrainedConfig update(Map<String, ?> overrides) {
        Map<String, Object> unused = updateReturningUnused(overrides);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no key" + (unused.size() > 1
                    ? "s " : " ") + unused.keySet() + "." + dev.javaformers.util.Names.didYouMean(unused.keySet(),
                    knownKeys()) + " Known keys: " + knownKeys()
                    + ". (Ask for unknown keys back with returnUnusedKwargs.)");
        }
        return this;
    }

    /** Applies the overrides this config knows and returns the others, as {@code return_unused_kwargs=True}. */
    public Map<String, Object> updateReturningUnused(Map<String, ?> overrides) {
        Kwargs kwargs = Kwargs.of(overrides);
        Integer numLabels = null;
        if (kwargs.has("num_labels")) {
            numLabels = ((Number) kwargs.pop("num_labels")).intValue();
            Object given = kwargs.remaining().get("id2label");
            if (given instanceof Map<?, ?> map && map.size() != numLabels) {
                throw new IllegalArgumentException("num_labels=" + numLabels + " contradicts id2label " + given
                        + " (" + map.size() + " labels); pass only one of them.");
            }
        }
        Set<String> known = knownKeys();
        ObjectNode patch = ConfigJson.MAPPER.createObjectNode();
        Map<String, Object> unused = new LinkedHashMap<>();
        kwargs.remaining().forEach((key, value) -> {
            String name = canonicalKey(key);
            if (known.contains(name)) {
                patch.set(name, ConfigJson.MAPPER.valueToTree(value));
            } else {
                unused.put(key, value);
            }
        });
        try {
            ConfigJson.MAPPER.readerForUpdating(this).readValue(patch);
        } catch (JsonMappingException e) {
            throw ConfigJson.badValue("override of " + getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (patch.has("id2label") && !patch.has("label2id")) {
            label2id = inverse(id2label);
        }
        if (numLabels != null) {
            setNumLabels(numLabels);
        }
        validate();
        return unused;
    }

    /** The real key for a key, alias or short name: {@code heads} is DistilBERT's {@code n_heads}. */
    public String canonicalKey(String key) {
        String snake = Kwargs.snakeCase(key);
        snake = SHORT_NAMES.getOrDefault(snake, snake);
        return attributeMap().getOrDefault(snake, snake);
    }

    /** Every key this config has: its fields and the extra keys it was read with. */
    public Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(ConfigJson.knownKeys(getClass()));
        keys.addAll(extra.keySet());
        keys.add("num_labels");
        return keys;
    }

    /** {@code eos_token_id} as a list: empty when there is none. */
    public List<Integer> eosTokenIds() {
        if (eosTokenId == null) {
            return List.of();
        }
        return eosTokenId instanceof List<?> ids ? ids.stream().map(id -> ((Number) id).intValue()).toList()
                : List.of(((Number) eosTokenId).intValue());
    }

    /** Checks values that transformers checks when a config is built. */
    protected void validate() {
        boolean ids = eosTokenId == null || eosTokenId instanceof Integer
                || eosTokenId instanceof List<?> l && l.stream().allMatch(Integer.class::isInstance);
        if (!ids) {
            throw new IllegalArgumentException("eos_token_id must be a token id or a list of token ids, got "
                    + eosTokenId);
        }
        if (problemType != null && !PROBLEM_TYPES.contains(problemType)) {
            throw new IllegalArgumentException("problem_type must be one of " + new TreeSet<>(PROBLEM_TYPES)
                    + ", got '" + problemType + "'");
        }
    }

    /** Every key and value, as transformers' {@code to_dict()}. */
    public Map<String, Object> toDict() {
        return ConfigJson.MAPPER.convertValue(toJsonTree(), ConfigJson.MAP_TYPE);
    }

    private ObjectNode toJsonTree() {
        return ConfigJson.MAPPER.valueToTree(this);
    }

    /**
     * The JSON that {@code save_pretrained} writes: keys sorted, and base-class keys left out where they hold
     * the default, as transformers' {@code to_diff_dict()} does.
     */
    public String toJsonString() {
        ObjectNode full = toJsonTree();
        ObjectNode base = ConfigJson.MAPPER.valueToTree(new PretrainedConfig());
        ObjectNode classDefaults = ConfigJson.MAPPER.valueToTree(newInstance(getClass()));
        for (Iterator<String> it = full.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            boolean baseKey = base.has(key) && !key.equals("transformers_version") && !key.equals("model_type");
            if (baseKey && full.get(key).equals(base.get(key)) && full.get(key).equals(classDefaults.get(key))) {
                it.remove();
            }
        }
        return PyJson.dumps(full, true) + "\n";
    }

    /** Writes {@code dir/config.json} (atomically) and returns its path. */
    public Path save(Path dir) {
        Path file = dir.resolve("config.json");
        dev.javaformers.util.AtomicFiles.writeString(file, toJsonString());
        return file;
    }

    /** A deep copy. */
    public PretrainedConfig copy() {
        return ConfigJson.MAPPER.convertValue(toJsonTree(), getClass());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + " " + toJsonString();
    }

    static Map<Integer, String> defaultLabels(int n) {
        Map<Integer, String> labels = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            labels.put(i, "LABEL_" + i);
        }
        return labels;
    }

    static Map<String, Integer> inverse(Map<Integer, String> id2label) {
        Map<String, Integer> out = new TreeMap<>();
        id2label.forEach((id, label) -> out.put(label, id));
        return out;
    }

    static <T extends PretrainedConfig> T newInstance(Class<T> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalArgumentException(type.getName() + " needs a public no-argument constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Could not create " + type.getName() + ": " + e.getCause(), e);
        }
    }
}
