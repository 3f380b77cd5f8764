package io.pglogs.forwarder.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces passwords in log text by {@code [redacted]} before anything is stored.
 *
 * <p>In a {@code CREATE/ALTER ROLE|USER|GROUP} statement (user mappings included) every literal is a secret, whatever
 * the keyword before it (a misspelled {@code PASWORD} still carries the password): standard, {@code E'...'},
 * {@code U&'...'} and dollar-quoted ({@code $$...$$}, {@code $tag$...$tag$}) literals, also unterminated, to the end
 * of the statement. Elsewhere it removes the literal after the word PASSWORD, {@code password=} in connection strings
 * (CREATE SUBSCRIPTION, dblink), the password of {@code scheme://user:password@host} URIs (up to the last '@', since a
 * password may hold '@' and '/'), and the literal PostgreSQL's lexer echoes in {@code at or near "..."} errors. It
 * applies to every line (statement logging, DETAIL/STATEMENT lines) and errs towards redacting too much.
 */
public final class Redactor {
    public static final String MARK = "[redacted]";

    private static final Pattern ROLE_STATEMENT =
            Pattern.compile("(?i)\\b(?:create|alter)\\s+(?:role|user|group)\\b");
    private static final Pattern PASSWORD_WORD = Pattern.compile("(?i)\\bpassword\\s*(?:=>|:=)?\\s*");
    /** password=value in a libpq connection string, bare or quoted (quotes doubled inside an SQL literal). */
    private static final Pattern CONNINFO_PASSWORD = Pattern.compile(
            "(?i)(\\bpassword\\s*=(?!>)\\s*)(?:''(?:[^']|'(?!'))*+''|'(?:[^'\\\\]|\\\\.)*+'|[^\\s',)]+)");
    /** The userinfo password of a URI: greedy to the last '@' of the URI, so '@' and '/' in it are covered. */
    private static final Pattern URI_PASSWORD =
            Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s'\"]*:)[^\\s'\"]*(@)");
    /** PostgreSQL's lexer quotes the offending token, an unterminated literal to the end of the statement. */
    private static final Pattern ECHOED_LITERAL = Pattern.compile(
            "(?s)(at or near \")((?:[EeNnBbXx]|[Uu]&)?'|\\$[^$\\s\"]*\\$)(.*?)(\"(?: at character \\d+)?(?=\\n|\\z))");

    public record Result(String text, boolean redacted) {
    }

    public Result redact(String text) {
        // Nearly every entry holds no secret: one pass decides whether anything else needs to run at all.
        if (!mayHoldSecret(text)) {
            return new Result(text, false);
        }
        String out = redactRoleStatements(text);
        out = redactAfterPasswordWord(out);
        out = replace(CONNINFO_PASSWORD, out, "$1" + MARK);
        out = replace(URI_PASSWORD, out, "$1" + MARK + "$2");
        out = replace(ECHOED_LITERAL, out, "$1$2" + Matcher.quoteReplacement(MARK) + "$4");
        return out.equals(text) ? new Result(text, false) : new Result(out, true);
    }

    /**
     * True when the text contains "password", "create", "alter" (any case), "://" or {@code near "}: every rule needs
     * one of them. It runs on every entry, so it looks back from each word's last character, compared by hand.
     */
    static boolean mayHoldSecret(String text) {
        for (int i = 1, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            // ASCII letters of either case become lower case; '/' and '"' stay as they are.
            switch (c | 0x20) {
                case 'd' -> {
                    if (endsWithIgnoringCase(text, i, "password")) {
                        return true;
                    }
                }
                case 'e' -> {
                    if (endsWithIgnoringCase(text, i, "create")) {
                        return true;
                    }
                }
                case 'r' -> {
                    if (endsWithIgnoringCase(text, i, "alter")) {
                        return true;
                    }
                }
                case '/' -> {
                    if (i >= 2 && text.charAt(i - 1) == '/' && text.charAt(i - 2) == ':') {
                        return true;
                    }
                }
                case '"' -> {
                    if (i >= 5 && text.startsWith("near ", i - 5)) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /** Whether {@code text} has {@code lower} (lower-case ASCII letters) ending at {@code end}, in any case. */
    private static boolean endsWithIgnoringCase(String text, int end, String lower) {
        int start = end - lower.length() + 1;
        if (start < 0) {
            return false;
        }
        for (int k = lower.length() - 2; k >= 0; k--) {
            if ((text.charAt(start + k) | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Every literal from each CREATE/ALTER ROLE|USER|GROUP to the end of its statement. */
    private static String redactRoleStatements(String text) {
        Matcher m = ROLE_STATEMENT.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        do {
            int i = Math.max(m.end(), copied);
            out.append(text, copied, i);
            copied = redactStatement(text, i, out);
        } while (copied < text.length() && m.find(copied));
        return out.append(text, copied, text.length()).toString();
    }

    /** Copies {@code text} from {@code from} to the statement's end into {@code out}, literals redacted. */
    private static int redactStatement(String text, int from, StringBuilder out) {
        int i = from;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ';') {
                return i;
            }
            int skip = SqlLiterals.skipNonLiteral(text, i);
            if (skip > i) {
                out.append(text, i, skip);
                i = skip;
                continue;
            }
            SqlLiterals.Literal lit = SqlLiterals.at(text, i);
            if (lit != null) {
                lit.appendRedacted(out, MARK);
                i = lit.end();
            } else {
                out.append(c);
                i++;
            }
        }
        return n;
    }

    /** The literal straight after the word PASSWORD, in any of its forms. */
    private static String redactAfterPasswordWord(String text) {
        Matcher m = PASSWORD_WORD.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        while (m.find()) {
            SqlLiterals.Literal lit = SqlLiterals.at(text, m.end());
            if (lit == null || m.end() < copied) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, m.end());
            lit.appendRedacted(out, MARK);
            copied = lit.end();
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static String replace(Pattern pattern, String text, String replacement) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(replacement) : text;
    }
}
