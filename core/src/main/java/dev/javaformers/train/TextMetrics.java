package dev.javaformers.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Metrics of generated text with the reference implementations' definitions: corpus BLEU as sacreBLEU computes
 * it (its default 13a tokenization, closest reference length, exponential smoothing of zero counts) and
 * ROUGE-1 / ROUGE-2 / ROUGE-L as Google's {@code rouge_score} computes them (lower-cased alphanumeric tokens, no
 * stemming: its default).
 */
public final class TextMetrics {

    private TextMetrics() {}

    /** sacreBLEU's result: the score (0-100), the four n-gram precisions, the brevity penalty and lengths. */
    public record Bleu(double score, double[] precisions, double brevityPenalty, int hypothesisLength,
            int referenceLength) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %d "
                    + "ref_len = %d)", score, precisions[0], precisions[1], precisions[2], precisions[3],
                    brevityPenalty, (double) hypothesisLength / referenceLength, hypothesisLength, referenceLength);
        }
    }

    /** Corpus BLEU of {@code predictions}, each against its {@code references} (one or more, as evaluate takes). */
    public static Bleu bleu(List<String> predictions, List<? extends List<String>> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions but " + references.size()
                    + " lists of references");
        }
        long[] correct = new long[4];
        long[] total = new long[4];
        int hypLength = 0;
        int refLength = 0;
        for (int i = 0; i < predictions.size(); i++) {
            List<String> hyp = tokenize13a(predictions.get(i));
            hypLength += hyp.size();
            Map<String, Integer> maxRef = new HashMap<>();
            int closest = -1;
            for (String reference : references.get(i)) {
                List<String> ref = tokenize13a(reference);
                int d = Math.abs(ref.size() - hyp.size());
                int best = closest < 0 ? Integer.MAX_VALUE : Math.abs(closest - hyp.size());
                if (closest < 0 || d < best || d == best && ref.size() < closest) {
                    closest = ref.size();
                }
                ngrams(ref, 4).forEach((g, c) -> maxRef.merge(g, c, Math::max));
            }
            refLength += Math.max(closest, 0);
            for (var e : ngrams(hyp, 4).entrySet()) {
                int n = e.getKey().split(" ", -1).length;
                total[n - 1] += e.getValue();
                correct[n - 1] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
            }
        }
        double[] precisions = new double[4];
        double smooth = 1;
        for (int n = 0; n < 4; n++) {
            if (total[n] == 0) {
                break;
            }
            if (correct[n] == 0) { // sacreBLEU's "exp" smoothing
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            } else {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }
        double bp = hypLength == 0 ? 0 : hypLength >= refLength ? 1 : Math.exp(1 - (double) refLength / hypLength);
        double logSum = 0;
        for (double p : precisions) {
            logSum += p == 0 ? -9999999999.0 : Math.log(p);
        }
        return new Bleu(bp * Math.exp(logSum / 4), precisions, bp, hypLength, refLength);
    }

    // sacreBLEU's tokenizer_13a (mteval-v13a): punctuation split off, periods and commas unless by digits
    private static final Pattern[] RULES = {Pattern.compile("([\\{-~\\[-` -&\\(-\\+:-@/])"),
        Pattern.compile("([^0-9])([\\.,])"), Pattern.compile("([\\.,])([^0-9])"), Pattern.compile("([0-9])(-)")};
    private static final String[] REPLACEMENTS = {" $1 ", "$1 $2 ", " $1 $2", "$1 $2 "};

    static List<String> tokenize13a(String text) {
        String line = text.replace("<skipped>", "").replace("-\n", "").replace("\n", " ");
        if (line.contains("&")) {
            line = line.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
        }
        line = " " + line + " ";
        for (int i = 0; i < RULES.length; i++) {
            line = RULES[i].matcher(line).replaceAll(REPLACEMENTS[i]);
        }
        String trimmed = line.trim();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }

    private static Map<String, Integer> ngrams(List<String> tokens, int maxOrder) {
        Map<String, Integer> counts = new HashMap<>();
        for (int n = 1; n <= maxOrder; n++) {
            for (int i = 0; i + n <= tokens.size(); i++) {
                counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** One ROUGE score: precision, recall and their harmonic mean. */
    public record Score(double precision, double recall, double fmeasure) {}

    /** rouge_score's {@code RougeScorer(["rouge1", "rouge2", "rougeL"]).score(target, prediction)}. */
    public static Map<String, Score> rouge(String target, String prediction) {
        List<String> t = tokenizeRouge(target);
        List<String> p = tokenizeRouge(prediction);
        Map<String, Score> out = new LinkedHashMap<>();
        out.put("rouge1", overlap(t, p, 1));
        out.put("rouge2", overlap(t, p, 2));
        int lcs = lcs(t, p);
        out.put("rougeL", score(lcs, p.size(), t.size()));
        return out;
    }

    /** The mean F-measure of each ROUGE score over pairs, as evaluate's rouge reports it (rouge1, rouge2, rougeL). */
    public static Map<String, Double> rouge(List<String> predictions, List<String> references) {
        if (predictions.size() != references.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions but " + references.size()
                    + " references");
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int i = 0; i < predictions.size(); i++) {
            rouge(references.get(i), predictions.get(i)).forEach((k, s) -> sums.merge(k, s.fmeasure(), Double::sum));
        }
        sums.replaceAll((k, v) -> predictions.isEmpty() ? 0 : v / predictions.size());
        return sums;
    }

    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");

    static List<String> tokenizeRouge(String text) {
        List<String> out = new ArrayList<>();
        for (String token : NON_ALPHANUMERIC.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").split(" ")) {
            if (!token.isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }

    private static Score overlap(List<String> target, List<String> prediction, int n) {
        Map<String, Integer> t = new HashMap<>();
        Map<String, Integer> p = new HashMap<>();
        for (int i = 0; i + n <= target.size(); i++) {
            t.merge(String.join(" ", target.subList(i, i + n)), 1, Integer::sum);
        }
        for (int i = 0; i + n <= prediction.size(); i++) {
            p.merge(String.join(" ", prediction.subList(i, i + n)), 1, Integer::sum);
        }
        int hits = 0;
        for (var e : t.entrySet()) {
            hits += Math.min(e.getValue(), p.getOrDefault(e.getKey(), 0));
        }
        return score(hits, Math.max(prediction.size() - n + 1, 0), Math.max(target.size() - n + 1, 0));
    }

    private static Score score(int hits, int predictionCount, int targetCount) {
        double precision = (double) hits / Math.max(predictionCount, 1);
        double recall = (double) hits / Math.max(targetCount, 1);
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new Score(precision, recall, f);
    }

    private static int lcs(List<String> a, List<String> b) {
        int[][] table = new int[a.size() + 1][b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                table[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? table[i - 1][j - 1] + 1
                        : Math.max(table[i - 1][j], table[i][j - 1]);
            }
        }
        return table[a.size()][b.size()];
    }
}
