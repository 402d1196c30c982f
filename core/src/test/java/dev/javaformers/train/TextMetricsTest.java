package dev.javaformers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** BLEU and ROUGE on the examples whose scores sacreBLEU's and rouge_score's READMEs publish. */
class TextMetricsTest {

    @Test
    void bleuAsSacreBleusReadme() {
        // sacreBLEU's README: refs are two reference streams; evaluate's form is the references of each sentence.
        List<String> sys = List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
        List<List<String>> refs = List.of(List.of("The dog bit the man.", "The dog had bit the man."),
                List.of("It was not unexpected.", "No one was surprised."),
                List.of("The man bit him first.", "The man had bitten the dog."));
        TextMetrics.Bleu bleu = TextMetrics.bleu(sys, refs);
        assertEquals("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)",
                bleu.toString());
    }

    @Test
    void bleuTokenizesAs13aAndSmoothsZeroCounts() {
        assertEquals(List.of("It", "wasn't", "surprising", "."), TextMetrics.tokenize13a("It wasn't surprising."));
        assertEquals(List.of("3.5", "million", ",", "1,000", "-", "2"), TextMetrics.tokenize13a("3.5 million, 1,000-2"));
        TextMetrics.Bleu none = TextMetrics.bleu(List.of("a b c d"), List.of(List.of("a b x y")));
        // 2/4 unigrams, 1/3 bigrams, 0/2 trigrams (100 / (2 * 2)), 0/1 four-grams (100 / (4 * 1))
        assertEquals(Math.exp((Math.log(50) + Math.log(100.0 / 3) + Math.log(25) + Math.log(25)) / 4), none.score(),
                1e-9);
        assertEquals(100.0, TextMetrics.bleu(List.of("the same words here"), List.of(List.of("the same words here")))
                .score(), 1e-9);
    }

    @Test
    void rougeAsRougeScoresReadme() {
        var scores = TextMetrics.rouge("The quick brown fox jumps over the lazy dog",
                "The quick brown dog jumps on the log.");
        assertEquals(0.75, scores.get("rouge1").precision(), 1e-12);
        assertEquals(0.6666666666666666, scores.get("rouge1").recall(), 1e-12);
        assertEquals(0.7058823529411765, scores.get("rouge1").fmeasure(), 1e-12);
        assertEquals(0.625, scores.get("rougeL").precision(), 1e-12);
        assertEquals(0.5555555555555556, scores.get("rougeL").recall(), 1e-12);
        assertEquals(0.5882352941176471, scores.get("rougeL").fmeasure(), 1e-12);
        // bigrams: the quick, quick brown (2 of 7 predicted, 2 of 8 in the target)
        assertEquals(2.0 / 7, scores.get("rouge2").precision(), 1e-12);
        assertEquals(2.0 / 8, scores.get("rouge2").recall(), 1e-12);
        assertEquals(0.5, TextMetrics.rouge(List.of("a b", "x"), List.of("a b", "y")).get("rougeL"), 1e-12,
                "the mean F-measure over pairs: 1 and 0");
    }
}
