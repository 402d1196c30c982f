package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenizer.json} definitions made from SentencePiece models, as transformers 4.31's
 * {@code convert_slow_tokenizer} makes them: T5 ({@code spiece.model}, Unigram), Marian ({@code source.spm} and
 * {@code target.spm} with ids from {@code vocab.json}) and Llama ({@code tokenizer.model}, BPE with byte fallback).
 */
final class SentencePieceConverter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SPACE = "\u2581";
    /**
     * Marian: a vocab.json piece that this side's SentencePiece model lacks must never be chosen (the model would
     * give {@code <unk>}), yet keep its id and its text when decoded. It is renamed with this private-use prefix,
     * which no input holds; the decoder and the vocabulary strip it.
     */
    static final String UNREACHABLE = "\uE000";
    /** SentencePiece's kUnkPenalty: an unknown character costs the lowest piece score minus this. */
    private static final double UNKNOWN_PENALTY = 10;

    private SentencePieceConverter() {}

    /** T5Converter: the pieces then {@code <extra_id_N>} .. {@code <extra_id_0>}, {@code $A </s>}. */
    static ObjectNode t5(SentencePieceModel spm, int extraIds, Map<String, String> special) {
        requireType(spm, SentencePieceModel.UNIGRAM, "T5Tokenizer");
        List<String> pieces = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        spm.pieces().forEach(p -> {
            pieces.add(p.piece());
            scores.add((double) p.score());
        });
        for (int i = extraIds - 1; i >= 0; i--) {
            pieces.add("<extra_id_" + i + ">");
            scores.add(0.0);
        }
        ObjectNode root = SlowTokenizerConverter.base();
        ArrayNode added = root.putArray("added_tokens");
        for (String role : List.of("pad_token", "eos_token", "unk_token")) {
            int id = pieces.indexOf(special.get(role));
            if (id >= 0) {
                added.add(SlowTokenizerConverter.addedToken(id, pieces.get(id), false));
            }
        }
        for (int i = extraIds - 1; i >= 0; i--) {
            int id = spm.pieces().size() + extraIds - 1 - i;
            added.add(SlowTokenizerConverter.addedToken(id, pieces.get(id), false));
        }
        metaspaceUnigram(root, spm, pieces, scores, spm.unkId());
        String eos = special.getOrDefault("eos_token", "</s>");
        root.set("post_processor", appendEos(eos, pieces.indexOf(eos)));
        return root;
    }

    /**
     * MarianTokenizer: pieces segmented by one SentencePiece model ({@code source.spm} for inputs,
     * {@code target.spm} for labels), ids from {@code vocab.json}, {@code </s>} appended. Language codes such as
     * {@code >>de<<} are added tokens. The Moses punctuation normaliser that MarianTokenizer runs when sacremoses is
     * installed is not applied (transformers without sacremoses does the same).
     */
    static ObjectNode marian(SentencePieceModel spm, Map<String, Integer> vocab, Map<String, String> special) {
        requireType(spm, SentencePieceModel.UNIGRAM, "MarianTokenizer");
        Map<String, Float> spmScores = new HashMap<>();
        float lowest = 0;
        for (SentencePieceModel.Piece p : spm.pieces()) {
            spmScores.putIfAbsent(p.piece(), p.score());
            lowest = Math.min(lowest, p.score());
        }
        int size = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] byId = new String[size];
        vocab.forEach((piece, id) -> {
            if (id < 0) {
                throw new IllegalArgumentException("vocab.json gives " + piece + " the id " + id);
            }
            byId[id] = piece;
        });
        List<String> pieces = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int id = 0; id < size; id++) {
            // a gap in the ids still needs a row: a piece no text can produce
            String piece = byId[id] != null ? byId[id] : "<unused_" + id + ">";
            Float score = spmScores.get(piece);
            // the model gives a character it lacks as an unknown piece whose text MarianTokenizer looks up in
            // vocab.json: such characters keep their ids, at the model's unknown-piece cost
            boolean character = piece.codePointCount(0, piece.length()) == 1;
            boolean reachable = score != null || character || special.containsValue(piece);
            pieces.add(reachable ? piece : UNREACHABLE + piece);
            scores.add((double) (score != null ? score : character ? lowest - UNKNOWN_PENALTY : lowest));
        }
        String unk = special.getOrDefault("unk_token", "<unk>");
        if (!vocab.containsKey(unk)) {
            throw new IllegalArgumentException("vocab.json has no " + unk + " (the unk_token)");
        }
        ObjectNode root = SlowTokenizerConverter.base();
        ArrayNode added = root.putArray("added_tokens");
        vocab.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            String piece = e.getKey();
            if (special.containsValue(piece)) {
                added.add(SlowTokenizerConverter.addedToken(e.getValue(), piece, false));
            } else if (piece.startsWith(">>") && piece.endsWith("<<")) {
                added.add(SlowTokenizerConverter.addedToken(e.getValue(), piece, false).put("special", false));
            }
        });
        metaspaceUnigram(root, spm, pieces, scores, vocab.get(unk));
        ObjectNode decoder = JSON.objectNode().put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "Replace").put("content", "").putObject("pattern").put("String", UNREACHABLE);
        decoders.add(metaspace());
        root.set("decoder", decoder);
        String eos = special.getOrDefault("eos_token", "</s>");
        root.set("post_processor", appendEos(eos, vocab.getOrDefault(eos, 0)));
        return root;
    }

    /**
     * LlamaConverter: BPE over the pieces with byte fallback, merges recovered from the scores, spaces made
     * {@code ▁} and one prepended by the normalizer (no pre-tokenizer), {@code <s>} added by the post-processor
     * that {@code add_bos_token} builds.
     */
    static ObjectNode llama(SentencePieceModel spm) {
        requireType(spm, SentencePieceModel.BPE, "LlamaTokenizer");
        List<SentencePieceModel.Piece> all = spm.pieces();
        if (all.size() < 3) {
            throw new IllegalArgumentException(spm.file() + " has " + all.size() + " pieces; a Llama tokenizer "
                    + "model starts with <unk>, <s>, </s>");
        }
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int i = 3; i < all.size(); i++) {
            pieces.add(all.get(i).piece());
            scores.add(all.get(i).score());
        }
        ObjectNode root = SlowTokenizerConverter.base();
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < 3; i++) {
            added.add(SlowTokenizerConverter.addedToken(i, pieces.get(i), false));
        }
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode steps = normalizer.putArray("normalizers");
        steps.addObject().put("type", "Prepend").put("prepend", SPACE);
        steps.addObject().put("type", "Replace").put("content", SPACE).putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        decoders.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", SPACE);
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout").put("unk_token", spm.unkPiece()).putNull("continuing_subword_prefix")
                .putNull("end_of_word_suffix").put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode ids = model.putObject("vocab");
        for (int i = 0; i < pieces.size(); i++) {
            ids.put(pieces.get(i), i);
        }
        ArrayNode merges = model.putArray("merges");
        List<Boolean> mergeable = all.stream().map(p -> p.type() == 1 || p.type() == 4).toList();
        for (int[] m : merges(pieces, scores, mergeable)) {
            merges.add(pieces.get(m[0]) + " " + pieces.get(m[1]));
        }
        return root;
    }

    /**
     * SentencePieceExtractor: every split of a normal piece whose halves are both pieces is a merge, ranked by the
     * merged piece's score, highest first; ties keep the order of (left id, right id). transformers 4.31 also drops
     * a piece whose score is 0, which is the first merge a BPE model learnt (later versions fixed it); it is kept
     * here, as SentencePiece itself applies it.
     */
    private static List<int[]> merges(List<String> pieces, List<Float> scores, List<Boolean> mergeable) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            ids.putIfAbsent(pieces.get(i), i);
        }
        List<int[]> merges = new ArrayList<>(); // left, right, merged
        for (int merged = 0; merged < pieces.size(); merged++) {
            String piece = pieces.get(merged);
            if (!mergeable.get(merged)) {
                continue;
            }
            for (int k = piece.offsetByCodePoints(0, 1); k < piece.length(); k = piece.offsetByCodePoints(k, 1)) {
                Integer left = ids.get(piece.substring(0, k));
                Integer right = ids.get(piece.substring(k));
                if (left != null && right != null) {
                    merges.add(new int[] {left, right, ids.get(piece)});
                }
            }
        }
        merges.sort(Comparator.<int[]>comparingDouble(m -> -scores.get(m[2])).thenComparingInt(m -> m[0])
                .thenComparingInt(m -> m[1]));
        return merges;
    }

    /** SpmConverter's Unigram model, normalizer (precompiled map, runs of spaces to one), Metaspace both ways. */
    private static void metaspaceUnigram(ObjectNode root, SentencePieceModel spm, List<String> pieces,
            List<Double> scores, int unkId) {
        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode steps = normalizer.putArray("normalizers");
        if (spm.precompiledCharsmap().length > 0) {
            steps.addObject().put("type", "Precompiled").put("precompiled_charsmap",
                    Base64.getEncoder().encodeToString(spm.precompiledCharsmap()));
        }
        steps.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("Regex", " {2,}");
        root.set("pre_tokenizer", metaspace());
        root.set("decoder", metaspace());
        ObjectNode model = root.putObject("model").put("type", "Unigram").put("unk_id", unkId);
        ArrayNode vocab = model.putArray("vocab");
        for (int i = 0; i < pieces.size(); i++) {
            vocab.addArray().add(pieces.get(i)).add(scores.get(i));
        }
        model.put("byte_fallback", false);
    }

    private static ObjectNode metaspace() {
        return JSON.objectNode().put("type", "Metaspace").put("replacement", SPACE).put("add_prefix_space", true);
    }

    /** T5's and Marian's post-processor: {@code </s>} after each sequence, all of type 0. */
    private static ObjectNode appendEos(String eos, int eosId) {
        return SpecialTokensTemplate.template("$A " + eos, "$A " + eos + " $B " + eos, Map.of(eos, eosId));
    }

    private static void requireType(SentencePieceModel spm, int type, String tokenizerClass) {
        if (spm.modelType() != type) {
            throw new IllegalArgumentException(spm.file() + " is a SentencePiece " + spm.modelTypeName() + " model; "
                    + tokenizerClass + " needs a " + (type == SentencePieceModel.UNIGRAM ? "Unigram" : "BPE") + " one");
        }
    }
}
