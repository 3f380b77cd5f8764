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
 * <li>Words (keywords and unquoted identifiers) have their ASCII letters {@code A-Z} lowercased, as PostgreSQL
 *     folds them in UTF-8 (other letters are kept: {@code "Ä"} stays); every character from U+0080 on, white space
 *     included, is part of a word, as in PostgreSQL's lexer; quoted identifiers ({@code "Name"}) are kept as
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
    /** The normalised text being built: {@code buf[0, len)}. */
    private char[] buf = new char[256];
    private int len;
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
    private final char[][] seenText = new char[256][];
    private final String[] seenFingerprint = new String[256];

    /**
     * Statements by their outline and their fingerprints, direct-mapped: the outline is the text with whitespace runs
     * as one space, quoted literals emptied and numbers not inside a word as {@code 0}, made in one cheap pass. Two
     * statements of one outline normalise alike, so a busy server's statements, run over and over with other values,
     * are normalised once. Only plain statements have an outline (none of {@code -- /* $ \\ "}): the others are always
     * normalised.
     */
    private final char[][] seenOutline = new char[512][];
    private final String[] outlineFingerprint = new String[512];
    private char[] outline = new char[256];

    /**
     * Statements longer than this are neither kept in the caches nor leave their buffers behind: a cache of 768
     * slots holding megabyte statements would keep a Lambda's memory for texts that rarely come again.
     */
    static final int MAX_CACHED = 4096;
    private static final int SMALL_BUFFER = 256;

    /** The fingerprint of {@code s[from, to)}, or null when it holds no token. */
    public String of(String s, int from, int to) {
        if (to - from > MAX_CACHED) {
            String fingerprint = normalisedFingerprint(s, from, to);
            shrinkBuffers();
            return fingerprint;
        }
        int n = outline(s, from, to);
        int slot = -1;
        if (n >= 0) {
            int h = outlineHash;
            slot = (h ^ (h >>> 15)) & (seenOutline.length - 1);
            char[] known = seenOutline[slot];
            if (known != null && java.util.Arrays.equals(known, 0, known.length, outline, 0, n)) {
                return outlineFingerprint[slot];
            }
        }
        String fingerprint = normalisedFingerprint(s, from, to);
        if (slot >= 0 && fingerprint != null) {
            seenOutline[slot] = java.util.Arrays.copyOf(outline, n);
            outlineFingerprint[slot] = fingerprint;
        }
        return fingerprint;
    }

    /** The outline of a plain statement into {@link #outline}, its length; -1 for a statement that is not plain. */
    private int outline(String text, int start, int stop) {
        int to = stop - start;
        if (outline.length < to) {
            outline = new char[to];
        }
        if (raw.length < to) {
            raw = new char[to];
        }
        char[] s = raw;
        text.getChars(start, stop, s, 0);
        char[] o = outline;
        int n = 0;
        int h = 0;
        boolean space = false;
        boolean wordBefore = false;
        int i = 0;
        while (i < to) {
            char c = s[i];
            if (c <= ' ') {
                if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                    space = true;
                    wordBefore = false;
                    i++;
                    continue;
                }
                return -1;
            }
            if (space && n > 0) {
                o[n++] = ' ';
                h = 31 * h + ' ';
            }
            space = false;
            if (c >= '0' && c <= '9') {
                if (!wordBefore) {
                    do {
                        i++;
                    } while (i < to && s[i] >= '0' && s[i] <= '9');
                    if (i < to && (s[i] == 'x' || s[i] == 'X')) {
                        // 0x10 is one number, 00x10 a number and a word: their outlines would be alike.
                        return -1;
                    }
                    o[n++] = '0';
                    h = 31 * h + '0';
                    continue;
                }
            } else if (c == '\'') {
                int end = i + 1;
                while (end < to && s[end] != '\'') {
                    end++;
                }
                if (end >= to) {
                    return -1;
                }
                o[n++] = '\'';
                o[n++] = '\'';
                h = 31 * (31 * h + '\'') + '\'';
                wordBefore = false;
                i = end + 1;
                continue;
            } else if (c == '$' || c == '"' || c == '\\' || c >= 0x80 || (c == '-' && i + 1 < to && s[i + 1] == '-')
                    || (c == '/' && i + 1 < to && s[i + 1] == '*')) {
                return -1;
            }
            wordBefore = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            o[n++] = c;
            h = 31 * h + c;
            i++;
        }
        outlineHash = h;
        return n;
    }

    /** {@link #outline}'s hash of the outline it made (as {@code Arrays.hashCode} less its seed), made as it went. */
    private int outlineHash;

    private char[] raw = new char[SMALL_BUFFER];

    /** After a big statement: its buffers go, the next small statement's are small again. */
    private void shrinkBuffers() {
        if (buf.length > 2 * MAX_CACHED + 16) {
            buf = new char[SMALL_BUFFER];
        }
        if (in.length > MAX_CACHED) {
            in = new char[SMALL_BUFFER];
        }
        if (raw.length > MAX_CACHED) {
            raw = new char[SMALL_BUFFER];
        }
        if (outline.length > MAX_CACHED) {
            outline = new char[SMALL_BUFFER];
        }
    }

    private String normalisedFingerprint(String s, int from, int to) {
        normaliseInto(s, from, to);
        if (len == 0) {
            return null;
        }
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 16)) & (seenText.length - 1);
        char[] known = seenText[slot];
        if (known != null && java.util.Arrays.equals(known, 0, known.length, buf, 0, len)) {
            return seenFingerprint[slot];
        }
        String normalised = new String(buf, 0, len);
        byte[] digest = sha.digest(normalised.getBytes(StandardCharsets.UTF_8));
        char[] hex = new char[16];
        for (int i = 0; i < 8; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        String fingerprint = new String(hex);
        if (len <= MAX_CACHED) {
            seenText[slot] = java.util.Arrays.copyOf(buf, len);
            seenFingerprint[slot] = fingerprint;
        }
        return fingerprint;
    }

    public String of(String statement) {
        return of(statement, 0, statement.length());
    }

    /** The normalised text the fingerprint hashes. */
    public String normalise(String s, int from, int to) {
        normaliseInto(s, from, to);
        return new String(buf, 0, len);
    }

    private static final byte WS = 1;
    private static final byte WORD = 2;
    private static final byte DIGIT = 3;
    private static final byte OP = 4;
    private static final byte PUNCT = 5;
    /** ASCII character classes; everything from U+0080 on (white space too) is a word character, as in PostgreSQL's lexer. */
    private static final byte[] CLASS = new byte[128];

    static {
        java.util.Arrays.fill(CLASS, PUNCT);
        for (char c : " \t\n\r\f\u000b".toCharArray()) {
            CLASS[c] = WS;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = WORD;
            CLASS[c - 32] = WORD;
        }
        CLASS['_'] = WORD;
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        for (char c : "+-*/<>=~!@#%^&|`?".toCharArray()) {
            CLASS[c] = OP;
        }
    }

    private static int classOf(char c) {
        return c < 128 ? CLASS[c] : WORD;
    }

    /** The statement being read, copied: indexing an array is cheaper than String.charAt. */
    private char[] in = new char[256];

    private void normaliseInto(String text, int start, int stop) {
        len = 0;
        int to = stop - start;
        if (buf.length < to * 2 + 16) {
            buf = new char[to * 2 + 16];
        }
        if (in.length < to) {
            in = new char[to];
        }
        text.getChars(start, stop, in, 0);
        char[] s = in;
        int from = 0;
        inList = -1;
        int last = NONE;          // the kind of the last token written
        int i = from;
        while (i < to) {
            char c = s[i];
            int cls = classOf(c);
            if (cls == WS) {
                i++;
                continue;
            }
            if (cls == WORD) {
                if (i + 1 < to) {
                    char n = s[i + 1];
                    if (n == '\'' && (c == 'e' || c == 'E')) {
                        i = endOfQuoted(s, i + 1, to, true);
                        last = constant(last, 0);
                        continue;
                    }
                    if (n == '\'' && "bBxXnN".indexOf(c) >= 0 && !continuesWord(s, i, from)) {
                        i = endOfQuoted(s, i + 1, to, false);
                        last = constant(last, 0);
                        continue;
                    }
                    if ((c == 'u' || c == 'U') && n == '&' && i + 2 < to && s[i + 2] == '\'') {
                        i = endOfQuoted(s, i + 2, to, false);
                        last = constant(last, 0);
                        continue;
                    }
                }
                int end = i + 1;
                while (end < to && isWordPart(s[end])) {
                    end++;
                }
                separate(last);
                for (int k = i; k < end; k++) {
                    char w = s[k];
                    // PostgreSQL in UTF-8 folds only A-Z (downcase_identifier: other bytes of a multibyte encoding stay).
                    buf[len++] = w >= 'A' && w <= 'Z' ? (char) (w + 32) : w;
                }
                i = end;
                last = WORD_TOKEN;
                inList = -1;
                continue;
            }
            if (cls == DIGIT || (c == '.' && i + 1 < to && isDigit(s[i + 1]))) {
                i = endOfNumber(s, i, to);
                last = constant(last, 0);
                continue;
            }
            if (c == '\'') {
                i = endOfQuoted(s, i, to, false);
                last = constant(last, 0);
                continue;
            }
            if (c == '"') {
                int end = endOfQuotedIdentifier(s, i, to);
                separate(last);
                System.arraycopy(s, i, buf, len, end - i);
                len += end - i;
                i = end;
                last = WORD_TOKEN;
                inList = -1;
                continue;
            }
            if (c == '$') {
                int tagEnd = dollarTagEnd(s, i, to);
                if (tagEnd > 0) {
                    i = endOfDollarQuoted(s, i, tagEnd, to);
                    last = constant(last, 0);
                    continue;
                }
                if (i + 1 < to && isDigit(s[i + 1])) {
                    i++;
                    while (i < to && isDigit(s[i])) {
                        i++;
                    }
                    last = constant(last, 0);
                    continue;
                }
            }
            if (cls == OP) {
                if (c == '-' && i + 1 < to && s[i + 1] == '-') {
                    while (i < to && s[i] != '\n') {
                        i++;
                    }
                    continue;
                }
                if (c == '/' && i + 1 < to && s[i + 1] == '*') {
                    i = endOfBlockComment(s, i, to);
                    continue;
                }
                int end = endOfOperator(s, i, to);
                // A lone minus before a number that cannot be a subtraction is the number's sign.
                if (end == i + 1 && c == '-' && (last == NONE || last == OTHER_TOKEN
                        || (last == WORD_TOKEN && afterKeyword()))) {
                    int digit = skipSpaces(s, i + 1, to);
                    if (digit < to && (isDigit(s[digit])
                            || (s[digit] == '.' && digit + 1 < to && isDigit(s[digit + 1])))) {
                        i = endOfNumber(s, digit, to);
                        last = constant(last, 0);
                        continue;
                    }
                }
                separate(last);
                System.arraycopy(s, i, buf, len, end - i);
                len += end - i;
                i = end;
                last = OTHER_TOKEN;
                inList = -1;
                continue;
            }
            // Punctuation: ( ) , ; [ ] . : and anything else, one character a token.
            i++;
            if (c == ')' && inList >= 0 && last == CONSTANT) {
                len = inList;
                append(" ... )");
                last = CLOSE;
                inList = -1;
                continue;
            }
            if (c == ',' && inList >= 0 && last == CONSTANT) {
                separate(last);
                buf[len++] = ',';
                last = OTHER_TOKEN;
                continue;
            }
            boolean opensList = c == '(' && endsWithWord("in");
            separate(last);
            buf[len++] = c;
            last = c == ')' ? CLOSE : OTHER_TOKEN;
            inList = opensList ? len : -1;
        }
        // Semicolons at the end say nothing about the statement.
        while (len > 0 && (buf[len - 1] == ';' || buf[len - 1] == ' ')) {
            len--;
        }
    }

    /** Where "in (" ended, while only constants and commas followed it; else -1. */
    private int inList;

    /** Writes a constant's {@code ?}; a list after {@code in} stays one while constants and commas alternate. */
    private int constant(int last, int unused) {
        if (inList >= 0 && last == CONSTANT) {
            inList = -1;
        }
        separate(last);
        buf[len++] = '?';
        return CONSTANT;
    }

    private static final int NONE = 0;
    private static final int WORD_TOKEN = 1;
    private static final int CONSTANT = 2;
    private static final int CLOSE = 3;
    private static final int OTHER_TOKEN = 4;

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

    private void append(String text) {
        text.getChars(0, text.length(), buf, len);
        len += text.length();
    }

    private void separate(int last) {
        if (last != NONE) {
            buf[len++] = ' ';
        }
    }

    /** Whether the text so far ends with the whole word {@code word}. */
    private boolean endsWithWord(String word) {
        int w = word.length();
        if (len < w || (len > w && buf[len - w - 1] != ' ')) {
            return false;
        }
        for (int k = 0; k < w; k++) {
            if (buf[len - w + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(char[] s, int i, int to) {
        while (i < to && s[i] < 128 && CLASS[s[i]] == WS) {
            i++;
        }
        return i;
    }

    /** Whether the letter at {@code i} continues a word (then {@code x'} is not a bit-string prefix). */
    private static boolean continuesWord(char[] s, int i, int from) {
        return i > from && isWordPart(s[i - 1]);
    }

    private static int endOfBlockComment(char[] s, int i, int to) {
        int depth = 0;
        while (i < to) {
            if (s[i] == '/' && i + 1 < to && s[i + 1] == '*') {
                depth++;
                i += 2;
            } else if (s[i] == '*' && i + 1 < to && s[i + 1] == '/') {
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
    private static int endOfQuoted(char[] s, int q, int to, boolean backslashes) {
        int i = q + 1;
        while (i < to) {
            char c = s[i];
            if (backslashes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < to && s[i + 1] == '\'') {
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

    private static int endOfQuotedIdentifier(char[] s, int q, int to) {
        int i = q + 1;
        while (i < to) {
            if (s[i] == '"') {
                if (i + 1 < to && s[i + 1] == '"') {
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
    private static int dollarTagEnd(char[] s, int i, int to) {
        int j = i + 1;
        if (j < to && s[j] == '$') {
            return j + 1;
        }
        if (j >= to || !isWordStart(s[j])) {
            return -1;
        }
        while (j < to && s[j] != '$') {
            if (!isWordPart(s[j]) || s[j] == '$') {
                return -1;
            }
            j++;
        }
        return j < to ? j + 1 : -1;
    }

    private static int endOfDollarQuoted(char[] s, int i, int tagEnd, int to) {
        int tagLength = tagEnd - i;
        for (int close = tagEnd; close + tagLength <= to; close++) {
            if (java.util.Arrays.equals(s, close, close + tagLength, s, i, tagEnd)) {
                return close + tagLength;
            }
        }
        return to;
    }

    private static int endOfNumber(char[] s, int i, int to) {
        if (s[i] == '0' && i + 1 < to && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            i += 2;
            while (i < to && (isDigit(s[i]) || "abcdefABCDEF_".indexOf(s[i]) >= 0)) {
                i++;
            }
            return i;
        }
        while (i < to && (isDigit(s[i]) || s[i] == '_')) {
            i++;
        }
        if (i < to && s[i] == '.' && !(i + 1 < to && s[i + 1] == '.')) {
            i++;
            while (i < to && isDigit(s[i])) {
                i++;
            }
        }
        if (i < to && (s[i] == 'e' || s[i] == 'E')) {
            int j = i + 1;
            if (j < to && (s[j] == '+' || s[j] == '-')) {
                j++;
            }
            if (j < to && isDigit(s[j])) {
                i = j;
                while (i < to && isDigit(s[i])) {
                    i++;
                }
            }
        }
        return i;
    }

    private static int endOfOperator(char[] s, int i, int to) {
        int end = i;
        boolean special = false;
        while (end < to && isOperatorChar(s[end])) {
            char c = s[end];
            // "--" and "/*" start comments even inside an operator.
            if ((c == '-' || c == '/') && end + 1 < to && end > i
                    && (s[end + 1] == (c == '-' ? '-' : '*'))) {
                break;
            }
            special |= "~!@#%^&|`?".indexOf(c) >= 0;
            end++;
        }
        if (!special) {
            while (end > i + 1 && (s[end - 1] == '+' || s[end - 1] == '-')) {
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
        if (c < 128) {
            byte k = CLASS[c];
            return k == WORD || k == DIGIT || c == '$';
        }
        return true;
    }
}
