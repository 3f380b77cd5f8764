package io.pglogs.forwarder.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces passwords in log text by {@code [redacted]} before anything is stored.
 *
 * <p>Covers {@code CREATE/ALTER ROLE|USER ... [ENCRYPTED] PASSWORD '...'}, {@code USER MAPPING ... OPTIONS (password
 * '...')}, {@code password=} in connection strings (CREATE SUBSCRIPTION, dblink) and {@code postgresql://user:secret@}
 * URIs, wherever they appear: statement logging, DETAIL/STATEMENT lines, or the text of a failed statement whose
 * quote was never closed. It errs towards redacting too much: any quoted literal after the word PASSWORD goes.
 */
public final class Redactor {
    public static final String MARK = "[redacted]";

    /** PASSWORD 'literal' (also E'...', doubled quotes inside, and an unterminated literal up to the end). */
    private static final Pattern PASSWORD_LITERAL =
            Pattern.compile("(?i)(\\bpassword\\s*)E?'(?:''|[^'])*+(?:'|\\z)");
    /** password=value in a libpq connection string, bare or quoted (quotes doubled inside an SQL literal). */
    private static final Pattern CONNINFO_PASSWORD =
            Pattern.compile("(?i)(\\bpassword\\s*=\\s*)(?:''(?:[^']|'(?!'))*+''|'(?:[^'\\\\]|\\\\.)*+'|[^\\s',)]+)");
    private static final Pattern URI_PASSWORD =
            Pattern.compile("(?i)(\\bpostgres(?:ql)?://[^:/@\\s]*:)[^@\\s/]*(@)");

    public record Result(String text, boolean redacted) {
    }

    public Result redact(String text) {
        // Nearly every entry holds no secret: one pass decides whether the regexes need to run at all.
        if (!mayHoldSecret(text)) {
            return new Result(text, false);
        }
        String out = replace(PASSWORD_LITERAL, text, "$1'" + MARK + "'");
        out = replace(CONNINFO_PASSWORD, out, "$1" + MARK);
        out = replace(URI_PASSWORD, out, "$1" + MARK + "$2");
        return new Result(out, !out.equals(text));
    }

    /** True when the text contains "password" (any case) or "://": every pattern needs one of them. */
    static boolean mayHoldSecret(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if ((c == 's' || c == 'S') && i >= 3 && text.regionMatches(true, i - 3, "password", 0, 8)) {
                return true;
            }
            if (c == ':' && text.startsWith("//", i + 1)) {
                return true;
            }
        }
        return false;
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }
}
