package io.pglogs.forwarder.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The parts of an entry's text that the {@link Redactor} lexes, each from its own start: the message, each field
 * csvlog and jsonlog fold in after it ({@code \nDETAIL:  }, {@code \nHINT:  }, {@code \nQUERY:  },
 * {@code \nCONTEXT:  }, {@code \nSTATEMENT:  }; the label itself belongs to no part), and in a CONTEXT the SQL of each
 * {@code SQL statement "..."} or {@code SQL expression "..."} line (from after its quote).
 *
 * <p>Lexing the whole entry at once lets an odd quote in prose (a RAISE's message, a value a DETAIL quotes) make the
 * statement after it look like the inside of a literal, and its password like code. A part never runs into the next
 * one, with one exception: STATEMENT is the last field both parsers fold in, so a label line after it is the
 * statement's own text (inside one of its literals) and the statement runs to the end.
 */
final class EntryParts {
    private static final String[] LABELS = {"DETAIL:", "HINT:", "QUERY:", "CONTEXT:", "STATEMENT:", "LOCATION:"};
    private static final String[] CONTEXT_SQL = {"SQL statement \"", "SQL expression \""};
    /** A message that logs a statement: {@code statement: }, {@code execute S_1: }, after a duration or not. */
    private static final Pattern STATEMENT_MESSAGE = Pattern.compile(
            "(?:duration: [0-9.]++ ms\\s++)?(?:statement|(?:execute|parse|bind) [^:\\n]{1,200}+): ");

    private EntryParts() {
    }

    /** text[start, end) is one part. */
    record Part(int start, int end) {
    }

    /** The text with {@code redact} applied to each part on its own; labels and prefixes between parts kept. */
    static String map(String text, UnaryOperator<String> redact) {
        List<Part> parts = of(text);
        if (parts.size() == 1 && parts.get(0).start() == 0 && parts.get(0).end() == text.length()) {
            return redact.apply(text);
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int copied = 0;
        for (Part p : parts) {
            out.append(text, copied, p.start()).append(redact.apply(text.substring(p.start(), p.end())));
            copied = p.end();
        }
        return out.append(text, copied, text.length()).toString();
    }

    static List<Part> of(String text) {
        List<Part> parts = new ArrayList<>(4);
        int n = text.length();
        int start = afterContextSql(text, 0);
        // Where the lexer stands in a part that is SQL (the statement a message logs, a QUERY, a CONTEXT's SQL
        // statement), or -1 in prose: a label line inside one of its literals, quoted identifiers or comments is its
        // text, not a field (a literal holding "\nDETAIL: x" would otherwise end the statement there).
        int lexed = start > 0 || STATEMENT_MESSAGE.matcher(text).lookingAt() ? start : -1;
        boolean contextSql = start > 0;
        int line = text.indexOf('\n');
        while (line >= 0) {
            int next = line + 1;
            if (lexed >= 0) {
                lexed = lex(text, lexed, line, contextSql);
                if (lexed > line) {
                    line = text.indexOf('\n', lexed);
                    continue;
                }
            }
            int label = labelLength(text, next);
            int sql = label > 0 ? 0 : afterContextSql(text, next) - next;
            if (label > 0) {
                parts.add(new Part(start, line));
                int body = next + label;
                while (body < n && text.charAt(body) == ' ' && body - next - label < 2) {
                    body++;
                }
                if (text.startsWith("STATEMENT:", next)) {
                    // The last field folded in: whatever follows is the statement's.
                    return finish(parts, body, n);
                }
                start = afterContextSql(text, body);
                contextSql = start > body;
                lexed = contextSql || text.startsWith("QUERY:", next) ? start : -1;
            } else if (sql > 0) {
                parts.add(new Part(start, line));
                start = next + sql;
                contextSql = true;
                lexed = start;
            }
            line = text.indexOf('\n', next);
        }
        return finish(parts, start, n);
    }

    /**
     * The lexer's position after reading SQL text[from, to): past any literal, quoted identifier or comment that
     * starts before {@code to}, so beyond {@code to} when one is open there; -1 when a CONTEXT's SQL statement ended
     * (its closing quote at a line's end) and prose follows.
     */
    private static int lex(String text, int from, int to, boolean contextSql) {
        int n = text.length();
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (contextSql && c == '"' && (i + 1 == n || text.charAt(i + 1) == '\n')) {
                return -1;
            }
            int skip = SqlLiterals.skipNonLiteral(text, i);
            if (skip > i) {
                i = skip;
                continue;
            }
            SqlLiterals.Literal lit = SqlLiterals.at(text, i);
            i = lit == null ? i + 1 : lit.end();
        }
        return i;
    }

    private static List<Part> finish(List<Part> parts, int start, int end) {
        parts.add(new Part(Math.min(start, end), end));
        return parts;
    }

    /** The length of the field label at {@code at}, or 0. */
    private static int labelLength(String text, int at) {
        for (String label : LABELS) {
            if (text.startsWith(label, at)) {
                return label.length();
            }
        }
        return 0;
    }

    /** Past a CONTEXT's {@code SQL statement "} at {@code at}, else {@code at} itself. */
    private static int afterContextSql(String text, int at) {
        for (String prefix : CONTEXT_SQL) {
            if (text.startsWith(prefix, at)) {
                return at + prefix.length();
            }
        }
        return at;
    }
}
