package dev.javaformers.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.AtomicFiles;
import dev.javaformers.util.PyJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fast tokenizer as transformers' {@code PreTrainedTokenizerFast}: HuggingFace's Rust tokenizer (through DJL)
 * does the tokenizing and truncation; padding, its side and {@code pad_to_multiple_of} are applied here. Close
 * it to free the native tokenizers.
 *
 * <pre>{@code
 * try (var tokenizer = AutoTokenizer.fromPretrained("sentence-transformers/all-MiniLM-L6-v2")) {
 *     BatchEncoding batch = tokenizer.encode(List.of("Hello!", "A longer sentence."),
 *             Map.of("padding", true, "truncation", true, "return_tensors", "pt"));
 * }
 * }</pre>
 */
public class PreTrainedTokenizer implements AutoCloseable {

    /** transformers' stand-in for "no known maximum length". */
    public static final int VERY_LARGE_INTEGER = Integer.MAX_VALUE;
    static final String[] SPECIAL_ROLES = {
        "bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"
    };
    private static final Logger LOG = LoggerFactory.getLogger(PreTrainedTokenizer.class);
    private static final int MAX_VARIANTS = 8;

    private final ObjectNode tokenizerJson;
    private final byte[] jsonBytes;
    private final ObjectNode config;
    private final String source;
    private final Map<String, Integer> vocab = new HashMap<>();
    private final String[] idToToken;
    private final Map<String, String> specialTokens = new LinkedHashMap<>();
    private final List<String> modelInputNames;
    private final Map<String, Path> slowFiles;
    /** Marian's target.spm side; null when inputs and targets share one definition. */
    private final PreTrainedTokenizer targetTokenizer;
    private final Map<String, HuggingFaceTokenizer> variants = new LinkedHashMap<>(16, 0.75f, true);
    private boolean warnedLong;
    private boolean closed;

    /** The longest input the model takes; {@link #VERY_LARGE_INTEGER} when unknown. */
    public int modelMaxLength;
    /** "right" (default) or "left". */
    public String paddingSide;
    /** "right" (default) or "left". */
    public String truncationSide;

    public PreTrainedTokenizer(TokenizerDefinition definition) {
        this.config = definition.tokenizerConfig().deepCopy();
        this.source = definition.source();
        this.idToToken = readVocab(definition.tokenizerJson(), vocab, definition.source());
        try {
            JsonNode max = config.path("model_max_length");
            this.modelMaxLength = max.isNumber() && max.asDouble() < VERY_LARGE_INTEGER ? max.asInt()
                    : VERY_LARGE_INTEGER;
            this.paddingSide = side(config.path("padding_side").asText("right"), "padding_side");
            this.truncationSide = side(config.path("truncation_side").asText("right"), "truncation_side");
            for (String role : SPECIAL_ROLES) {
                String token = tokenText(config.get(role));
                if (token != null) {
                    specialTokens.put(role, token);
                }
            }
            this.tokenizerJson = SpecialTokensTemplate.apply(definition.tokenizerJson(), config, specialTokens, vocab,
                    source);
            checkUnknownToken(tokenizerJson, source);
            this.jsonBytes = tokenizerJson.toString().getBytes(StandardCharsets.UTF_8);
            this.modelInputNames = modelInputNames(config, tokenizerJson);
            variant(EncodeOptions.Truncation.NONE, null, 0); // fail now on a bad definition, not at first use
            this.slowFiles = Map.copyOf(definition.slowFiles());
        } catch (IllegalArgumentException e) {
            throw namingTheFile(e, source);
        }
        this.targetTokenizer = definition.targetTokenizerJson() == null ? null : new PreTrainedTokenizer(
                new TokenizerDefinition(definition.targetTokenizerJson(), config, source + " (targets)"));
    }

    /** A refusal of the settings that does not say which file they came from names tokenizer_config.json. */
    private static IllegalArgumentException namingTheFile(IllegalArgumentException e, String source) {
        String message = String.valueOf(e.getMessage());
        return message.contains("tokenizer_config.json") || message.contains("tokenizer.json") ? e
                : new IllegalArgumentException("tokenizer_config.json of " + source + ": " + message, e);
    }

    /**
     * The model's unknown token must be in its vocabulary: the Rust tokenizer accepts such a definition and then
     * aborts the whole JVM (an unwrap in DJL's JNI) on the first text with a character it does not know.
     */
    private static void checkUnknownToken(JsonNode tokenizerJson, String source) {
        JsonNode model = tokenizerJson.path("model");
        JsonNode vocab = model.path("vocab");
        JsonNode unk = model.path("unk_token");
        if (unk.isTextual() && vocab.isObject() && !vocab.has(unk.asText())) {
            throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source + " names the "
                    + "unknown token " + unk + ", which is not in its model's vocabulary");
        }
        checkTemplates(tokenizerJson.path("post_processor"), source);
        JsonNode unkId = model.path("unk_id");
        if (unkId.isNumber() && vocab.isArray() && (unkId.asLong() < 0 || unkId.asLong() >= vocab.size())) {
            throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source + " has unk_id "
                    + unkId + ", outside its vocabulary of " + vocab.size() + " pieces");
        }
    }

    /**
     * Every special token a TemplateProcessing post-processor's templates use must be among its special_tokens:
     * the Rust tokenizer looks them up with an unwrap while encoding, which aborts the JVM.
     */
    private static void checkTemplates(JsonNode processor, String source) {
        processor.path("processors").forEach(p -> checkTemplates(p, source)); // a Sequence of processors
        // by its fields, not its "type": the Rust side reads a post-processor of these fields whatever it is called
        boolean template = processor.has("special_tokens") && (processor.has("single") || processor.has("pair"));
        if (!template && !"TemplateProcessing".equals(processor.path("type").asText())) {
            return;
        }
        JsonNode specials = processor.path("special_tokens");
        for (String which : List.of("single", "pair")) {
            for (JsonNode piece : processor.path(which)) {
                String id = piece.isTextual() ? (piece.asText().startsWith("$") ? null
                        : piece.asText().replaceFirst(":\\d+$", "")) : piece.path("SpecialToken").path("id").isTextual()
                        ? piece.path("SpecialToken").path("id").asText() : null;
                if (id != null && !specials.has(id)) {
                    throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source
                            + ": the post-processor's " + which + " template uses the special token "
                            + PyJson.MAPPER.valueToTree(id) + ", which its special_tokens do not define");
                }
            }
        }
    }

    // ---------------------------------------------------------------- encoding

    /** One text, with transformers' defaults (special tokens, no padding, no truncation). */
    public BatchEncoding encode(String text) {
        return encode(text, Map.of());
    }

    /**
     * One text with transformers' options; {@code text_target} (a text, or a list for a batch) adds the target's
     * ids as {@code labels}, as {@code tokenizer(text, text_target=...)} does for seq2seq models.
     */
    public BatchEncoding encode(String text, Map<String, ?> options) {
        if (options.containsKey("text_target")) {
            return withTarget(List.of(text), true, options);
        }
        return run(List.of(text), null, true, EncodeOptions.of(options));
    }

    private BatchEncoding withTarget(List<String> texts, boolean single, Map<String, ?> options) {
        Map<String, Object> rest = new java.util.LinkedHashMap<>(options);
        Object target = rest.remove("text_target");
        @SuppressWarnings("unchecked")
        List<String> targets = target instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(target));
        if (targets.size() != texts.size()) {
            throw new IllegalArgumentException("text_target has " + targets.size() + " texts for " + texts.size()
                    + " inputs");
        }
        EncodeOptions o = EncodeOptions.of(rest);
        return run(texts, null, single, o).withLabels(asTargetTokenizer().run(targets, null, single, o));
    }

    /**
     * The tokenizer of labels, as inside transformers' {@code with tokenizer.as_target_tokenizer():}: Marian's
     * target.spm side, else this tokenizer. {@code text_target=} uses it.
     */
    public PreTrainedTokenizer asTargetTokenizer() {
        if (targetTokenizer == null) {
            return this;
        }
        targetTokenizer.modelMaxLength = modelMaxLength;
        targetTokenizer.paddingSide = paddingSide;
        targetTokenizer.truncationSide = truncationSide;
        return targetTokenizer;
    }

    /** A pair of texts (question and context, premise and hypothesis). */
    public BatchEncoding encode(String text, String pair, Map<String, ?> options) {
        return run(List.of(text), List.of(pair), true, EncodeOptions.of(options));
    }

    /** A batch of texts. */
    public BatchEncoding encode(List<String> texts, Map<String, ?> options) {
        if (options.containsKey("text_target")) {
            return withTarget(texts, false, options);
        }
        return run(texts, null, false, EncodeOptions.of(options));
    }

    public BatchEncoding encode(List<String> texts) {
        return encode(texts, Map.of());
    }

    /** A batch of pairs: {@code texts.get(i)} with {@code pairs.get(i)}. */
    public BatchEncoding encode(List<String> texts, List<String> pairs, Map<String, ?> options) {
        if (texts.size() != pairs.size()) {
            throw new IllegalArgumentException("texts and pairs differ in length: " + texts.size() + " and "
                    + pairs.size());
        }
        return run(texts, pairs, false, EncodeOptions.of(options));
    }

    /** Groovy: {@code tokenizer('Hello', padding: true)} or {@code tokenizer(['a', 'b'], padding: true)}. */
    @SuppressWarnings("unchecked")
    public BatchEncoding call(Map<String, ?> options, Object texts) {
        return texts instanceof List<?> list ? encode((List<String>) list, options) : encode((String) texts, options);
    }

    public BatchEncoding call(Object texts) {
        return call(Map.of(), texts);
    }

    private BatchEncoding run(List<String> texts, List<String> pairs, boolean single, EncodeOptions o) {
        ensureOpen();
        EncodeOptions.Truncation truncation = o.truncation();
        Integer maxLength = o.maxLength();
        if (maxLength == null && (truncation != EncodeOptions.Truncation.NONE
                || o.padding() == EncodeOptions.Padding.MAX_LENGTH)) {
            if (modelMaxLength >= VERY_LARGE_INTEGER) {
                LOG.warn("Asking to truncate or pad to max_length but no maximum length is provided and the model "
                        + "has no predefined maximum length. Default to no truncation.");
                truncation = EncodeOptions.Truncation.NONE;
            } else {
                maxLength = modelMaxLength;
            }
        }
        boolean leftTruncation = truncation != EncodeOptions.Truncation.NONE && truncationSide.equals("left");
        if (leftTruncation && (pairs != null || o.overflow())) {
            throw new UnsupportedOperationException("truncation_side='left' works for single texts without "
                    + "return_overflowing_tokens; for pairs or overflow use truncation_side='right'");
        }
        HuggingFaceTokenizer tk = variant(leftTruncation ? EncodeOptions.Truncation.NONE : truncation, maxLength,
                o.stride());
        boolean overflow = o.overflow() && truncation != EncodeOptions.Truncation.NONE;
        Encoding[] encodings = pairs == null ? tk.batchEncode(texts, o.addSpecialTokens(), overflow)
                : tk.batchEncode(new PairList<>(texts, pairs), o.addSpecialTokens(), overflow);
        List<Row> rows = new ArrayList<>();
        List<Long> sampleOf = new ArrayList<>();
        for (int i = 0; i < encodings.length; i++) {
            Row row = Row.of(encodings[i]);
            rows.add(leftTruncation ? row.truncateLeft(maxLength) : row);
            sampleOf.add((long) i);
            if (overflow && encodings[i].getOverflowing() != null) {
                for (Encoding extra : encodings[i].getOverflowing()) {
                    rows.add(Row.of(extra));
                    sampleOf.add((long) i);
                }
            }
        }
        if (truncation == EncodeOptions.Truncation.NONE && !warnedLong) {
            int longest = rows.stream().mapToInt(r -> r.ids.length).max().orElse(0);
            if (longest > modelMaxLength) {
                warnedLong = true;
                LOG.warn("Token indices sequence length is longer than the specified maximum sequence length for "
                        + "this model ({} > {}). Running this sequence through the model will result in indexing "
                        + "errors", longest, modelMaxLength);
            }
        }
        return assemble(rows, sampleOf, single, o, maxLength);
    }

    private BatchEncoding assemble(List<Row> rows, List<Long> sampleOf, boolean single, EncodeOptions o,
            Integer maxLength) {
        int target = -1;
        if (o.padding() == EncodeOptions.Padding.LONGEST) {
            target = rows.stream().mapToInt(r -> r.ids.length).max().orElse(0);
        } else if (o.padding() == EncodeOptions.Padding.MAX_LENGTH && maxLength != null) {
            target = maxLength;
        }
        if (target >= 0 && o.padToMultipleOf() != null && o.padToMultipleOf() > 0) {
            target = (target + o.padToMultipleOf() - 1) / o.padToMultipleOf() * o.padToMultipleOf();
        }
        Long padId = padTokenId();
        int width = target;
        if (padId == null && rows.stream().anyMatch(r -> r.ids.length < width)) {
            throw new IllegalStateException("Asking to pad but the tokenizer does not have a padding token. Set one, "
                    + "e.g. tokenizer.setPadToken(tokenizer.eosToken()), or pass padding=false.");
        }
        boolean left = paddingSide.equals("left");
        int n = rows.size();
        long[][] ids = new long[n][];
        long[][] types = new long[n][];
        long[][] mask = new long[n][];
        long[][] special = new long[n][];
        int[][][] offsets = o.offsets() ? new int[n][][] : null;
        List<String[]> tokens = new ArrayList<>(n);
        String padToken = specialTokens.get("pad_token");
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            int pad = Math.max(0, target - row.ids.length);
            ids[r] = padded(row.ids, pad, padId == null ? 0 : padId, left);
            types[r] = padded(row.types, pad, 0, left);
            mask[r] = padded(row.mask, pad, 0, left);
            special[r] = padded(row.special, pad, 1, left);
            String[] t = new String[row.tokens.length + pad];
            Arrays.fill(t, padToken);
            System.arraycopy(row.tokens, 0, t, left ? pad : 0, row.tokens.length);
            tokens.add(t);
            if (offsets != null) {
                offsets[r] = new int[row.offsets.length + pad][2];
                for (int i = 0; i < row.offsets.length; i++) {
                    offsets[r][(left ? pad : 0) + i] = row.offsets[i];
                }
            }
        }
        Map<String, long[][]> data = new LinkedHashMap<>();
        data.put("input_ids", ids);
        if (o.tokenTypeIds() != null ? o.tokenTypeIds() : modelInputNames.contains("token_type_ids")) {
            data.put("token_type_ids", types);
        }
        if (o.attentionMask()) {
            data.put("attention_mask", mask);
        }
        if (o.specialTokensMask()) {
            data.put("special_tokens_mask", special);
        }
        Map<String, long[]> perRow = new LinkedHashMap<>();
        if (o.overflow()) {
            perRow.put("overflow_to_sample_mapping", sampleOf.stream().mapToLong(Long::longValue).toArray());
        }
        if (o.length()) {
            perRow.put("length", Arrays.stream(ids).mapToLong(a -> a.length).toArray());
        }
        return new BatchEncoding(data, perRow, offsets, tokens, single && !o.overflow(), o.tensors());
    }

    private static long[] padded(long[] values, int pad, long with, boolean left) {
        if (pad == 0) {
            return values;
        }
        long[] out = new long[values.length + pad];
        Arrays.fill(out, with);
        System.arraycopy(values, 0, out, left ? pad : 0, values.length);
        return out;
    }

    /** One encoded sequence, copied out of the native encoding. */
    private record Row(long[] ids, long[] types, long[] mask, long[] special, String[] tokens, int[][] offsets) {
        static Row of(Encoding e) {
            CharSpan[] spans = e.getCharTokenSpans();
            int[][] offsets = new int[e.getIds().length][];
            for (int i = 0; i < offsets.length; i++) {
                CharSpan s = spans == null || i >= spans.length ? null : spans[i];
                offsets[i] = s == null ? new int[] {0, 0} : new int[] {s.getStart(), s.getEnd()};
            }
            return new Row(e.getIds(), e.getTypeIds(), e.getAttentionMask(), e.getSpecialTokenMask(), e.getTokens(),
                    offsets);
        }

        /** Keeps the leading and trailing special tokens and the last tokens of the text between them. */
        Row truncateLeft(int maxLength) {
            if (ids.length <= maxLength) {
                return this;
            }
            int lead = 0;
            while (lead < ids.length && special[lead] == 1) {
                lead++;
            }
            int trail = 0;
            while (trail < ids.length - lead && special[ids.length - 1 - trail] == 1) {
                trail++;
            }
            int keep = Math.max(0, maxLength - lead - trail);
            int[] index = new int[lead + keep + trail];
            int k = 0;
            for (int i = 0; i < lead; i++) {
                index[k++] = i;
            }
            for (int i = ids.length - trail - keep; i < ids.length - trail; i++) {
                index[k++] = i;
            }
            for (int i = ids.length - trail; i < ids.length; i++) {
                index[k++] = i;
            }
            return new Row(pick(ids, index), pick(types, index), pick(mask, index), pick(special, index),
                    Arrays.stream(index).mapToObj(i -> tokens[i]).toArray(String[]::new),
                    Arrays.stream(index).mapToObj(i -> offsets[i]).toArray(int[][]::new));
        }

        private static long[] pick(long[] a, int[] index) {
            return Arrays.stream(index).mapToLong(i -> a[i]).toArray();
        }
    }

    // ---------------------------------------------------------------- decoding and vocabulary

    /** The text of {@code ids}; special tokens are dropped when {@code skipSpecialTokens}. */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, config.path("clean_up_tokenization_spaces").asBoolean(false));
    }

    /**
     * transformers' {@code decode(ids, skip_special_tokens, clean_up_tokenization_spaces)}: the clean-up asked for,
     * whatever {@code tokenizer_config.json} says (pipelines choose it so).
     */
    public String decode(long[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
        ensureOpen();
        String text = variant(EncodeOptions.Truncation.NONE, null, 0).decode(ids, skipSpecialTokens);
        return cleanUpTokenizationSpaces ? cleanUp(text) : text;
    }

    /**
     * transformers' {@code clean_up_tokenization}, applied by default when {@code tokenizer_config.json} sets
     * {@code clean_up_tokenization_spaces} to true (T5's and Marian's do): no space before . ? ! , and English
     * contractions.
     */
    private static String cleanUp(String text) {
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    public String decode(long[] ids) {
        return decode(ids, false);
    }

    /** Groovy and Java lists of ids. */
    public String decode(List<? extends Number> ids, boolean skipSpecialTokens) {
        return decode(ids.stream().mapToLong(Number::longValue).toArray(), skipSpecialTokens);
    }

    public List<String> batchDecode(long[][] ids, boolean skipSpecialTokens) {
        ensureOpen();
        return Arrays.stream(variant(EncodeOptions.Truncation.NONE, null, 0).batchDecode(ids, skipSpecialTokens))
                .map(t -> config.path("clean_up_tokenization_spaces").asBoolean(false) ? cleanUp(t) : t).toList();
    }

    /** The tokens of a text, without special tokens, as transformers' {@code tokenize}. */
    public List<String> tokenize(String text) {
        ensureOpen();
        return List.of(variant(EncodeOptions.Truncation.NONE, null, 0).encode(text, false, false).getTokens());
    }

    public List<String> convertIdsToTokens(long[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            out.add(id >= 0 && id < idToToken.length ? idToToken[(int) id] : null);
        }
        return out;
    }

    /**
     * The prefix that marks a token continuing a word ({@code "##"} in WordPiece), or null when the model has none
     * (byte-level BPE marks word starts instead): transformers' {@code _tokenizer.model.continuing_subword_prefix}.
     */
    public String continuingSubwordPrefix() {
        com.fasterxml.jackson.databind.JsonNode prefix = tokenizerJson.path("model").path("continuing_subword_prefix");
        return prefix.isTextual() && !prefix.asText().isEmpty() ? prefix.asText() : null;
    }

    /**
     * Tokens back to text as the fast tokenizer's decoder joins them ({@code convert_tokens_to_string}): with a
     * WordPiece decoder a continuing piece joins its word and the others follow a space, each cleaned up as the
     * decoder's {@code cleanup} says ({@code " ."} to {@code "."}, ...); other tokenizers decode the tokens' ids.
     */
    public String convertTokensToString(List<String> tokens) {
        com.fasterxml.jackson.databind.JsonNode decoder = tokenizerJson.path("decoder");
        if (!"WordPiece".equals(decoder.path("type").asText())) {
            long[] ids = convertTokensToIds(tokens).stream().mapToLong(id -> id == null ? 0 : id).toArray();
            return decode(ids, false);
        }
        String prefix = decoder.path("prefix").asText("##");
        boolean cleanup = decoder.path("cleanup").asBoolean(true);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) {
                token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            }
            if (cleanup) {
                token = token.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                        .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
            }
            out.append(token);
        }
        return out.toString();
    }

    /** Ids of tokens; a token not in the vocabulary gives the unknown token's id (or null without one). */
    public List<Long> convertTokensToIds(List<String> tokens) {
        Long unk = tokenId(specialTokens.get("unk_token"));
        List<Long> out = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            Integer id = vocab.get(t);
            out.add(id != null ? Long.valueOf(id) : unk);
        }
        return out;
    }

    /** The number of tokens, added tokens included (Python's {@code len(tokenizer)}). */
    public int size() {
        return idToToken.length;
    }

    /** The vocabulary: token to id, added tokens included. */
    public Map<String, Integer> getVocab() {
        return Collections.unmodifiableMap(vocab);
    }

    // ---------------------------------------------------------------- special tokens

    /** Special tokens by role ({@code pad_token -> [PAD]}). */
    public Map<String, String> specialTokens() {
        return Collections.unmodifiableMap(specialTokens);
    }

    public String padToken() {
        return specialTokens.get("pad_token");
    }

    public Long padTokenId() {
        return tokenId(specialTokens.get("pad_token"));
    }

    public String clsToken() {
        return specialTokens.get("cls_token");
    }

    public Long clsTokenId() {
        return tokenId(specialTokens.get("cls_token"));
    }

    public String sepToken() {
        return specialTokens.get("sep_token");
    }

    public Long sepTokenId() {
        return tokenId(specialTokens.get("sep_token"));
    }

    public String unkToken() {
        return specialTokens.get("unk_token");
    }

    public Long unkTokenId() {
        return tokenId(specialTokens.get("unk_token"));
    }

    public String maskToken() {
        return specialTokens.get("mask_token");
    }

    public Long maskTokenId() {
        return tokenId(specialTokens.get("mask_token"));
    }

    public String bosToken() {
        return specialTokens.get("bos_token");
    }

    public String eosToken() {
        return specialTokens.get("eos_token");
    }

    public Long eosTokenId() {
        return tokenId(specialTokens.get("eos_token"));
    }

    /** Sets the padding token, e.g. GPT-2's {@code tokenizer.pad_token = tokenizer.eos_token}. */
    public void setPadToken(String token) {
        if (token != null && !vocab.containsKey(token)) {
            throw new IllegalArgumentException("'" + token + "' is not in the vocabulary of " + source);
        }
        specialTokens.put("pad_token", token);
    }

    private Long tokenId(String token) {
        Integer id = token == null ? null : vocab.get(token);
        return id == null ? null : Long.valueOf(id);
    }

    /** The names of the inputs the model takes, as transformers' {@code model_input_names}. */
    public List<String> modelInputNames() {
        return modelInputNames;
    }

    // ---------------------------------------------------------------- chat

    /**
     * The conversation (maps with {@code role} and {@code content}) as the tokenizer's {@code chat_template}
     * writes it, with the assistant's opening when {@code addGenerationPrompt}: transformers'
     * {@code apply_chat_template(messages, add_generation_prompt=..., tokenize=False)}.
     */
    public String applyChatTemplate(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return (String) applyChatTemplate(Map.of("add_generation_prompt", addGenerationPrompt, "tokenize", false),
                messages);
    }

    /**
     * {@code apply_chat_template} with transformers' keyword arguments: {@code add_generation_prompt} (false),
     * {@code tokenize} (true: the ids, a {@code long[]}, encoded without adding special tokens; false: the text),
     * {@code chat_template} (a template's name or its text) and any other variable the template reads
     * ({@code tools}, {@code documents}, ...). Groovy: {@code tokenizer.applyChatTemplate(messages,
     * add_generation_prompt: true)}.
     */
    public Object applyChatTemplate(Map<String, ?> options, List<? extends Map<String, ?>> messages) {
        Map<String, Object> variables = new HashMap<>(options);
        boolean addGenerationPrompt = Boolean.TRUE.equals(variables.remove("add_generation_prompt"));
        Object tokenize = variables.remove("tokenize");
        Object chosen = variables.remove("chat_template");
        ChatTemplate template = chatTemplate(chosen == null ? null : chosen.toString());
        specialTokens.forEach(variables::putIfAbsent);
        String text = template.render(messages, addGenerationPrompt, variables);
        if (Boolean.FALSE.equals(tokenize)) {
            return text;
        }
        try (BatchEncoding ids = encode(text, Map.of("add_special_tokens", false))) {
            return ids.inputIds()[0];
        }
    }

    /** The named chat template (null: the default), or a template given as text. */
    private ChatTemplate chatTemplate(String nameOrText) {
        if (nameOrText != null && (nameOrText.contains("{{") || nameOrText.contains("{%"))) {
            return ChatTemplate.ofText(nameOrText);
        }
        ChatTemplate template = ChatTemplate.of(config.get("chat_template"), nameOrText,
                source + "/tokenizer_config.json");
        if (template == null) {
            throw new IllegalArgumentException("Cannot use apply_chat_template: the tokenizer of " + source
                    + " has no chat_template in tokenizer_config.json and none was given (pass chat_template)");
        }
        return template;
    }

    // ---------------------------------------------------------------- saving

    /** The files a tokenizer is loaded from; a save replaces all of them, so no old vocabulary outlives it. */
    private static final Set<String> DEFINITION_FILES = Set.of("tokenizer.json", "vocab.txt", "vocab.json",
            "merges.txt", "spiece.model", "tokenizer.model", "sentencepiece.bpe.model", "source.spm", "target.spm",
            "added_tokens.json");

    /**
     * save_pretrained: {@code tokenizer.json}, {@code tokenizer_config.json} and {@code special_tokens_map.json},
     * in the form Python's transformers loads; a tokenizer converted from SentencePiece also writes its model file
     * ({@code spiece.model}, {@code tokenizer.model}; Marian: {@code source.spm}, {@code target.spm} and
     * {@code vocab.json}, and no {@code tokenizer.json}). The files are written as one change
     * ({@link dev.javaformers.util.AtomicFolders}): a killed save leaves the old tokenizer or the new one.
     */
    public Path save(Path dir) {
        return dev.javaformers.util.AtomicFolders.save(dir, DEFINITION_FILES::contains, this::writeFiles);
    }

    private void writeFiles(Path dir) {
        // Marian is slow-only in transformers: its SentencePiece files are the tokenizer, a tokenizer.json is not read
        if (!slowFiles.containsKey("source.spm")) {
            PyJson.writeFile(dir.resolve("tokenizer.json"), tokenizerJson, false);
        }
        slowFiles.forEach((name, from) -> AtomicFiles.write(dir.resolve(name), out -> Files.copy(from, out)));
        ObjectNode out = config.deepCopy();
        out.remove("tokenizer_file");
        if (modelMaxLength < VERY_LARGE_INTEGER) {
            out.put("model_max_length", modelMaxLength);
        }
        out.put("padding_side", paddingSide);
        out.put("truncation_side", truncationSide);
        ObjectNode map = PyJson.MAPPER.createObjectNode();
        specialTokens.forEach((role, token) -> {
            out.put(role, token);
            map.put(role, token);
        });
        if (!out.has("tokenizer_class")) {
            out.put("tokenizer_class", "PreTrainedTokenizerFast");
        }
        PyJson.writeFile(dir.resolve("tokenizer_config.json"), out, true);
        PyJson.writeFile(dir.resolve("special_tokens_map.json"), map, true);
    }

    // ---------------------------------------------------------------- native tokenizers

    /** A native tokenizer with these truncation settings (padding is always done here, not there). */
    private HuggingFaceTokenizer variant(EncodeOptions.Truncation truncation, Integer maxLength, int stride) {
        String key = truncation + "/" + maxLength + "/" + stride;
        synchronized (variants) {
            HuggingFaceTokenizer tk = variants.get(key);
            if (tk != null) {
                return tk;
            }
            Map<String, String> options = new HashMap<>();
            options.put("padding", "false");
            options.put("addSpecialTokens", "true");
            options.put("truncation", truncation == EncodeOptions.Truncation.NONE ? "false"
                    : truncation.name().toLowerCase(java.util.Locale.ROOT));
            options.put("modelMaxLength", Integer.toString(Integer.MAX_VALUE)); // our limits, not DJL's
            if (maxLength != null) {
                options.put("maxLength", Integer.toString(maxLength));
                options.put("stride", Integer.toString(stride));
            }
            try {
                tk = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(jsonBytes), options);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not load the tokenizer of " + source, e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source
                        + " is not valid: "
                        + e.getMessage(), e);
            }
            variants.put(key, tk);
            if (variants.size() > MAX_VARIANTS) {
                var eldest = variants.entrySet().iterator().next();
                eldest.getValue().close();
                variants.remove(eldest.getKey());
            }
            return tk;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("This tokenizer of " + source + " was closed");
        }
    }

    /** Frees the native tokenizers. */
    @Override
    public void close() {
        synchronized (variants) {
            variants.values().forEach(HuggingFaceTokenizer::close);
            variants.clear();
            closed = true;
        }
        if (targetTokenizer != null) {
            targetTokenizer.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(name_or_path='" + source + "', vocab_size=" + size()
                + ", model_max_length=" + (modelMaxLength >= VERY_LARGE_INTEGER ? "none" : modelMaxLength)
                + ", padding_side='" + paddingSide + "', truncation_side='" + truncationSide + "', special_tokens="
                + specialTokens + ")";
    }

    // ---------------------------------------------------------------- reading the definition

    /** Ids above this are no vocabulary: reading them would allocate an array as large. */
    private static final int MAX_TOKEN_ID = 1 << 24;

    private static String[] readVocab(ObjectNode json, Map<String, Integer> vocab, String source) {
        JsonNode model = json.path("model").path("vocab");
        if (model.isObject()) {
            model.fields().forEachRemaining(e -> vocab.put(e.getKey(), tokenId(e.getValue(), e.getKey(), source)));
        } else if (model.isArray()) { // Unigram: [[token, score], ...]
            for (int i = 0; i < model.size(); i++) {
                JsonNode piece = model.get(i);
                if (!piece.isArray() || !piece.path(0).isTextual()) {
                    throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source
                            + ": vocabulary entry " + i + " is " + piece + ", not [piece, score]");
                }
                String token = piece.get(0).asText();
                // Marian's pieces that one side cannot produce keep their vocab.json text here
                vocab.put(token.startsWith(SentencePieceConverter.UNREACHABLE) ? token.substring(1) : token, i);
            }
        }
        json.path("added_tokens").forEach(t -> vocab.put(t.path("content").asText(), tokenId(t.path("id"),
                t.path("content").asText(), source)));
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] ids = new String[size];
        vocab.forEach((token, id) -> ids[id] = token);
        return ids;
    }

    private static int tokenId(JsonNode id, String token, String source) {
        if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() >= MAX_TOKEN_ID) {
            throw new IllegalArgumentException("The tokenizer definition (tokenizer.json) of " + source + " gives the "
                    + "token " + PyJson.MAPPER.valueToTree(token) + " the id " + id + "; expected a whole number from 0 "
                    + "to " + (MAX_TOKEN_ID - 1));
        }
        return id.asInt();
    }

    /** A special token given as a string or as an AddedToken object {@code {"content": "[CLS]", ...}}. */
    static String tokenText(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isTextual() ? value.asText() : value.path("content").asText(null);
    }

    private static List<String> modelInputNames(ObjectNode config, ObjectNode json) {
        if (config.path("model_input_names").isArray()) {
            List<String> names = new ArrayList<>();
            config.get("model_input_names").forEach(n -> names.add(n.asText()));
            return List.copyOf(names);
        }
        String cls = config.path("tokenizer_class").asText("");
        String post = json.path("post_processor").path("type").asText("");
        boolean types = !cls.contains("DistilBert") && !cls.contains("Roberta") && !cls.contains("GPT2")
                && (post.equals("TemplateProcessing") || post.equals("BertProcessing"));
        return types ? List.of("input_ids", "token_type_ids", "attention_mask")
                : List.of("input_ids", "attention_mask");
    }

    private static String side(String value, String key) {
        if (!value.equals("left") && !value.equals("right")) {
            // the constructor's namingTheFile adds which file and tokenizer
            throw new IllegalArgumentException(key + " must be 'left' or 'right', got '" + value + "'");
        }
        return value;
    }
}
