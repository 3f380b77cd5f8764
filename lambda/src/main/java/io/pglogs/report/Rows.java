package io.pglogs.report;

import io.pglogs.forwarder.dynamo.LogRow;
import java.time.Instant;
import java.time.LocalDate;

/** Reading the attributes a report needs from a stored row, quickly (the report reads every entry of a window). */
public final class Rows {
    private Rows() {
    }

    /** Fields csvlog and jsonlog fold into the message, each on a line of its own (docs/schema.md "Attributes"). */
    static final String[] FOLDED = {"DETAIL", "HINT", "QUERY", "CONTEXT", "STATEMENT", "LOCATION"};

    /** Epoch milliseconds of a stored time ({@code 2024-05-01T10:00:00.123Z}, fixed width); Instant.parse else. */
    static long millis(String iso) {
        if (iso.length() == 24 && iso.charAt(10) == 'T' && iso.charAt(23) == 'Z') {
            long day = LocalDate.of(digits(iso, 0, 4), digits(iso, 5, 2), digits(iso, 8, 2)).toEpochDay();
            return day * 86_400_000L + digits(iso, 11, 2) * 3_600_000L + digits(iso, 14, 2) * 60_000L
                    + digits(iso, 17, 2) * 1_000L + digits(iso, 20, 3);
        }
        return Instant.parse(iso).toEpochMilli();
    }

    private static int digits(String s, int at, int count) {
        int n = 0;
        for (int i = at; i < at + count; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n;
    }

    /** A number attribute as a double; 0 when absent. */
    static double decimal(LogRow row, String name) {
        Object v = row.attributes().get(name);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    /** Milliseconds (or seconds) printed to three decimals, as a whole number of thousandths: sums stay exact. */
    static long micros(double ms) {
        return Math.round(ms * 1000);
    }

    /** A number attribute as a long; 0 when absent. */
    static long whole(LogRow row, String name) {
        Object v = row.attributes().get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    static Long pid(LogRow row) {
        Object v = row.attributes().get(io.pglogs.forwarder.dynamo.ItemContract.PID);
        return v instanceof Number n ? n.longValue() : null;
    }

    /** The message's first line: what PostgreSQL said, before the fields csvlog and jsonlog fold in. */
    public static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** The message before its first folded field: a statement's text may run over several lines. */
    static String beforeFolded(String message) {
        int end = message.length();
        for (String f : FOLDED) {
            int at = message.indexOf("\n" + f + ":  ");
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return message.substring(0, end);
    }

    /** A field csvlog or jsonlog folded into the message ({@code \nDETAIL:  ...}), to the next one; null if none. */
    static String folded(String message, String field) {
        int at = message.indexOf("\n" + field + ":  ");
        if (at < 0) {
            return null;
        }
        int from = at + field.length() + 4;
        int end = message.length();
        for (String f : FOLDED) {
            int next = message.indexOf("\n" + f + ":  ", from);
            if (next >= 0 && next < end) {
                end = next;
            }
        }
        return message.substring(from, end);
    }

    /**
     * The statement of a {@code duration: X ms  statement: ...} (or execute, bind, parse {@code <name>: }), of a
     * {@code statement: ...} or an {@code execute <name>: ...}: the text after that prefix, before any folded field.
     */
    static String statementText(String message) {
        String m = beforeFolded(message);
        int from = 0;
        if (m.startsWith("duration: ")) {
            int ms = m.indexOf(" ms", 10);
            if (ms < 0) {
                return "";
            }
            from = ms + 3;
            while (from < m.length() && m.charAt(from) == ' ') {
                from++;
            }
        }
        if (m.startsWith("statement: ", from)) {
            return m.substring(from + 11);
        }
        if (m.startsWith("plan:", from)) {
            int q = m.indexOf("Query Text: ", from);
            if (q < 0) {
                return "";
            }
            int end = m.indexOf('\n', q);
            return m.substring(q + 12, end < 0 ? m.length() : end);
        }
        for (String step : new String[] {"execute ", "bind ", "parse "}) {
            if (m.startsWith(step, from)) {
                int colon = m.indexOf(": ", from + step.length());
                return colon < 0 ? "" : m.substring(colon + 2);
            }
        }
        return m.substring(from);
    }

    /** Whether a statement_duration entry is the parse or bind step of the extended protocol. */
    static boolean isParseOrBind(String message) {
        int at = message.indexOf(" ms  ");
        return at > 0 && (message.startsWith("parse ", at + 5) || message.startsWith("bind ", at + 5));
    }
}
