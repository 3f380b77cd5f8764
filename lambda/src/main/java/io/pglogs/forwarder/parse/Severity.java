package io.pglogs.forwarder.parse;

import java.util.List;

/** PostgreSQL's severity words, including the companion lines that follow a primary message. */
public final class Severity {
    private Severity() {
    }

    /**
     * Primary severities, most severe last, as {@code --min-severity} orders them. PostgreSQL ranks LOG above ERROR
     * for log_min_messages; here it ranks with the routine messages, since that is what LOG lines are in practice.
     */
    public static final List<String> LEVELS = List.of(
            "DEBUG5", "DEBUG4", "DEBUG3", "DEBUG2", "DEBUG1", "INFO", "NOTICE", "LOG", "WARNING", "ERROR", "FATAL",
            "PANIC");

    /** Lines PostgreSQL writes after a primary message, each with its own prefix. */
    public static final List<String> COMPANIONS = List.of(
            "DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION");

    private static final String[] ALL = concat();

    private static String[] concat() {
        String[] all = new String[LEVELS.size() + COMPANIONS.size()];
        int i = 0;
        for (String s : LEVELS) {
            all[i++] = s;
        }
        for (String s : COMPANIONS) {
            all[i++] = s;
        }
        return all;
    }

    /**
     * The severity word that ends exactly at {@code end} in {@code s} (exclusive), or null. PostgreSQL writes the
     * severity straight after the prefix, so with {@code %a} last in the prefix an application name may run into it.
     */
    static String endingAt(String s, int from, int end) {
        for (String word : ALL) {
            int start = end - word.length();
            if (start >= from && s.startsWith(word, start)) {
                return word;
            }
        }
        return null;
    }

    public static boolean isKnown(String word) {
        for (String s : ALL) {
            if (s.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
