package dev.javaformers.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** transformers' logits processors and warpers, with its definitions, and the lists generate() builds from them. */
public final class LogitsProcessors {

    private LogitsProcessors() {}

    /** The processors of a config in transformers' order (repetition, n-grams, bad words, minimum lengths). */
    static List<LogitsProcessor> forConfig(GenerationConfig g, int promptLength, int maxLength) {
        List<LogitsProcessor> list = new ArrayList<>();
        if (g.repetitionPenalty != 1.0) {
            list.add(repetitionPenalty(g.repetitionPenalty));
        }
        if (g.noRepeatNgramSize > 0) {
            list.add(noRepeatNgram(g.noRepeatNgramSize));
        }
        if (g.badWordsIds != null) {
            list.add(noBadWords(g.badWordsIds, g.eosTokenId));
        }
        if (g.eosTokenId != null && g.minLength > 0) {
            list.add(minLength(g.minLength, g.eosTokenId));
        }
        if (g.eosTokenId != null && g.minNewTokens != null && g.minNewTokens > 0) {
            list.add(minLength(promptLength + g.minNewTokens, g.eosTokenId));
        }
        if (g.forcedBosTokenId != null) {
            list.add(forcedToken(1, g.forcedBosTokenId));
        }
        if (g.forcedEosTokenId != null) {
            list.add(forcedToken(maxLength - 1, g.forcedEosTokenId));
        }
        return list;
    }

    /**
     * transformers' ForcedBOSTokenLogitsProcessor (at length 1) and ForcedEOSTokenLogitsProcessor (at
     * max_length - 1): at that length {@code token} is the only one possible.
     */
    public static LogitsProcessor forcedToken(int atLength, int token) {
        return (ids, scores) -> {
            if (ids.length > 0 && ids[0].length == atLength) {
                for (float[] row : scores) {
                    java.util.Arrays.fill(row, Float.NEGATIVE_INFINITY);
                    row[token] = 0;
                }
            }
        };
    }

    /** The warpers sampling adds after them: temperature, top-k, top-p, as transformers orders them. */
    static List<LogitsProcessor> warpersForConfig(GenerationConfig g) {
        List<LogitsProcessor> list = new ArrayList<>();
        if (g.temperature != 1.0) {
            list.add(temperature(g.temperature));
        }
        if (g.topK != 0) {
            list.add(topK(g.topK));
        }
        if (g.topP < 1.0) {
            list.add(topP(g.topP));
        }
        return list;
    }

    /** Scores of tokens already in the row: divided by {@code penalty} when positive, multiplied when negative. */
    public static LogitsProcessor repetitionPenalty(double penalty) {
        if (!(penalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be a positive number, got " + penalty);
        }
        return (ids, scores) -> {
            for (int r = 0; r < ids.length; r++) {
                Set<Long> seen = new HashSet<>();
                for (long t : ids[r]) {
                    if (seen.add(t)) {
                        float s = scores[r][(int) t];
                        scores[r][(int) t] = (float) (s < 0 ? s * penalty : s / penalty);
                    }
                }
            }
        };
    }

    /** Bans every token that would repeat an n-gram of size {@code n} already in the row. */
    public static LogitsProcessor noRepeatNgram(int n) {
        return (ids, scores) -> {
            for (int r = 0; r < ids.length; r++) {
                long[] row = ids[r];
                if (row.length + 1 < n) {
                    continue;
                }
                Map<List<Long>, Set<Long>> next = new HashMap<>();
                for (int i = 0; i + n <= row.length; i++) {
                    List<Long> prefix = new ArrayList<>();
                    for (int j = i; j < i + n - 1; j++) {
                        prefix.add(row[j]);
                    }
                    next.computeIfAbsent(prefix, k -> new HashSet<>()).add(row[i + n - 1]);
                }
                List<Long> last = new ArrayList<>();
                for (int j = row.length - n + 1; j < row.length; j++) {
                    last.add(row[j]);
                }
                for (long banned : next.getOrDefault(last, Set.of())) {
                    scores[r][(int) banned] = Float.NEGATIVE_INFINITY;
                }
            }
        };
    }

    /**
     * Bans the last token of each sequence in {@code badWords} when the row ends with the rest of it (single tokens
     * always); sequences that are only the eos token are left out, as transformers does.
     */
    public static LogitsProcessor noBadWords(List<List<Integer>> badWords, List<Integer> eos) {
        List<List<Integer>> words = badWords.stream().filter(w -> eos == null || !(w.size() == 1
                && eos.contains(w.get(0)))).toList();
        for (List<Integer> w : words) {
            if (w.isEmpty()) {
                throw new IllegalArgumentException("bad_words_ids holds an empty list: " + badWords);
            }
        }
        return (ids, scores) -> {
            for (int r = 0; r < ids.length; r++) {
                long[] row = ids[r];
                for (List<Integer> w : words) {
                    int prefix = w.size() - 1;
                    boolean matches = prefix <= row.length;
                    for (int i = 0; matches && i < prefix; i++) {
                        matches = row[row.length - prefix + i] == w.get(i);
                    }
                    if (matches) {
                        scores[r][w.get(prefix)] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        };
    }

    /** Bans the eos tokens while a row is shorter than {@code minLength} tokens (prompt included). */
    public static LogitsProcessor minLength(int minLength, List<Integer> eos) {
        return (ids, scores) -> {
            if (ids.length > 0 && ids[0].length < minLength) {
                for (float[] row : scores) {
                    eos.forEach(e -> row[e] = Float.NEGATIVE_INFINITY);
                }
            }
        };
    }

    public static LogitsProcessor temperature(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be a strictly positive number, got " + temperature);
        }
        return (ids, scores) -> {
            for (float[] row : scores) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (row[i] / temperature);
                }
            }
        };
    }

    /** Keeps the {@code k} highest scores of each row (ties with the k-th kept too), the rest -inf. */
    public static LogitsProcessor topK(int k) {
        return (ids, scores) -> {
            for (float[] row : scores) {
                if (k >= row.length) {
                    continue;
                }
                float[] sorted = row.clone();
                Arrays.sort(sorted);
                float kth = sorted[sorted.length - Math.max(k, 1)];
                for (int i = 0; i < row.length; i++) {
                    if (row[i] < kth) {
                        row[i] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        };
    }

    /** Nucleus sampling: keeps the smallest set of top tokens whose probabilities add up to more than {@code p}. */
    public static LogitsProcessor topP(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("top_p must be a float between 0 and 1, got " + p);
        }
        return (ids, scores) -> {
            for (float[] row : scores) {
                Integer[] order = new Integer[row.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Float.compare(row[a], row[b])); // ascending, as transformers sorts
                double[] probs = softmax(row);
                double cumulative = 0;
                boolean[] remove = new boolean[row.length];
                for (int rank = 0; rank < order.length; rank++) {
                    cumulative += probs[order[rank]];
                    remove[order[rank]] = cumulative <= 1 - p && rank < order.length - 1;
                }
                for (int i = 0; i < row.length; i++) {
                    if (remove[i]) {
                        row[i] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
        };
    }

    static double[] softmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double[] out = new double[row.length];
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            out[i] = Math.exp(row[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < row.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
