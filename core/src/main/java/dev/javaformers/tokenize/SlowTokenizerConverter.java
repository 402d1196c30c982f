package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@code tokenizer.json} definition from the files of a "slow" tokenizer, as transformers'
 * {@code convert_slow_tokenizer} does: WordPiece from {@code vocab.txt} (BERT, DistilBERT) and byte-level BPE from
 * {@code vocab.json} + {@code merges.txt} (GPT-2, RoBERTa).
 */
final class SlowTokenizerConverter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private SlowTokenizerConverter() {}

    /** BERT's WordPiece: BertNormalizer, BertPreTokenizer, [CLS] A [SEP] (B [SEP]). */
    static ObjectNode wordPiece(List<String> vocab, boolean lowercase, Boolean stripAccents, boolean chineseChars,
            Map<String, String> special) {
        ObjectNode root = base();
        ArrayNode added = root.putArray("added_tokens");
        for (String role : List.of("pad_token", "unk_token", "cls_token", "sep_token", "mask_token")) {
            String token = special.get(role);
            int id = token == null ? -1 : vocab.indexOf(token);
            if (id >= 0) {
                added.add(addedToken(id, token, false));
            }
        }
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", chineseChars)
                .put("lowercase", lowercase);
        if (stripAccents == null) {
            normalizer.putNull("strip_accents");
        } else {
            normalizer.put("strip_accents", stripAccents);
        }
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        String cls = special.getOrDefault("cls_token", "[CLS]");
        String sep = special.getOrDefault("sep_token", "[SEP]");
        Map<String, Integer> specialIds = new java.util.HashMap<>(); // cls and sep may be one token
        specialIds.put(cls, vocab.indexOf(cls));
        specialIds.put(sep, vocab.indexOf(sep));
        root.set("post_processor", SpecialTokensTemplate.template(cls + " $A " + sep,
                cls + " $A " + sep + " $B:1 " + sep + ":1", specialIds));
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", special.getOrDefault("unk_token", "[UNK]"))
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
        ObjectNode ids = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            ids.put(vocab.get(i), i);
        }
        return root;
    }

    /**
     * Byte-level BPE: GPT-2 (no special tokens added around text) or RoBERTa ({@code <s> A </s></s> B </s>}).
     */
    static ObjectNode byteLevelBpe(Map<String, Integer> vocab, List<String> merges, boolean addPrefixSpace,
            boolean roberta, Map<String, String> special) {
        ObjectNode root = base();
        ArrayNode added = root.putArray("added_tokens");
        special.values().stream().distinct().filter(vocab::containsKey).sorted((a, b) -> vocab.get(a) - vocab.get(b))
                .forEach(t -> added.add(addedToken(vocab.get(t), t, t.equals(special.get("mask_token")))));
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", addPrefixSpace)
                .put("trim_offsets", true).put("use_regex", true);
        if (roberta) {
            String cls = special.getOrDefault("cls_token", "<s>");
            String sep = special.getOrDefault("sep_token", "</s>");
            ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
            post.putArray("sep").add(sep).add(vocab.getOrDefault(sep, 2));
            post.putArray("cls").add(cls).add(vocab.getOrDefault(cls, 0));
            post.put("trim_offsets", true).put("add_prefix_space", addPrefixSpace);
        } else {
            root.putObject("post_processor").put("type", "ByteLevel").put("add_prefix_space", true)
                    .put("trim_offsets", false).put("use_regex", true);
        }
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").putNull("unk_token").putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode ids = model.putObject("vocab");
        vocab.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> ids.put(e.getKey(), e.getValue()));
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(mergeList::add);
        return root;
    }

    static ObjectNode base() {
        ObjectNode root = JSON.objectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        return root;
    }

    static ObjectNode addedToken(int id, String content, boolean lstrip) {
        ObjectNode t = JSON.objectNode();
        t.put("id", id).put("content", content).put("single_word", false).put("lstrip", lstrip).put("rstrip", false)
                .put("normalized", false).put("special", true);
        return t;
    }
}
