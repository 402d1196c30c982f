package dev.javaformers.util;

import java.util.Collection;
import java.util.Locale;

/** Suggestions for misspelt names (options, keys, tasks), for error messages. */
public final class Names {

    private Names() {}

    /**
     * {@code " Did you mean 'x'?"} for the first of {@code given} that is a small edit away from one of
     * {@code known} (a quarter of its length at most), else an empty string.
     */
    public static String didYouMean(Collection<?> given, Collection<?> known) {
        for (Object g : given) {
            String wrong = String.valueOf(g).toLowerCase(Locale.ROOT);
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (Object k : known) {
                String candidate = String.valueOf(k);
                int d = distance(wrong, candidate.toLowerCase(Locale.ROOT));
                if (d < bestDistance) {
                    best = candidate;
                    bestDistance = d;
                }
            }
            if (best != null && bestDistance > 0 && bestDistance <= Math.max(1, wrong.length() / 4)) {
                return " Did you mean '" + best + "'?";
            }
        }
        return "";
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
