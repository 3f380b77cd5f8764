package io.pglogs.report;

import io.pglogs.forwarder.dynamo.LogRow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds every text the report keeps of an entry (samples, messages, DETAIL/STATEMENT companions, lock and temp-file
 * texts: all come from the row's attributes). An entry may hold up to ~390 KB of message; a summary keeps both the
 * normalised message and a sample, which zlib cannot share past 32 KB, so one such entry would make a summary item
 * above DynamoDB's 400 KB (review of issue 26, finding 2). Applied where the report counts a row, so the report from
 * entries and the report from summaries cap the same texts the same way and stay equal.
 */
public final class BoundedTexts {
    /** The most characters of one text a report (and so a summary) keeps. */
    public static final int MAX_CHARS = 8_192;
    /** Ends a cut text, with how many characters were left out. */
    static final String MARK = "... [pglogs: %d more characters not kept]";

    private BoundedTexts() {
    }

    /** {@code row} with every text longer than {@link #MAX_CHARS} cut and marked; the same row when none is. */
    public static LogRow cap(LogRow row) {
        Map<String, Object> copy = null;
        for (Map.Entry<String, Object> a : row.attributes().entrySet()) {
            if (a.getValue() instanceof String s && s.length() > MAX_CHARS) {
                if (copy == null) {
                    copy = new LinkedHashMap<>(row.attributes());
                }
                copy.put(a.getKey(), cap(s));
            }
        }
        return copy == null ? row : new LogRow(row.sortKey(), copy);
    }

    /** {@code s} cut to {@link #MAX_CHARS} characters (never inside a surrogate pair) and marked. */
    public static String cap(String s) {
        if (s.length() <= MAX_CHARS) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return s.substring(0, end) + String.format(MARK, s.length() - end);
    }
}
