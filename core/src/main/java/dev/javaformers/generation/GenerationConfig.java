package dev.javaformers.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubException;
import dev.javaformers.util.PyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * transformers' {@code GenerationConfig}: how {@code generate} decodes, with its names and defaults, read from and
 * written to {@code generation_config.json}. {@link #with(Map)} overrides values for one call
 * ({@code max_new_tokens}, {@code num_beams}, ...). {@code seed} is ours: it makes sampling reproducible.
 */
public final class GenerationConfig {

    public int maxLength = 20;
    public Integer maxNewTokens;
    public int minLength = 0;
    public Integer minNewTokens;
    /** true, false, or "never", as transformers takes it. */
    public Object earlyStopping = false;
    public boolean doSample = false;
    public int numBeams = 1;
    public double temperature = 1.0;
    public int topK = 50;
    public double topP = 1.0;
    public double repetitionPenalty = 1.0;
    public int noRepeatNgramSize = 0;
    public double lengthPenalty = 1.0;
    public int numReturnSequences = 1;
    public List<Integer> eosTokenId;
    public Integer padTokenId;
    public Integer bosTokenId;
    public List<List<Integer>> badWordsIds;
    public boolean useCache = true;
    /** Encoder-decoders such as BART: the token forced first, and the one forced when max_length is reached. */
    public Integer forcedBosTokenId;
    public Integer forcedEosTokenId;
    public Long seed;
    /** Keys this class does not know, kept so that a load and a save lose nothing. */
    public final Map<String, JsonNode> other = new TreeMap<>();

    private static final List<String> KEYS = List.of("max_length", "max_new_tokens", "min_length", "min_new_tokens",
            "early_stopping", "do_sample", "num_beams", "temperature", "top_k", "top_p", "repetition_penalty",
            "no_repeat_ngram_size", "length_penalty", "num_return_sequences", "eos_token_id", "pad_token_id",
            "bos_token_id", "bad_words_ids", "use_cache", "seed", "forced_bos_token_id", "forced_eos_token_id");

    /** The generation options this class knows, as transformers names them ({@code max_new_tokens}, ...). */
    public static List<String> keys() {
        return KEYS;
    }

    /**
     * What transformers derives from a model config that has no generation_config.json: the generation settings
     * every 4.x config still carries ({@code max_length}, {@code num_beams}, ...) and the special token ids.
     */
    public static GenerationConfig fromModelConfig(PretrainedConfig config) {
        GenerationConfig g = new GenerationConfig();
        g.maxLength = config.maxLength;
        g.minLength = config.minLength;
        g.doSample = config.doSample;
        g.earlyStopping = config.earlyStopping;
        g.numBeams = config.numBeams;
        g.temperature = config.temperature;
        g.topK = config.topK;
        g.topP = config.topP;
        g.repetitionPenalty = config.repetitionPenalty;
        g.lengthPenalty = config.lengthPenalty;
        g.noRepeatNgramSize = config.noRepeatNgramSize;
        g.badWordsIds = config.badWordsIds;
        g.numReturnSequences = config.numReturnSequences;
        g.eosTokenId = config.eosTokenId == null ? null : config.eosTokenIds();
        g.padTokenId = config.padTokenId;
        g.bosTokenId = config.bosTokenId;
        g.forcedBosTokenId = config.forcedBosTokenId;
        g.forcedEosTokenId = config.forcedEosTokenId;
        if (config.decoderStartTokenId != null) {
            g.other.put("decoder_start_token_id", PyJson.MAPPER.getNodeFactory().numberNode(
                    config.decoderStartTokenId));
        }
        g.other.put("_from_model_config", PyJson.MAPPER.getNodeFactory().booleanNode(true));
        return g;
    }

    /**
     * The generation config of a model folder or Hub repository: its {@code generation_config.json}, or, when it
     * has none, the one derived from {@code config}.
     */
    public static GenerationConfig forModel(String nameOrPath, PretrainedConfig config) {
        Path file = null;
        if (nameOrPath != null && !nameOrPath.isEmpty()) {
            Path local = Path.of(nameOrPath).resolve("generation_config.json");
            if (Files.isRegularFile(local)) {
                file = local;
            } else if (!Files.isDirectory(Path.of(nameOrPath))) {
                try {
                    file = Hub.cachedFile(nameOrPath, "generation_config.json", dev.javaformers.hub.HubOptions
                            .defaults());
                } catch (HubException | IllegalArgumentException e) {
                    file = null; // the repository has none: derive it, as transformers does
                }
            }
        }
        return file != null ? read(file) : fromModelConfig(config);
    }

    /** Reads a {@code generation_config.json}; a key of the wrong type is an error naming the file and key. */
    public static GenerationConfig read(Path file) {
        JsonNode node = PyJson.read(file);
        if (!(node instanceof ObjectNode json)) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        return fromJson(json, file.toString());
    }

    private static GenerationConfig fromJson(ObjectNode json, String source) {
        GenerationConfig g = new GenerationConfig();
        Map<String, Object> values = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            if (KEYS.contains(e.getKey())) {
                values.put(e.getKey(), PyJson.MAPPER.convertValue(e.getValue(), Object.class));
            } else {
                g.other.put(e.getKey(), e.getValue());
            }
        });
        try {
            g.set(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        return g;
    }

    /** A copy with {@code overrides} (transformers' names, snake_case) applied. */
    public GenerationConfig with(Map<String, ?> overrides) {
        GenerationConfig copy = fromJson(toJson(), "generation config");
        copy.set(overrides);
        return copy;
    }

    private void set(Map<String, ?> values) {
        values.forEach((key, v) -> {
            try {
                switch (key) {
                    case "max_length" -> maxLength = integer(v);
                    case "max_new_tokens" -> maxNewTokens = v == null ? null : integer(v);
                    case "min_length" -> minLength = integer(v);
                    case "min_new_tokens" -> minNewTokens = v == null ? null : integer(v);
                    case "early_stopping" -> earlyStopping = v instanceof Boolean || "never".equals(v) ? v
                            : fail("true, false or \"never\"");
                    case "do_sample" -> doSample = (Boolean) v;
                    case "num_beams" -> numBeams = integer(v);
                    case "temperature" -> temperature = ((Number) v).doubleValue();
                    case "top_k" -> topK = integer(v);
                    case "top_p" -> topP = ((Number) v).doubleValue();
                    case "repetition_penalty" -> repetitionPenalty = ((Number) v).doubleValue();
                    case "no_repeat_ngram_size" -> noRepeatNgramSize = integer(v);
                    case "length_penalty" -> lengthPenalty = ((Number) v).doubleValue();
                    case "num_return_sequences" -> numReturnSequences = integer(v);
                    case "eos_token_id" -> eosTokenId = v == null ? null : v instanceof List<?> l
                            ? l.stream().map(GenerationConfig::integer).toList() : List.of(integer(v));
                    case "pad_token_id" -> padTokenId = v == null ? null : integer(v);
                    case "bos_token_id" -> bosTokenId = v == null ? null : integer(v);
                    case "bad_words_ids" -> badWordsIds = v == null ? null : ((List<?>) v).stream()
                            .map(w -> ((List<?>) w).stream().map(GenerationConfig::integer).toList()).toList();
                    case "use_cache" -> useCache = (Boolean) v;
                    case "seed" -> seed = v == null ? null : ((Number) v).longValue();
                    case "forced_bos_token_id" -> forcedBosTokenId = v == null ? null : integer(v);
                    case "forced_eos_token_id" -> forcedEosTokenId = v == null ? null : integer(v);
                    default -> throw new IllegalArgumentException("unknown generation option '" + key + "'."
                            + dev.javaformers.util.Names.didYouMean(List.of(key), KEYS) + " Known: " + KEYS);
                }
            } catch (ClassCastException e) {
                throw new IllegalArgumentException("key '" + key + "' has the wrong type: " + v, e);
            }
        });
    }

    private static Object fail(String expected) {
        throw new IllegalArgumentException("expects " + expected);
    }

    private static int integer(Object v) {
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new ClassCastException("not an integer: " + v);
    }

    /** As {@code generation_config.json} holds it: keys that differ from the defaults, and the kept ones. */
    public ObjectNode toJson() {
        ObjectNode defaults = PyJson.MAPPER.valueToTree(new GenerationConfig().values());
        ObjectNode mine = PyJson.MAPPER.valueToTree(values());
        ObjectNode out = PyJson.MAPPER.createObjectNode();
        mine.fields().forEachRemaining(e -> {
            if (!e.getValue().equals(defaults.get(e.getKey()))) {
                out.set(e.getKey(), e.getValue());
            }
        });
        other.forEach(out::set);
        return out;
    }

    private Map<String, Object> values() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("max_length", maxLength);
        v.put("max_new_tokens", maxNewTokens);
        v.put("min_length", minLength);
        v.put("min_new_tokens", minNewTokens);
        v.put("early_stopping", earlyStopping);
        v.put("do_sample", doSample);
        v.put("num_beams", numBeams);
        v.put("temperature", temperature);
        v.put("top_k", topK);
        v.put("top_p", topP);
        v.put("repetition_penalty", repetitionPenalty);
        v.put("no_repeat_ngram_size", noRepeatNgramSize);
        v.put("length_penalty", lengthPenalty);
        v.put("num_return_sequences", numReturnSequences);
        v.put("eos_token_id", eosTokenId == null ? null : eosTokenId.size() == 1 ? eosTokenId.get(0)
                : new ArrayList<>(eosTokenId));
        v.put("pad_token_id", padTokenId);
        v.put("bos_token_id", bosTokenId);
        v.put("bad_words_ids", badWordsIds);
        v.put("use_cache", useCache);
        v.put("seed", seed);
        v.put("forced_bos_token_id", forcedBosTokenId);
        v.put("forced_eos_token_id", forcedEosTokenId);
        return v;
    }

    /** Writes {@code dir/generation_config.json} atomically, keys sorted and indented as transformers writes it. */
    public Path save(Path dir) {
        Path file = dir.resolve("generation_config.json");
        PyJson.writeFile(file, toJson(), true);
        return file;
    }

    @Override
    public String toString() {
        return "GenerationConfig " + toJson();
    }
}
