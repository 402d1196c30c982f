package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.util.Kwargs;
import dev.javaformers.util.PyJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads a tokenizer as transformers' {@code AutoTokenizer}: {@code tokenizer.json} when the repository has one,
 * else a definition converted from {@code vocab.txt} (WordPiece), {@code vocab.json} + {@code merges.txt}
 * (byte-level BPE) or a SentencePiece model ({@code spiece.model}: T5; {@code source.spm} + {@code target.spm} +
 * {@code vocab.json}: Marian, which is always converted, as transformers has no fast Marian tokenizer;
 * {@code tokenizer.model}: Llama); settings from {@code tokenizer_config.json} and {@code special_tokens_map.json}. Every file
 * comes through the hub code (never through the Rust library's own downloader).
 */
public final class AutoTokenizer {

    /** Settings a caller may override, as transformers' tokenizer init kwargs. */
    private static final Set<String> SETTINGS = Set.of("model_max_length", "padding_side", "truncation_side",
            "do_lower_case", "strip_accents", "tokenize_chinese_chars", "add_prefix_space", "model_input_names",
            "clean_up_tokenization_spaces", "additional_special_tokens", "bos_token", "eos_token", "unk_token",
            "sep_token", "pad_token", "cls_token", "mask_token", "add_bos_token", "add_eos_token", "chat_template");
    private static final Map<Class<? extends PretrainedConfig>, Class<? extends PreTrainedTokenizer>> REGISTRY =
            new ConcurrentHashMap<>();

    private AutoTokenizer() {}

    public static PreTrainedTokenizer fromPretrained(String nameOrPath) {
        return fromPretrained(nameOrPath, Map.of());
    }

    /** Groovy's named arguments: {@code AutoTokenizer.fromPretrained('bert-base-cased', padding_side: 'left')}. */
    public static PreTrainedTokenizer fromPretrained(Map<String, ?> kwargs, String nameOrPath) {
        return fromPretrained(nameOrPath, kwargs);
    }

    /**
     * Loads the tokenizer of a local folder or Hub repository. {@code kwargs}: Hub options ({@code revision},
     * {@code cache_dir}, {@code token}, ...), {@code use_fast} (always fast here), and settings that override the
     * saved ones ({@code model_max_length}, {@code padding_side}, {@code truncation_side}, {@code pad_token}, ...).
     */
    public static PreTrainedTokenizer fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        Kwargs kw = Kwargs.of(kwargs);
        kw.pop("use_fast");
        kw.pop("trust_remote_code");
        HubOptions hub = HubOptions.fromKwargs(kw);
        ObjectNode settings = PyJson.MAPPER.createObjectNode();
        Map<String, Object> unknown = new LinkedHashMap<>();
        kw.remaining().forEach((k, v) -> {
            if (SETTINGS.contains(k)) {
                settings.set(k, PyJson.MAPPER.valueToTree(v));
            } else {
                unknown.put(k, v);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown arguments for AutoTokenizer.fromPretrained(" + nameOrPath
                    + "): " + unknown.keySet() + ". Settings it takes: " + new java.util.TreeSet<>(SETTINGS));
        }
        PretrainedConfig modelConfig = Hub.cachedFileIfExists(nameOrPath, "config.json", hub).map(p -> {
            try {
                return AutoConfig.fromPretrained(p.toString());
            } catch (RuntimeException e) {
                return null; // a config we cannot read does not stop the tokenizer
            }
        }).orElse(null);
        TokenizerDefinition definition = definition(nameOrPath, hub, settings, modelConfig);
        return instantiate(tokenizerClass(modelConfig, definition.tokenizerConfig()), definition);
    }

    /**
     * Makes a custom tokenizer class the one loaded for models whose config is a {@code configClass}; the class
     * needs a public constructor taking a {@link TokenizerDefinition}.
     */
    public static void register(Class<? extends PretrainedConfig> configClass,
            Class<? extends PreTrainedTokenizer> tokenizerClass) {
        try {
            tokenizerClass.getConstructor(TokenizerDefinition.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(tokenizerClass.getName() + " needs a public constructor taking a "
                    + "TokenizerDefinition", e);
        }
        var previous = REGISTRY.putIfAbsent(configClass, tokenizerClass);
        if (previous != null) {
            throw new IllegalArgumentException(configClass.getSimpleName() + " already has the tokenizer "
                    + previous.getSimpleName());
        }
    }

    private static Class<? extends PreTrainedTokenizer> tokenizerClass(PretrainedConfig config, ObjectNode settings) {
        if (config != null) {
            for (Class<?> c = config.getClass(); c != PretrainedConfig.class; c = c.getSuperclass()) {
                var registered = REGISTRY.get(c);
                if (registered != null) {
                    return registered;
                }
            }
        }
        String named = settings.path("tokenizer_class").asText("");
        return REGISTRY.values().stream().filter(c -> named.equals(c.getSimpleName())
                || named.equals(c.getSimpleName() + "Fast")).findFirst().orElse(PreTrainedTokenizer.class);
    }

    private static PreTrainedTokenizer instantiate(Class<? extends PreTrainedTokenizer> type,
            TokenizerDefinition definition) {
        if (type == PreTrainedTokenizer.class) {
            return new PreTrainedTokenizer(definition);
        }
        try {
            return type.getConstructor(TokenizerDefinition.class).newInstance(definition);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not create " + type.getName(), e);
        }
    }

    /** Reads or converts the files of a tokenizer into a definition. */
    static TokenizerDefinition definition(String nameOrPath, HubOptions hub, ObjectNode overrides,
            PretrainedConfig modelConfig) {
        ObjectNode settings = PyJson.MAPPER.createObjectNode();
        optionalJson(nameOrPath, "tokenizer_config.json", hub).ifPresent(settings::setAll);
        optionalJson(nameOrPath, "special_tokens_map.json", hub).ifPresent(settings::setAll);
        settings.setAll(overrides);
        String type = modelConfig == null ? "" : modelConfig.getModelType();

        String tokenizerClass = settings.path("tokenizer_class").asText("");
        // transformers has no fast Marian tokenizer: its SentencePiece files are what a Marian repository means
        if (tokenizerClass.startsWith("MarianTokenizer") || type.equals("marian")) {
            Optional<Path> sourceSpm = Hub.cachedFileIfExists(nameOrPath, "source.spm", hub);
            if (sourceSpm.isPresent()) {
                return marian(nameOrPath, hub, settings, sourceSpm.get());
            }
        }
        Optional<Path> json = Hub.cachedFileIfExists(nameOrPath, "tokenizer.json", hub);
        if (json.isPresent()) {
            JsonNode node = PyJson.read(json.get());
            if (!(node instanceof ObjectNode tokenizer) || !tokenizer.has("model")) {
                throw new IllegalArgumentException(json.get() + " is not a tokenizer definition (no 'model' key)");
            }
            inferSpecialTokens(tokenizer, settings);
            return new TokenizerDefinition(tokenizer, settings, nameOrPath);
        }
        Optional<Path> vocabTxt = Hub.cachedFileIfExists(nameOrPath, "vocab.txt", hub);
        if (vocabTxt.isPresent()) {
            Map<String, String> special = specialTokens(settings, "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", null,
                    null);
            ObjectNode tokenizer = SlowTokenizerConverter.wordPiece(lines(vocabTxt.get()),
                    settings.path("do_lower_case").asBoolean(true),
                    settings.path("strip_accents").isBoolean() ? settings.get("strip_accents").asBoolean() : null,
                    settings.path("tokenize_chinese_chars").asBoolean(true), special);
            special.forEach(settings::put);
            return new TokenizerDefinition(tokenizer, settings, nameOrPath);
        }
        Optional<Path> vocabJson = Hub.cachedFileIfExists(nameOrPath, "vocab.json", hub);
        Optional<Path> merges = Hub.cachedFileIfExists(nameOrPath, "merges.txt", hub);
        if (vocabJson.isPresent() && merges.isPresent()) {
            boolean roberta = type.equals("roberta") || settings.path("tokenizer_class").asText("").contains("Roberta");
            Map<String, String> special = roberta
                    ? specialTokens(settings, "<s>", "</s>", "<pad>", "<unk>", "<mask>", "<s>", "</s>")
                    : specialTokens(settings, null, null, null, "<|endoftext|>", null, "<|endoftext|>", "<|endoftext|>");
            Map<String, Integer> vocab = byteLevelVocab(vocabJson.get());
            List<String> mergeLines = lines(merges.get()).stream()
                    .filter(l -> !l.startsWith("#version") && !l.isBlank()).toList();
            checkMerges(merges.get(), mergeLines, vocab);
            ObjectNode tokenizer = SlowTokenizerConverter.byteLevelBpe(vocab, mergeLines,
                    settings.path("add_prefix_space").asBoolean(false), roberta, special);
            special.forEach(settings::put);
            return new TokenizerDefinition(tokenizer, settings, nameOrPath);
        }
        Optional<Path> spiece = Hub.cachedFileIfExists(nameOrPath, "spiece.model", hub);
        if (spiece.isPresent()) {
            if (!tokenizerClass.isEmpty() && !tokenizerClass.startsWith("T5Tokenizer")) {
                throw new IllegalArgumentException(nameOrPath + ": converting the SentencePiece model of a "
                        + tokenizerClass + " is not supported (T5Tokenizer, MarianTokenizer and LlamaTokenizer are); "
                        + "save it once with Python's AutoTokenizer.from_pretrained(...).save_pretrained(...) to get "
                        + "a tokenizer.json");
            }
            Map<String, String> special = specialTokens(settings, null, null, "<pad>", "<unk>", null, null, "</s>");
            int extraIds = settings.path("extra_ids").asInt(100);
            ObjectNode tokenizer = SentencePieceConverter.t5(SentencePieceModel.read(spiece.get()), extraIds, special);
            special.forEach(settings::put);
            if (!settings.has("additional_special_tokens")) {
                var extra = settings.putArray("additional_special_tokens");
                for (int i = 0; i < extraIds; i++) {
                    extra.add("<extra_id_" + i + ">");
                }
            }
            return new TokenizerDefinition(tokenizer, settings, nameOrPath, null, Map.of("spiece.model", spiece.get()));
        }
        Optional<Path> llama = Hub.cachedFileIfExists(nameOrPath, "tokenizer.model", hub);
        if (llama.isPresent()) {
            Map<String, String> special = specialTokens(settings, null, null, null, "<unk>", null, "<s>", "</s>");
            ObjectNode tokenizer = SentencePieceConverter.llama(SentencePieceModel.read(llama.get()));
            special.forEach(settings::put);
            if (tokenizerClass.isEmpty()) {
                settings.put("tokenizer_class", "LlamaTokenizer"); // what a bare tokenizer.model is in transformers
            }
            return new TokenizerDefinition(tokenizer, settings, nameOrPath, null,
                    Map.of("tokenizer.model", llama.get()));
        }
        throw new IllegalArgumentException("Cannot load a tokenizer for " + nameOrPath + ": it has no tokenizer.json, "
                + "no vocab.txt (WordPiece), no vocab.json + merges.txt (byte-level BPE) and no SentencePiece model "
                + "(spiece.model, source.spm, tokenizer.model).");
    }

    /** MarianTokenizer: source.spm for inputs, target.spm for labels, ids from vocab.json. */
    private static TokenizerDefinition marian(String nameOrPath, HubOptions hub, ObjectNode settings,
            Path sourceSpm) {
        if (settings.path("separate_vocabs").asBoolean(false)) {
            throw new IllegalArgumentException(nameOrPath + ": Marian tokenizers with separate_vocabs=true "
                    + "(target_vocab.json) are not supported");
        }
        Path vocabFile = Hub.cachedFileIfExists(nameOrPath, "vocab.json", hub).orElseThrow(() ->
                new IllegalArgumentException(nameOrPath + " has source.spm but no vocab.json: a Marian tokenizer "
                        + "needs both"));
        Path targetSpm = Hub.cachedFileIfExists(nameOrPath, "target.spm", hub).orElse(sourceSpm);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        PyJson.read(vocabFile).fields().forEachRemaining(e -> {
            if (!e.getValue().canConvertToInt()) {
                throw new IllegalArgumentException(vocabFile + ": the id of " + e.getKey() + " is not an integer");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        });
        Map<String, String> special = specialTokens(settings, null, null, "<pad>", "<unk>", null, null, "</s>");
        ObjectNode source = SentencePieceConverter.marian(SentencePieceModel.read(sourceSpm), vocab, special);
        ObjectNode target = SentencePieceConverter.marian(SentencePieceModel.read(targetSpm), vocab, special);
        special.forEach(settings::put);
        return new TokenizerDefinition(source, settings, nameOrPath, target,
                Map.of("source.spm", sourceSpm, "target.spm", targetSpm, "vocab.json", vocabFile));
    }

    /** Special tokens from the settings, with an architecture's defaults where the settings name none. */
    private static Map<String, String> specialTokens(ObjectNode settings, String cls, String sep, String pad,
            String unk, String mask, String bos, String eos) {
        Map<String, String> out = new LinkedHashMap<>();
        String[][] defaults = {{"cls_token", cls}, {"sep_token", sep}, {"pad_token", pad}, {"unk_token", unk},
            {"mask_token", mask}, {"bos_token", bos}, {"eos_token", eos}};
        for (String[] d : defaults) {
            String given = PreTrainedTokenizer.tokenText(settings.get(d[0]));
            if (given != null || d[1] != null) {
                out.put(d[0], given != null ? given : d[1]);
            }
        }
        return out;
    }

    /** A bare tokenizer.json names no roles; the usual special tokens are recognised by their text. */
    private static void inferSpecialTokens(ObjectNode tokenizer, ObjectNode settings) {
        Map<String, String[]> known = Map.of(
                "pad_token", new String[] {"[PAD]", "<pad>"}, "unk_token", new String[] {"[UNK]", "<unk>"},
                "cls_token", new String[] {"[CLS]", "<s>"}, "sep_token", new String[] {"[SEP]", "</s>"},
                "mask_token", new String[] {"[MASK]", "<mask>"}, "bos_token", new String[] {"<s>", "<|endoftext|>"},
                "eos_token", new String[] {"</s>", "<|endoftext|>"});
        List<String> added = new ArrayList<>();
        tokenizer.path("added_tokens").forEach(t -> added.add(t.path("content").asText()));
        known.forEach((role, candidates) -> {
            if (!settings.has(role) || settings.get(role).isNull()) {
                for (String c : candidates) {
                    if (added.contains(c)) {
                        settings.put(role, c);
                        break;
                    }
                }
            }
        });
    }

    private static Optional<ObjectNode> optionalJson(String nameOrPath, String file, HubOptions hub) {
        return Hub.cachedFileIfExists(nameOrPath, file, hub).map(p -> {
            JsonNode node = PyJson.read(p);
            if (!(node instanceof ObjectNode o)) {
                throw new IllegalArgumentException(p + " must hold a JSON object");
            }
            return o;
        });
    }

    /** vocab.json: token to id, each id a whole number of at least 0. */
    private static Map<String, Integer> byteLevelVocab(Path file) {
        JsonNode json = PyJson.read(file);
        if (!json.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object of token: id");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> {
            if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber() || e.getValue().asInt() < 0) {
                throw new IllegalArgumentException(file + ": the id of " + PyJson.MAPPER.valueToTree(e.getKey())
                        + " is " + e.getValue() + ", not a whole number of at least 0");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        });
        return vocab;
    }

    /**
     * merges.txt: each line two tokens of the vocabulary, one space between them, whose joining is in the
     * vocabulary too (the Rust tokenizer would refuse the definition otherwise, naming no file).
     */
    private static void checkMerges(Path file, List<String> merges, Map<String, Integer> vocab) {
        for (int i = 0; i < merges.size(); i++) {
            String[] pair = merges.get(i).split(" ", -1);
            String problem = pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()
                    ? "expected two tokens separated by one space"
                    : !vocab.containsKey(pair[0]) || !vocab.containsKey(pair[1]) ? "a token not in vocab.json"
                    : !vocab.containsKey(pair[0] + pair[1]) ? "their joining is not in vocab.json" : null;
            if (problem != null) {
                throw new IllegalArgumentException(file + ": merge " + (i + 1) + " ("
                        + PyJson.MAPPER.valueToTree(merges.get(i)) + "): " + problem);
            }
        }
    }

    private static List<String> lines(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n", -1)) {
                out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
            }
            if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
