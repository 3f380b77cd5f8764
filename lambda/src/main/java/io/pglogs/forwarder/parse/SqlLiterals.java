package io.pglogs.forwarder.parse;

/**
 * Finds PostgreSQL's string literals in statement text, as far as a redactor needs: {@code '...'} (quotes doubled
 * inside), {@code E'...'} (backslash escapes too), {@code U&'...'}, {@code N/B/X'...'}, dollar quotes
 * ({@code $$...$$}, {@code $tag$...$tag$}), and a literal nested in another one ({@code ''...''}, as in the string
 * a DO block EXECUTEs). A literal left open runs to the end of the text, as in a statement that failed for it.
 */
final class SqlLiterals {
    private SqlLiterals() {
    }

    /** A literal ending at {@code end} (exclusive), opened by {@code open} and closed by {@code close}. */
    record Literal(int end, String open, String close) {
        /** The literal with {@code mark} for its content; an unterminated one comes out closed. */
        void appendRedacted(StringBuilder out, String mark) {
            out.append(open).append(mark).append(close);
        }
    }

    /** The literal that starts at {@code i}, or null. */
    static Literal at(String s, int i) {
        int n = s.length();
        if (i >= n) {
            return null;
        }
        char c = s.charAt(i);
        boolean tokenStart = i == 0 || !isIdentifierChar(s.charAt(i - 1));
        if (c == '\'') {
            if (i + 2 < n && s.charAt(i + 1) == '\'' && opensNested(s.charAt(i + 2))) {
                return nested(s, i);
            }
            return quoted(s, i, i + 1, false);
        }
        if (c == '$' && tokenStart) {
            return dollar(s, i);
        }
        if (!tokenStart) {
            return null;
        }
        if ((c == 'E' || c == 'e') && i + 1 < n && s.charAt(i + 1) == '\'') {
            return quoted(s, i, i + 2, true);
        }
        if ((c == 'U' || c == 'u') && i + 2 < n && s.charAt(i + 1) == '&' && s.charAt(i + 2) == '\'') {
            return quoted(s, i, i + 3, false);
        }
        if ("NnBbXx".indexOf(c) >= 0 && i + 1 < n && s.charAt(i + 1) == '\'') {
            return quoted(s, i, i + 2, false);
        }
        return null;
    }

    /**
     * Where the text at {@code i} stops being something a literal cannot start in: past a quoted identifier or a
     * comment; {@code i} itself when there is none.
     */
    static int skipNonLiteral(String s, int i) {
        int n = s.length();
        char c = s.charAt(i);
        if (c == '"') {
            int close = s.indexOf('"', i + 1);
            return close < 0 ? n : close + 1;
        }
        if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
            int eol = s.indexOf('\n', i);
            return eol < 0 ? n : eol;
        }
        if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
            int close = s.indexOf("*/", i + 2);
            return close < 0 ? n : close + 2;
        }
        return i;
    }

    /** {@code ''} straight before a character that no empty literal is followed by: a literal inside a literal. */
    private static boolean opensNested(char next) {
        return next != '\'' && next != ' ' && next != ',' && next != ')' && next != ';' && next != '\n'
                && next != '\t' && next != ':' && next != '|';
    }

    private static Literal nested(String s, int i) {
        int close = s.indexOf("''", i + 2);
        if (close < 0) {
            return new Literal(s.length(), "''", "''");
        }
        return new Literal(close + 2, "''", "''");
    }

    private static Literal quoted(String s, int start, int contentStart, boolean backslashEscapes) {
        int n = s.length();
        int j = contentStart;
        while (j < n) {
            char c = s.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (j + 1 < n && s.charAt(j + 1) == '\'') {
                    j += 2;
                } else {
                    return new Literal(j + 1, s.substring(start, contentStart), "'");
                }
            } else {
                j++;
            }
        }
        return new Literal(n, s.substring(start, contentStart), "'");
    }

    private static Literal dollar(String s, int i) {
        int n = s.length();
        int j = i + 1;
        if (j < n && s.charAt(j) != '$' && !isTagStart(s.charAt(j))) {
            return null; // $1, a positional parameter
        }
        while (j < n && s.charAt(j) != '$') {
            if (!isIdentifierChar(s.charAt(j))) {
                return null;
            }
            j++;
        }
        if (j >= n) {
            return null;
        }
        String tag = s.substring(i, j + 1);
        int close = s.indexOf(tag, j + 1);
        if (close < 0) {
            return new Literal(n, tag, tag);
        }
        return new Literal(close + tag.length(), tag, tag);
    }

    private static boolean isTagStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }
}
