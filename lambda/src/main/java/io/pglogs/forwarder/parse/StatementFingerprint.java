package io.pglogs.forwarder.parse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A statement's fingerprint: the statement normalised so that the same statement with other values reads the same,
 * then hashed. The rules (docs/schema.md "Statement fingerprints", so another tool can compute the same hash):
 *
 * <ol>
 * <li>The text is read as PostgreSQL's lexer would, token by token. Comments ({@code -- ...} to the end of the line,
 *     nested {@code /* ... *}{@code /}) and whitespace only separate tokens.</li>
 * <li>Every constant becomes {@code ?}: string literals ({@code '...'} with {@code ''}, {@code E'...'} with backslash
 *     escapes, {@code B'', X'', N'', U&''}), dollar-quoted strings ({@code $$...$$}, {@code $tag$...$tag$}), numbers
 *     ({@code 42}, {@code 4.2}, {@code .5}, {@code 1e-3}, {@code 0x1F}) with a minus sign before them (spaces between
 *     allowed) when it cannot be a subtraction: at the start, after an operator or punctuation other than {@code )},
 *     or after one of the words {@link #SIGN_KEYWORDS} (not after another word, a constant or a quoted identifier),
 *     and parameters {@code $1}.</li>
 * <li>Words (keywords and unquoted identifiers) are lowercased; quoted identifiers ({@code "Name"}) are kept as
 *     written. An operator is a run of {@code + - * / < > = ~ ! @ # % ^ & | ` ?} that, as in PostgreSQL, does not end
 *     in {@code +} or {@code -} unless it holds one of {@code ~ ! @ # % ^ & | ` ?}; every other character is a token
 *     of its own.</li>
 * <li>A list of constants only after {@code in} ({@code in (1, 2, 3)}) becomes the one token {@code ...}; semicolons
 *     at the end are dropped.</li>
 * <li>The tokens are joined by one space. The fingerprint is the first 8 bytes of the SHA-256 of that text in UTF-8,
 *     as 16 lowercase hexadecimal digits. So {@code SELECT * FROM t WHERE id IN (1, 2) AND name = 'x';} reads
 *     {@code select * from t where id in ( ... ) and name = ?}.</li>
 * </ol>
 *
 * Not thread-safe (it reuses its buffer and digest): one per thread or per builder.
 */
public final class StatementFingerprint {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final StringBuilder out = new StringBuilder(256);
    private final MessageDigest sha;

    public StatementFingerprint() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /**
     * Normalised texts met lately and their fingerprints, direct-mapped by the text's hash: a busy server runs a few
     * statements over and over with other values, and hashing costs more than normalising.
     */
    private final String[] seenText = new String[256];
    private final String[] seenFingerprint = new String[256];

    /** The fingerprint of {@code s[from, to)}, or null when it holds no token. */
    public String of(String s, int from, int to) {
        normaliseInto(s, from, to);
        if (out.length() == 0) {
            return null;
        }
        int h = 0;
        for (int i = 0; i < out.length(); i++) {
            h = 31 * h + out.charAt(i);
        }
        int slot = (h ^ (h >>> 16)) & (seenText.length - 1);
        String known = seenText[slot];
        if (known != null && known.contentEquals(out)) {
            return seenFingerprint[slot];
        }
        String normalised = out.toString();
        byte[] digest = sha.digest(normalised.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[16];
        for (int i = 0; i < 8; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        String fingerprint = new String(hex);
        seenText[slot] = normalised;
        seenFingerprint[slot] = fingerprint;
        return fingerprint;
    }

    public String of(String statement) {
        return of(statement, 0, statement.length());
    }

    /** The normalised text the fingerprint hashes. */
    public String normalise(String s, int from, int to) {
        normaliseInto(s, from, to);
        return out.toString();
    }

    private void normaliseInto(String s, int from, int to) {
        out.setLength(0);
        int inList = -1;          // where "in (" ended, while only constants and commas followed
        int last = NONE;          // the kind of the last token written
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < to && s.charAt(i + 1) == '-') {
                while (i < to && s.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < to && s.charAt(i + 1) == '*') {
                i = endOfBlockComment(s, i, to);
                continue;
            }
            int kind;
            if (c == '\'') {
                i = endOfQuoted(s, i, to, false);
                kind = CONSTANT;
            } else if ((c == 'e' || c == 'E') && next(s, i, to) == '\'') {
                i = endOfQuoted(s, i + 1, to, true);
                kind = CONSTANT;
            } else if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && next(s, i, to) == '\''
                    && !continuesWord(s, i, from)) {
                i = endOfQuoted(s, i + 1, to, false);
                kind = CONSTANT;
            } else if ((c == 'u' || c == 'U') && next(s, i, to) == '&' && i + 2 < to && s.charAt(i + 2) == '\'') {
                i = endOfQuoted(s, i + 2, to, false);
                kind = CONSTANT;
            } else if (c == '$' && dollarTagEnd(s, i, to) > 0) {
                i = endOfDollarQuoted(s, i, dollarTagEnd(s, i, to), to);
                kind = CONSTANT;
            } else if (c == '$' && i + 1 < to && isDigit(s.charAt(i + 1))) {
                i++;
                while (i < to && isDigit(s.charAt(i))) {
                    i++;
                }
                kind = CONSTANT;
            } else if (isDigit(c) || (c == '.' && i + 1 < to && isDigit(s.charAt(i + 1)))) {
                i = endOfNumber(s, i, to);
                kind = CONSTANT;
            } else if (c == '"') {
                int end = endOfQuotedIdentifier(s, i, to);
                separate(last);
                out.append(s, i, end);
                i = end;
                last = WORD;
                inList = -1;
                continue;
            } else if (isWordStart(c)) {
                int end = i + 1;
                while (end < to && isWordPart(s.charAt(end))) {
                    end++;
                }
                separate(last);
                for (int k = i; k < end; k++) {
                    out.append(Character.toLowerCase(s.charAt(k)));
                }
                i = end;
                last = WORD;
                inList = -1;
                continue;
            } else if (isOperatorChar(c)) {
                int end = endOfOperator(s, i, to);
                // A lone minus before a number that cannot be a subtraction is the number's sign.
                int digit = skipSpaces(s, i + 1, to);
                if (end == i + 1 && c == '-' && (last == NONE || last == OTHER || (last == WORD && afterKeyword()))
                        && digit < to && (isDigit(s.charAt(digit))
                        || (s.charAt(digit) == '.' && digit + 1 < to && isDigit(s.charAt(digit + 1))))) {
                    i = endOfNumber(s, digit, to);
                    kind = CONSTANT;
                } else {
                    separate(last);
                    out.append(s, i, end);
                    i = end;
                    last = OTHER;
                    inList = -1;
                    continue;
                }
            } else {
                // Punctuation: ( ) , ; [ ] . : and anything else, one character a token.
                i++;
                if (c == ')' && inList >= 0 && last == CONSTANT) {
                    out.setLength(inList);
                    out.append(" ... )");
                    last = CLOSE;
                    inList = -1;
                    continue;
                }
                if (c == ',' && inList >= 0 && last == CONSTANT) {
                    separate(last);
                    out.append(',');
                    last = OTHER;
                    continue;
                }
                boolean opensList = c == '(' && endsWithWord("in");
                separate(last);
                out.append(c);
                last = c == ')' ? CLOSE : OTHER;
                inList = opensList ? out.length() : -1;
                continue;
            }
            // A constant.
            if (kind == CONSTANT) {
                if (inList >= 0 && last == CONSTANT) {
                    inList = -1;
                }
                separate(last);
                out.append('?');
                last = CONSTANT;
            }
        }
        // Semicolons at the end say nothing about the statement.
        int end = out.length();
        while (end > 0 && (out.charAt(end - 1) == ';' || out.charAt(end - 1) == ' ')) {
            end--;
        }
        out.setLength(end);
    }

    private static final int NONE = 0;
    private static final int WORD = 1;
    private static final int CONSTANT = 2;
    private static final int CLOSE = 3;
    private static final int OTHER = 4;

    /** Words after which a minus starts a negative number, not a subtraction. */
    private static final String[] SIGN_KEYWORDS = {"select", "where", "and", "or", "not", "when", "then", "else",
            "case", "values", "limit", "offset", "between", "by", "having", "on", "return", "distinct", "all", "any",
            "in", "is", "like"};

    private boolean afterKeyword() {
        for (String k : SIGN_KEYWORDS) {
            if (endsWithWord(k)) {
                return true;
            }
        }
        return false;
    }

    private static int skipSpaces(String s, int i, int to) {
        while (i < to && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private void separate(int last) {
        if (last != NONE) {
            out.append(' ');
        }
    }

    private boolean endsWithWord(String word) {
        int n = out.length();
        int w = word.length();
        return n >= w && out.substring(n - w).equals(word) && (n == w || out.charAt(n - w - 1) == ' ');
    }

    private static char next(String s, int i, int to) {
        return i + 1 < to ? s.charAt(i + 1) : 0;
    }

    /** Whether the letter at {@code i} continues a word (then {@code x'} is not a bit-string prefix). */
    private static boolean continuesWord(String s, int i, int from) {
        return i > from && isWordPart(s.charAt(i - 1));
    }

    private static int endOfBlockComment(String s, int i, int to) {
        int depth = 0;
        while (i < to) {
            if (s.charAt(i) == '/' && i + 1 < to && s.charAt(i + 1) == '*') {
                depth++;
                i += 2;
            } else if (s.charAt(i) == '*' && i + 1 < to && s.charAt(i + 1) == '/') {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return to;
    }

    /** End of the literal whose opening quote is at {@code q} ({@code ''} inside; backslashes too when escaped). */
    private static int endOfQuoted(String s, int q, int to, boolean backslashes) {
        int i = q + 1;
        while (i < to) {
            char c = s.charAt(i);
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < to && s.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return to;
    }

    private static int endOfQuotedIdentifier(String s, int q, int to) {
        int i = q + 1;
        while (i < to) {
            if (s.charAt(i) == '"') {
                if (i + 1 < to && s.charAt(i + 1) == '"') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return to;
    }

    /** End (exclusive) of a dollar-quote tag {@code $tag$} starting at {@code i}, or -1. */
    private static int dollarTagEnd(String s, int i, int to) {
        int j = i + 1;
        if (j < to && s.charAt(j) == '$') {
            return j + 1;
        }
        if (j >= to || !isWordStart(s.charAt(j))) {
            return -1;
        }
        while (j < to && s.charAt(j) != '$') {
            if (!isWordPart(s.charAt(j)) || s.charAt(j) == '$') {
                return -1;
            }
            j++;
        }
        return j < to ? j + 1 : -1;
    }

    private static int endOfDollarQuoted(String s, int i, int tagEnd, int to) {
        String tag = s.substring(i, tagEnd);
        int close = s.indexOf(tag, tagEnd);
        return close < 0 || close + tag.length() > to ? to : close + tag.length();
    }

    private static int endOfNumber(String s, int i, int to) {
        if (s.charAt(i) == '0' && i + 1 < to && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            i += 2;
            while (i < to && (isDigit(s.charAt(i)) || "abcdefABCDEF_".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            return i;
        }
        while (i < to && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        if (i < to && s.charAt(i) == '.' && !(i + 1 < to && s.charAt(i + 1) == '.')) {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
            }
        }
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < to && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < to && isDigit(s.charAt(j))) {
                i = j;
                while (i < to && isDigit(s.charAt(i))) {
                    i++;
                }
            }
        }
        return i;
    }

    private static int endOfOperator(String s, int i, int to) {
        int end = i;
        boolean special = false;
        while (end < to && isOperatorChar(s.charAt(end))) {
            char c = s.charAt(end);
            // "--" and "/*" start comments even inside an operator.
            if ((c == '-' || c == '/') && end + 1 < to && end > i
                    && (s.charAt(end + 1) == (c == '-' ? '-' : '*'))) {
                break;
            }
            special |= "~!@#%^&|`?".indexOf(c) >= 0;
            end++;
        }
        if (!special) {
            while (end > i + 1 && (s.charAt(end - 1) == '+' || s.charAt(end - 1) == '-')) {
                end--;
            }
        }
        return end;
    }

    private static boolean isOperatorChar(char c) {
        return "+-*/<>=~!@#%^&|`?".indexOf(c) >= 0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c) || c == '$';
    }
}
