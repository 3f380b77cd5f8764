package io.pglogs.forwarder.parse;

import static io.pglogs.forwarder.parse.EntryKind.*;

/**
 * Reads what an entry is ({@link EntryKind}) and the numbers it carries from its severity and message, by
 * PostgreSQL's own message texts (lc_messages = 'C', as RDS logs them): {@code duration: X ms}, {@code temporary
 * file: path "...", size N}, {@code checkpoint complete: wrote N buffers ...}, and so on (docs/schema.md "Kinds").
 * Cheap: a few {@code startsWith} on the message's first characters; the statement is normalised and hashed only for
 * entries that carry one. Not thread-safe (its {@link StatementFingerprint} reuses a buffer): one per builder.
 */
public final class EntryClassifier {
    /** The companion lines csvlog and jsonlog records have folded into the message. */
    private static final String[] COMPANION_MARKERS = {"\nDETAIL:  ", "\nHINT:  ", "\nQUERY:  ", "\nCONTEXT:  ",
            "\nSTATEMENT:  ", "\nLOCATION:  "};
    private static final String STATEMENT_MARKER = "\nSTATEMENT:  ";

    private final StatementFingerprint fingerprints = new StatementFingerprint();

    /**
     * The version of these rules, stored on compact items beside the kinds they read ({@code kv}, docs/schema.md):
     * raise it whenever an entry would be given another kind than before, so readers stop trusting the kinds of items
     * written by the rules before and classify their entries again.
     */
    public static final int VERSION = 1;

    /** The most digits a number keeps (a Java long holds 18 any way they are set): user text can print any run. */
    static final int MAX_DIGITS = 18;

    /**
     * What the entry is; never throws: messages are user text too ({@code RAISE LOG}), and classifying must never
     * cost the entry, so one this cannot read is {@code other} without numbers.
     *
     * @param message as stored (after redaction: the fingerprint is then one any reader can compute again)
     */
    public EntryFacts classify(String severity, String sqlstate, String message) {
        try {
            return classifyOrThrow(severity, sqlstate, message);
        } catch (RuntimeException e) {
            return EntryFacts.of(OTHER);
        }
    }

    private EntryFacts classifyOrThrow(String severity, String sqlstate, String message) {
        if (severity == null || message == null) {
            return EntryFacts.of(OTHER);
        }
        EntryFacts facts = bySeverity(severity, sqlstate, message);
        if (facts.kind().equals(OTHER) || facts.kind().equals(ERROR) || facts.kind().equals(FATAL)
                || facts.kind().equals(PANIC) || message.indexOf('\n') < 0 || !raisedByPlpgsql(message)) {
            return facts;
        }
        // A PL/pgSQL RAISE prints any text at any level ("RAISE LOG 'duration: 5 ms'"): what it says is no kind. Only
        // csvlog and jsonlog tell (their CONTEXT is folded in); in stderr the CONTEXT is an entry of its own.
        String kind = severity.equals("ERROR") ? ERROR : severity.equals("FATAL") ? FATAL
                : severity.equals("PANIC") ? PANIC : OTHER;
        // An error keeps its STATEMENT's fingerprint: that statement is real, only the message is the function's.
        return new EntryFacts(kind, null, kind.equals(OTHER) ? null : facts.fingerprint(), facts.sqlstateClass(), null,
                null, null, null, null, null, null, null);
    }

    private static final String CONTEXT_MARKER = "\nCONTEXT:  ";

    /** Whether the message's CONTEXT says a PL/pgSQL RAISE made it: "PL/pgSQL function f() line N at RAISE". */
    private static boolean raisedByPlpgsql(String m) {
        int at = m.indexOf(CONTEXT_MARKER);
        if (at < 0 || !m.startsWith("PL/pgSQL function ", at + CONTEXT_MARKER.length())) {
            return false;
        }
        int end = m.indexOf('\n', at + CONTEXT_MARKER.length());
        return m.substring(at + CONTEXT_MARKER.length(), end < 0 ? m.length() : end).endsWith(" at RAISE");
    }

    private EntryFacts bySeverity(String severity, String sqlstate, String message) {
        return switch (severity) {
            case "LOG" -> log(message);
            case "ERROR", "FATAL", "PANIC" -> failure(severity, sqlstate, message);
            case "STATEMENT" -> new EntryFacts(OTHER, null, fingerprint(message, 0), null, null, null, null, null,
                    null, null, null, null);
            case "WARNING" -> message.startsWith("terminating connection because of crash of another server process")
                    ? EntryFacts.of(CRASH_RECOVERY) : EntryFacts.of(OTHER);
            default -> EntryFacts.of(OTHER);
        };
    }

    private EntryFacts log(String m) {
        // csvlog and jsonlog fold DETAIL, CONTEXT and STATEMENT into the message: what the message says is its first
        // line (a statement's text must not make a lock wait, a temp file or an out of memory of another entry).
        if (m.startsWith("duration: ")) {
            return duration(m);
        }
        if (m.startsWith("statement: ")) {
            return statement(STATEMENT_LOG, null, m, 11);
        }
        if (m.startsWith("execute ")) {
            int colon = m.indexOf(": ", 8);
            if (colon > 0) {
                return statement(STATEMENT_LOG, null, m, colon + 2);
            }
        }
        if (m.startsWith("connection received: ")) {
            return EntryFacts.of(CONNECTION_RECEIVED);
        }
        if (m.startsWith("connection authorized: ") || m.startsWith("replication connection authorized: ")
                || m.startsWith("connection authenticated: ")) {
            return EntryFacts.of(CONNECTION_AUTHORIZED);
        }
        if (m.startsWith("disconnection: session time: ")) {
            return new EntryFacts(DISCONNECTION, null, null, null, null, null, sessionMillis(m, 29), null, null,
                    null, null, null);
        }
        // Only what follows reads the first line: found here, not for every statement above.
        String first = firstLine(m);
        if (m.startsWith("temporary file: ")) {
            int size = first.lastIndexOf(", size ");
            String bytes = size < 0 ? null : digits(first, size + 7);
            return new EntryFacts(TEMP_FILE, null, null, null, bytes, null, null, null, null, null, null, null);
        }
        if (m.startsWith("checkpoint starting: ") || m.startsWith("restartpoint starting: ")) {
            return EntryFacts.of(CHECKPOINT_STARTING);
        }
        if (m.startsWith("checkpoint complete: ") || m.startsWith("restartpoint complete: ")) {
            return checkpoint(first);
        }
        if (m.startsWith("automatic ")) {
            int of = first.indexOf(" of table \"");
            if (of > 0) {
                int start = of + 11;
                // PostgreSQL prints "db.schema.table" with the names as they are, unquoted (vacuumlazy.c, analyze.c):
                // a name may hold '"' itself. Nothing after the closing quote on the line does ("": index scans: N").
                int end = first.lastIndexOf('"');
                String relation = end > start ? first.substring(start, end) : null;
                String kind = m.startsWith("automatic analyze") ? AUTOANALYZE
                        : m.regionMatches(0, "automatic vacuum", 0, 16) || m.startsWith("automatic aggressive vacuum")
                        ? AUTOVACUUM : null;
                if (kind != null) {
                    return new EntryFacts(kind, null, null, null, null, null, null, relation, null, null, null, null);
                }
            }
            return EntryFacts.of(OTHER);
        }
        if (m.startsWith("process ")) {
            return lockProcess(first);
        }
        String kind = server(first);
        return EntryFacts.of(kind);
    }

    /** {@code duration: X ms} alone, or followed by {@code statement: }, {@code execute|bind|parse <name>: } or {@code plan:}. */
    private EntryFacts duration(String m) {
        int ms = m.indexOf(" ms", 10);
        if (ms < 0 || !isNumber(m, 10, ms)) {
            return EntryFacts.of(OTHER);
        }
        String duration = m.substring(10, ms);
        int rest = ms + 3;
        if (m.startsWith("  plan:", rest)) {
            // auto_explain's text format: "Query Text: ..." is the plan's first line; its JSON format: "Query Text": "...".
            int q = m.indexOf("Query Text: ", rest);
            String fp = null;
            if (q >= 0 && q + 12 < m.length() && m.charAt(q + 12) != '"') {
                int end = m.indexOf('\n', q);
                // The plan follows the Query Text's line; a statement of several lines continues there instead, and its
                // first line alone is not the statement: no fingerprint then (never one of another statement).
                if (end < 0 || isPlanNode(m, end + 1)) {
                    fp = fingerprints.of(m, q + 12, end < 0 ? m.length() : end);
                }
            }
            return new EntryFacts(AUTO_EXPLAIN, duration, fp, null, null, null, null, null, null, null, null, null);
        }
        int text = -1;
        if (m.startsWith("  statement: ", rest)) {
            text = rest + 13;
        } else if (m.startsWith("  execute ", rest) || m.startsWith("  bind ", rest) || m.startsWith("  parse ", rest)
                || m.startsWith("  fastpath function call: ", rest)) {
            int colon = m.indexOf(": ", rest + 2);
            text = colon < 0 ? -1 : colon + 2;
        }
        if (text < 0) {
            return new EntryFacts(STATEMENT_DURATION, duration, null, null, null, null, null, null, null, null, null,
                    null);
        }
        return statement(STATEMENT_DURATION, duration, m, text);
    }

    /** auto_explain's text format always prints costs: a plan's first node ends its line with them. */
    private static final java.util.regex.Pattern PLAN_NODE = java.util.regex.Pattern.compile(
            "[\\t ]*\\S.*  \\(cost=\\d+\\.\\d+\\.\\.\\d+\\.\\d+ rows=\\d+ width=\\d+\\)( \\(actual .*\\))?");

    private static boolean isPlanNode(String m, int from) {
        int end = m.indexOf('\n', from);
        return PLAN_NODE.matcher(m).region(from, end < 0 ? m.length() : end).matches();
    }

    private EntryFacts statement(String kind, String duration, String m, int from) {
        return new EntryFacts(kind, duration, fingerprint(m, from), null, null, null, null, null, null, null, null,
                null);
    }

    /** The fingerprint of the statement starting at {@code from}, up to the first companion line folded in. */
    private String fingerprint(String m, int from) {
        int end = m.length();
        if (m.indexOf('\n', from) >= 0) {
            for (String marker : COMPANION_MARKERS) {
                int at = m.indexOf(marker, from);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
        }
        return fingerprints.of(m, from, end);
    }

    /** {@code checkpoint complete: wrote N buffers (P%); ...; write=A s, sync=B s, total=C s; ...}. */
    private static EntryFacts checkpoint(String m) {
        int wrote = m.indexOf("wrote ");
        String buffers = wrote < 0 ? null : digits(m, wrote + 6);
        return new EntryFacts(CHECKPOINT_COMPLETE, null, null, null, null, null, null, null, buffers,
                seconds(m, "write="), seconds(m, "sync="), seconds(m, "total="));
    }

    private static String seconds(String m, String label) {
        int at = m.indexOf(label);
        if (at < 0) {
            return null;
        }
        int start = at + label.length();
        int end = m.indexOf(" s", start);
        return end > start && isNumber(m, start, end) ? m.substring(start, end) : null;
    }

    /** {@code process N still waiting for|acquired|detected deadlock while waiting for L on O after X ms}. */
    private static EntryFacts lockProcess(String m) {
        int after = m.lastIndexOf(" after ");
        String wait = null;
        if (after > 0) {
            int ms = m.indexOf(" ms", after + 7);
            if (ms > 0 && isNumber(m, after + 7, ms)) {
                wait = m.substring(after + 7, ms);
            }
        }
        String kind;
        if (m.contains(" still waiting for ") || m.contains(" detected deadlock while waiting for ")) {
            kind = LOCK_WAIT;
        } else if (m.contains(" acquired ")) {
            kind = LOCK_ACQUIRED;
        } else {
            return EntryFacts.of(OTHER);
        }
        return new EntryFacts(kind, null, null, null, null, wait, null, null, null, null, null, null);
    }

    /** Server life: start, shutdown, a crash and its recovery, replication; else other. */
    private static String server(String m) {
        if (m.startsWith("starting PostgreSQL ") || m.startsWith("listening on ")
                || m.startsWith("database system is ready to accept ") || m.startsWith("database system was shut down")) {
            return SERVER_START;
        }
        if (m.startsWith("received fast shutdown request") || m.startsWith("received smart shutdown request")
                || m.startsWith("received immediate shutdown request") || m.startsWith("aborting any active transactions")
                || m.equals("shutting down") || m.equals("database system is shut down")) {
            return SERVER_SHUTDOWN;
        }
        if (m.startsWith("server process (PID ") || m.startsWith("terminating any other active server processes")
                || m.startsWith("all server processes terminated; reinitializing")
                || m.startsWith("database system was interrupted") || m.startsWith("database system was not properly shut down")
                || m.startsWith("redo starts at ") || m.startsWith("redo done at ")) {
            return CRASH_RECOVERY;
        }
        if (m.startsWith("out of memory") || m.contains("Cannot allocate memory")) {
            return OUT_OF_MEMORY;
        }
        if (m.startsWith("received replication command: ") || m.startsWith("starting logical decoding for slot ")
                || m.startsWith("logical decoding found ") || m.startsWith("started streaming WAL ")
                || m.startsWith("streaming replication ") || m.startsWith("terminating walsender ")
                || m.startsWith("standby \"") || m.startsWith("logical replication ")
                || m.startsWith("replication terminated by primary") || m.startsWith("entering standby mode")
                || m.startsWith("consistent recovery state reached") || m.startsWith("could not receive data from WAL stream")
                || m.startsWith("restored log file ")) {
            return REPLICATION;
        }
        return OTHER;
    }

    private EntryFacts failure(String severity, String sqlstate, String m) {
        String kind = failureKind(severity, firstLine(m));
        if (kind == null) {
            kind = severity.equals("ERROR") ? ERROR : severity.equals("FATAL") ? FATAL : PANIC;
        }
        String cls = sqlstate != null && sqlstate.length() == 5 && !sqlstate.equals("00000")
                ? sqlstate.substring(0, 2) : SqlStateClasses.fromMessage(m);
        int statement = m.indexOf(STATEMENT_MARKER);
        String fp = statement < 0 ? null : fingerprint(m, statement + STATEMENT_MARKER.length());
        return new EntryFacts(kind, null, fp, cls, null, null, null, null, null, null, null, null);
    }

    /** The kind an ERROR, FATAL or PANIC message's first line names, or null for the severity's own. */
    private static String failureKind(String severity, String m) {
        if (m.startsWith("deadlock detected")) {
            return DEADLOCK;
        }
        if (m.startsWith("canceling statement due to ") || m.startsWith("canceling autovacuum task")) {
            return CANCEL;
        }
        if (m.startsWith("terminating connection due to ")) {
            return TERMINATE;
        }
        if (m.startsWith("sorry, too many clients already") || m.startsWith("remaining connection slots are reserved")
                || m.startsWith("too many connections for ")) {
            return TOO_MANY_CONNECTIONS;
        }
        // Authentication fails at connection, so FATAL: an ERROR "role \"x\" does not exist" is a SET ROLE or a GRANT.
        if (severity.equals("FATAL") && (m.startsWith("password authentication failed for user ")
                || m.contains(" authentication failed for user ") || m.startsWith("no pg_hba.conf entry ")
                || m.startsWith("pg_hba.conf rejects ") || (m.startsWith("role \"") && m.endsWith("\" does not exist")))) {
            return AUTHENTICATION_FAILED;
        }
        if (m.startsWith("out of memory")) {
            return OUT_OF_MEMORY;
        }
        return null;
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** {@code H:MM:SS.mmm} (hours may have more digits) as whole milliseconds, or null. */
    static String sessionMillis(String m, int at) {
        int c1 = m.indexOf(':', at);
        if (c1 < 0) {
            return null;
        }
        int c2 = m.indexOf(':', c1 + 1);
        int dot = c2 < 0 ? -1 : m.indexOf('.', c2 + 1);
        // PostgreSQL prints %d:%02d:%02d.%03d; hours of at most 12 digits keep the milliseconds within a long.
        if (dot < 0 || dot + 4 > m.length() || c1 - at > 12 || c2 - c1 > 3 || dot - c2 > 3 || !allDigits(m, at, c1)
                || !allDigits(m, c1 + 1, c2) || !allDigits(m, c2 + 1, dot) || !allDigits(m, dot + 1, dot + 4)) {
            return null;
        }
        long ms = Long.parseLong(m, at, c1, 10) * 3_600_000L + Long.parseLong(m, c1 + 1, c2, 10) * 60_000L
                + Long.parseLong(m, c2 + 1, dot, 10) * 1_000L + Long.parseLong(m, dot + 1, dot + 4, 10);
        return Long.toString(ms);
    }

    private static String digits(String m, int at) {
        int end = at;
        while (end < m.length() && isDigit(m.charAt(end))) {
            end++;
        }
        return end > at && end - at <= MAX_DIGITS ? m.substring(at, end) : null;
    }

    /** Digits with at most one '.' inside: PostgreSQL's {@code %ld.%03d}; at most {@link #MAX_DIGITS} digits. */
    private static boolean isNumber(String m, int from, int to) {
        if (to <= from || to - from > MAX_DIGITS + 1) {
            return false;
        }
        boolean dot = false;
        for (int i = from; i < to; i++) {
            char c = m.charAt(i);
            if (c == '.' && !dot && i > from && i < to - 1) {
                dot = true;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        return dot || to - from <= MAX_DIGITS;
    }

    private static boolean allDigits(String m, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (!isDigit(m.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
