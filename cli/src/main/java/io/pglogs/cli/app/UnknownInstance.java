package io.pglogs.cli.app;

import java.util.Comparator;
import java.util.List;

/**
 * A named instance the table has never seen (no catalogue item in the days its entries are kept), with the known
 * names closest to it: a typo should say so rather than look like a quiet hour.
 *
 * @param closest the known names nearest by edit distance, nearest first; empty when the table knows none
 */
public record UnknownInstance(String name, List<String> closest) {
    static final int SUGGESTIONS = 3;

    static UnknownInstance of(String name, List<String> known) {
        return new UnknownInstance(name, known.stream()
                .sorted(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k))
                .limit(SUGGESTIONS).toList());
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
