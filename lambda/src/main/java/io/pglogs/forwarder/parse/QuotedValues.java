package io.pglogs.forwarder.parse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The input values PostgreSQL 15 quotes back in its messages, which {@link Redaction#LITERALS} removes with the
 * literals they came from (docs/schema.md lists them):
 * <ul>
 * <li>{@code Key (...)=(...)} (unique, exclusion and foreign key errors), {@code Failing row contains (...)};</li>
 * <li>{@code invalid input syntax for type T: "..."}, {@code invalid input value for enum E: "..."},
 * {@code malformed array|record|range|multirange literal: "..."}, {@code ... out of range: "..."} (date, timestamp,
 * date/time and interval fields, time zone displacement), {@code value "..." is out of range for type T},
 * {@code "..." is out of range for type double precision|real}, {@code invalid value "..." for "..."} (to_date and
 * to_timestamp), tsquery's and tsvector's {@code syntax error in tsquery: "..."} and kin, {@code invalid hexadecimal digit: "..."};</li>
 * <li>COPY's {@code COPY t, line N: "..."} and {@code COPY t, line N, column c: "..."} (the row, the value);</li>
 * <li>JSON's {@code Token "..." is invalid.}, {@code Expected ..., but found "...".} and
 * {@code JSON data, line N: ...} (the document up to the error).</li>
 * </ul>
 * Each rule finds its words, then the value's end on the same line by hand: a line where that end is missing is
 * passed once, not once per start it repeats, so adversarial text costs a linear scan.
 */
final class QuotedValues {
    private QuotedValues() {
    }

    /** What a {@link Rule} found: the values are text[values, close); a negative close says where to look on. */
    private record Found(int values, int close) {
        static Found resumeAt(int at) {
            return new Found(at, -1);
        }
    }

    @FunctionalInterface
    private interface End {
        /** The values that start after {@code after} (the rule's words), on a line ending at {@code lineEnd}. */
        Found find(String text, int after, int lineEnd);
    }

    private record Rule(Pattern words, End end) {
    }

    /**
     * The values run to the quote that ends the line, perhaps before " at character N" ({@link
     * Redactor#closingEchoQuote}); a value may hold quotes of its own.
     */
    private static final End TO_QUOTE_AT_LINE_END = (text, after, lineEnd) -> {
        int close = Redactor.closingEchoQuote(text, after, Redactor.NEWLINE);
        return close < 0 ? Found.resumeAt(Math.max(-close, after)) : new Found(after, close);
    };

    /** The values run to {@code suffix} at the end of the line. */
    private static End toLineEndBefore(String suffix) {
        return (text, after, lineEnd) -> {
            int close = lineEnd - suffix.length();
            return close >= after && text.startsWith(suffix, close) ? new Found(after, close)
                    : Found.resumeAt(lineEnd);
        };
    }

    /** Columns to the first ")=(" of the line, values to the first ')' that ends them. */
    private static final End KEY_VALUES = (text, after, lineEnd) -> {
        for (int i = after; i + 2 < lineEnd; i++) {
            if (text.charAt(i) == ')' && text.charAt(i + 1) == '=' && text.charAt(i + 2) == '(') {
                for (int j = i + 3; j < lineEnd; j++) {
                    if (text.charAt(j) == ')' && endsKeyValues(text, j + 1)) {
                        return new Found(i + 3, j);
                    }
                }
                break;
            }
        }
        return Found.resumeAt(lineEnd);
    };

    /** To the line's last ')'. */
    private static final End TO_LAST_PARENTHESIS = (text, after, lineEnd) -> {
        int close = text.lastIndexOf(')', lineEnd - 1);
        return close >= after ? new Found(after, close) : Found.resumeAt(lineEnd);
    };

    /** Names are bounded and possessive so a long run costs a bounded scan per start. */
    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("(?i)\\bkey \\("), KEY_VALUES),
            new Rule(Pattern.compile("Failing row contains \\("), TO_LAST_PARENTHESIS),
            new Rule(Pattern.compile("(?:invalid input (?:syntax|value) for [^:\\n]{0,256}+|out of range[^:\\n]{0,256}+"
                    + "|malformed [^:\\n]{0,256}literal|(?:syntax error|no operand|(?:operand|word) is too long|value is too big) in tsquery"
                    + "|(?:syntax error|wrong position info) in tsvector|invalid hexadecimal digit)"
                    + ": \""), TO_QUOTE_AT_LINE_END),
            new Rule(Pattern.compile("COPY [^,\\n]{1,256}+, line \\d{1,20}+(?:, column [^:\\n]{1,256}+)?: \""),
                    toLineEndBefore("\"")),
            new Rule(Pattern.compile("Token \""), toLineEndBefore("\" is invalid.")),
            new Rule(Pattern.compile("Expected [^\\n]{1,64}?, but found \""), toLineEndBefore("\".")),
            new Rule(Pattern.compile("JSON data, line \\d{1,10}+: "), toLineEndBefore("")));

    /** Values quoted inside a line, between fixed words. */
    private static final List<Pattern> INLINE = List.of(
            Pattern.compile("(value \")([^\"\\n]*+)(\" is out of range)"),
            Pattern.compile("(?m)^(\")([^\"\\n]*+)(\" is out of range for type )"),
            Pattern.compile("(invalid value \")([^\"\\n]*+)(\" for \")"));

    /** Whether the text may hold a value of these rules (it also needs a quote or a parenthesis). */
    static boolean mayHold(String text) {
        return text.contains("ey (") || text.contains("row con") || text.contains("JSON data");
    }

    static String redact(String text) {
        String out = text;
        for (Rule rule : RULES) {
            out = redact(out, rule);
        }
        for (Pattern p : INLINE) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll("$1" + Matcher.quoteReplacement(Redactor.MARK) + "$3");
            }
        }
        return out;
    }

    private static String redact(String text, Rule rule) {
        Matcher m = rule.words().matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        int lineEnd = -1;
        while (from < text.length() && m.find(from)) {
            if (m.end() > lineEnd) {
                lineEnd = lineEnd(text, m.end());
            }
            Found f = rule.end().find(text, m.end(), lineEnd);
            if (f.close() < 0) {
                from = Math.max(f.values(), m.end());
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, f.values()).append(Redactor.MARK);
            copied = f.close();
            from = f.close() + 1;
        }
        return out == null ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean endsKeyValues(String text, int at) {
        return at == text.length() || text.startsWith(" already", at) || text.startsWith(" is ", at)
                || text.startsWith(" conflicts", at) || text.charAt(at) == '.' || text.charAt(at) == '\n';
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }
}
