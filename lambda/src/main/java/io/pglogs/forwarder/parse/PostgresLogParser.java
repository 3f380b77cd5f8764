package io.pglogs.forwarder.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one PostgreSQL log entry (a first line plus any continuation lines) into fields.
 *
 * <p>Understands the RDS default prefix {@code %t:%r:%u@%d:[%p]:}, the PostgreSQL 16+ RDS prefix
 * {@code %m:%r:%u@%d:[%p]:%l:%e:%s:%v:%x:%c:%q%a}, an optional leading CloudWatch ISO timestamp, csvlog records and
 * PostgreSQL 15's jsonlog records.
 * It anchors on {@code :[pid]:} and on PostgreSQL's own {@code "SEVERITY:  "} marker rather than splitting on colons,
 * because clients (IPv6), database names and messages all contain colons. Anything else comes back whole as
 * {@link LogEntry#UNKNOWN}. Thread-safe and allocation-light: it runs once per stored entry.
 */
public final class PostgresLogParser {
    private final LogTimeZone zones;

    /** A parser that resolves unambiguous zone abbreviations only. */
    public PostgresLogParser() {
        this(LogTimeZone.NONE);
    }

    /** A parser for a server whose {@code log_timezone} is {@code zones}'s zone. */
    public PostgresLogParser(LogTimeZone zones) {
        this.zones = zones;
    }

    public LogEntry parse(String text) {
        String line = stripTrailingNewlines(text);
        int p = skipCloudWatchTimestamp(line);
        if (line.startsWith(JsonLogParser.START, p)) {
            LogEntry json = JsonLogParser.parse(line, p, zones);
            return json != null ? json : LogEntry.unparsed(line);
        }
        if (!PrefixTimestamp.startsAt(line, p)) {
            return LogEntry.unparsed(line);
        }
        int afterSeconds = p + 19;
        int comma = line.indexOf(',', afterSeconds);
        int colon = line.indexOf(':', afterSeconds);
        if (comma >= 0 && (colon < 0 || comma < colon)) {
            LogEntry csv = parseCsv(line, p);
            return csv != null ? csv : LogEntry.unparsed(line);
        }
        LogEntry stderr = parseStderr(line, p);
        return stderr != null ? stderr : LogEntry.unparsed(line);
    }

    /**
     * The zone text after an entry's timestamp when that zone is why the entry has no time of its own (an
     * abbreviation that names several offsets, and no or another log_timezone), else null.
     */
    public String unresolvedZone(String text) {
        String line = stripTrailingNewlines(text);
        if (parse(line).timestamp() != null) {
            return null;
        }
        int p = skipCloudWatchTimestamp(line);
        if (line.startsWith(JsonLogParser.START, p)) {
            p += JsonLogParser.START.length();
        }
        if (!PrefixTimestamp.startsAt(line, p)) {
            return null;
        }
        int i = p + 19;
        if (i < line.length() && line.charAt(i) == '.') {
            i++;
            while (i < line.length() && PrefixTimestamp.isDigit(line.charAt(i))) {
                i++;
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            return null;
        }
        int end = i + 1;
        while (end < line.length() && ":,\"".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        return end > i + 1 ? line.substring(i + 1, end) : null;
    }

    private LogEntry parseStderr(String line, int p) {
        PrefixTimestamp ts = PrefixTimestamp.parse(line, p, ':', zones);
        if (ts == null || ts.end >= line.length() || line.charAt(ts.end) != ':') {
            return null;
        }
        int fieldsStart = ts.end + 1;
        int anchor = findPidAnchor(line, fieldsStart);
        if (anchor < 0) {
            return null;
        }
        int pidStart = anchor + 2;
        int pidEnd = line.indexOf(']', pidStart);
        Integer pid = parsePid(line, pidStart, pidEnd);

        // fieldsStart..anchor holds "client:user@db"; the client may itself hold colons (IPv6) or be "[local]".
        int clientEnd = clientEnd(line, fieldsStart, anchor);
        if (clientEnd < 0) {
            return null;
        }
        int at = line.indexOf('@', clientEnd + 1);
        if (at < 0 || at > anchor) {
            return null;
        }
        String client = emptyToNull(line.substring(fieldsStart, clientEnd));
        String user = emptyToNull(line.substring(clientEnd + 1, at));
        String database = emptyToNull(line.substring(at + 1, anchor));

        int rest = pidEnd + 2;
        int marker = findSeverityMarker(line, rest);
        int messageStart = marker + 3;
        int direct = severityAfterPid(line, rest);
        if (direct >= 0 && (marker < 0 || direct < marker)) {
            marker = direct;
            messageStart = skipSpaces(line, direct + 1);
        }
        String severity;
        String message;
        String sqlstate = null;
        String sessionId = null;
        String application = null;
        if (marker < 0) {
            // Stored whole (docs/schema.md): what the line says does not depend on where the parser thought its
            // prefix ended; the fields it could read from the prefix are kept besides.
            severity = LogEntry.UNKNOWN;
            message = line;
        } else {
            int sevEnd = marker;
            severity = Severity.endingAt(line, rest, sevEnd);
            int sevStart = sevEnd - severity.length();
            if (sevStart > rest) {
                ExtendedFields ext = ExtendedFields.parse(line, rest, sevStart);
                if (ext != null) {
                    sqlstate = ext.sqlstate;
                    sessionId = ext.sessionId;
                    application = ext.application;
                }
            }
            message = line.substring(Math.min(messageStart, line.length()));
        }
        return new LogEntry(ts.zoneKnown ? ts.instant : null, ts.hasMillis, client, user, database, pid, severity,
                message, sqlstate, sessionId, application);
    }

    /** Index of the ':' that starts the first {@code :[digits]:} at or after {@code from}, or -1. */
    private static int findPidAnchor(String line, int from) {
        int i = from - 1;
        while ((i = line.indexOf(":[", i)) >= 0) {
            int j = i + 2;
            while (j < line.length() && PrefixTimestamp.isDigit(line.charAt(j))) {
                j++;
            }
            if (j > i + 2 && j + 1 < line.length() && line.charAt(j) == ']' && line.charAt(j + 1) == ':') {
                return i;
            }
            i = i + 1;
        }
        return -1;
    }

    /** End (exclusive) of the client field starting at {@code from}; the ':' after it follows. */
    private static int clientEnd(String line, int from, int limit) {
        if (line.startsWith("[local]:", from)) {
            return from + 7;
        }
        // host(port): the port's closing parenthesis is followed by ':'; IPv6 hosts contain colons before it.
        int close = line.indexOf("):", from);
        if (close >= 0 && close < limit) {
            int open = line.lastIndexOf('(', close);
            if (open >= from && open + 1 < close && allDigits(line, open + 1, close)
                    && line.indexOf('@', from) > close) {
                return close + 1;
            }
        }
        int colon = line.indexOf(':', from);
        return colon >= 0 && colon <= limit ? colon : -1;
    }

    /**
     * Index of the ':' of a severity written straight after the RDS prefix's {@code ]:} with one or more spaces after
     * it ({@code ...:[1234]:LOG: message}), as pipelines that collapse PostgreSQL's two spaces leave it; -1 if none.
     * pgBadger ({@code :\s+}) and pganalyze's collector accept it too; without a space it is not a severity.
     */
    private static int severityAfterPid(String line, int from) {
        for (List<String> words : List.of(Severity.LEVELS, Severity.COMPANIONS)) {
            for (String word : words) {
                int colon = from + word.length();
                if (line.startsWith(word, from) && colon + 1 < line.length() && line.charAt(colon) == ':'
                        && line.charAt(colon + 1) == ' ') {
                    return colon;
                }
            }
        }
        return -1;
    }

    /** Past the one or two spaces after a severity (PostgreSQL writes two; a pipeline may collapse them to one). */
    private static int skipSpaces(String line, int i) {
        int end = Math.min(line.length(), i + 2);
        while (i < end && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Index of the ':' in the first {@code "SEVERITY:  "} at or after {@code from}, or -1. */
    private static int findSeverityMarker(String line, int from) {
        int i = from;
        while ((i = line.indexOf(":  ", i)) >= 0) {
            if (Severity.endingAt(line, from, i) != null) {
                return i;
            }
            i++;
        }
        // PostgreSQL always writes two spaces after the severity, but a message may be empty ("LOG:  " trimmed).
        for (String word : Severity.LEVELS) {
            if (line.startsWith(word, from) && line.length() == from + word.length() + 1
                    && line.charAt(from + word.length()) == ':') {
                return from + word.length();
            }
        }
        return -1;
    }

    /** The {@code %l:%e:%s:%v:%x:%c:%q%a} fields of the PostgreSQL 16+ RDS prefix, best effort. */
    private record ExtendedFields(String sqlstate, String sessionId, String application) {
        static ExtendedFields parse(String line, int from, int to) {
            String s = line.substring(from, to);
            int c1 = s.indexOf(':');
            if (c1 < 0 || !allDigits(s, 0, c1) || s.length() < c1 + 7 || s.charAt(c1 + 6) != ':') {
                return null;
            }
            String sqlstate = s.substring(c1 + 1, c1 + 6);
            int p = c1 + 7;
            // %s is a timestamp with colons of its own.
            PrefixTimestamp start = PrefixTimestamp.parse(s, p, ':', LogTimeZone.NONE);
            if (start == null || start.end >= s.length()) {
                return null;
            }
            int vxidEnd = s.indexOf(':', start.end + 1);
            int xidEnd = vxidEnd < 0 ? -1 : s.indexOf(':', vxidEnd + 1);
            int sessionEnd = xidEnd < 0 ? -1 : s.indexOf(':', xidEnd + 1);
            if (sessionEnd < 0) {
                return null;
            }
            return new ExtendedFields(emptyToNull(sqlstate), emptyToNull(s.substring(xidEnd + 1, sessionEnd)),
                    emptyToNull(s.substring(sessionEnd + 1)));
        }
    }

    private LogEntry parseCsv(String line, int p) {
        List<String> f = splitCsv(line, p);
        if (f == null || f.size() < 23) {
            return null;
        }
        PrefixTimestamp ts = PrefixTimestamp.parse(f.get(0) + ",", 0, ',', zones);
        String severity = f.get(11);
        if (ts == null || !Severity.isKnown(severity)) {
            return null;
        }
        StringBuilder message = new StringBuilder(f.get(13));
        appendCompanion(message, "DETAIL", f.get(14));
        appendCompanion(message, "HINT", f.get(15));
        appendCompanion(message, "QUERY", f.get(16));
        appendCompanion(message, "CONTEXT", f.get(18));
        appendCompanion(message, "STATEMENT", f.get(19));
        return new LogEntry(ts.zoneKnown ? ts.instant : null, ts.hasMillis, csvClient(f.get(4)),
                emptyToNull(f.get(1)), emptyToNull(f.get(2)), parsePid(f.get(3), 0, f.get(3).length()), severity,
                message.toString(), emptyToNull(f.get(12)), emptyToNull(f.get(5)), emptyToNull(f.get(22)));
    }

    private static void appendCompanion(StringBuilder message, String word, String value) {
        JsonLogParser.appendCompanion(message, word, value);
    }

    /** csvlog writes {@code host:port}; the stderr prefix writes {@code host(port)}. Stored the stderr way. */
    private static String csvClient(String from) {
        if (from.isEmpty()) {
            return null;
        }
        int colon = from.lastIndexOf(':');
        if (colon > 0 && colon < from.length() - 1 && allDigits(from, colon + 1, from.length())) {
            return from.substring(0, colon) + "(" + from.substring(colon + 1) + ")";
        }
        return from;
    }

    /** RFC 4180 fields from {@code p}; null if a quote is left open. */
    static List<String> splitCsv(String line, int p) {
        List<String> fields = new ArrayList<>(26);
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = p; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    private static int skipCloudWatchTimestamp(String line) {
        // e.g. "2024-05-01T10:00:00.123Z 2024-05-01 10:00:00 UTC:..." as some exporters prepend.
        if (line.length() > 21 && line.charAt(10) == 'T' && PrefixTimestamp.isDigit(line.charAt(0))
                && line.charAt(4) == '-') {
            int space = line.indexOf(' ');
            if (space > 19 && line.charAt(space - 1) == 'Z') {
                return space + 1;
            }
        }
        return 0;
    }

    private static Integer parsePid(String s, int from, int to) {
        if (to <= from || to - from > 10 || !allDigits(s, from, to)) {
            return null;
        }
        long v = Long.parseLong(s, from, to, 10);
        return v <= Integer.MAX_VALUE ? (int) v : null;
    }

    private static boolean allDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!PrefixTimestamp.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }
}
