package io.pglogs.forwarder.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

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
        int line = text.indexOf('\n');
        while (line >= 0) {
            int next = line + 1;
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
            } else if (sql > 0) {
                parts.add(new Part(start, line));
                start = next + sql;
            }
            line = text.indexOf('\n', next);
        }
        return finish(parts, start, n);
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
