package io.pglogs.cli.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.query.ContextRows;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import io.pglogs.forwarder.dynamo.LogRow;
import java.io.PrintWriter;
import java.util.Locale;
import org.fusesource.jansi.Ansi;

/** Writes rows as they arrive, in one of the output formats. */
public abstract class RowWriter {
    public enum Format { text, json, ndjson, csv }

    private static final ObjectMapper JSON = io.pglogs.cli.term.Json.terminalSafe(new ObjectMapper());

    protected final PrintWriter out;

    protected RowWriter(PrintWriter out) {
        this.out = out;
    }

    public static RowWriter of(Format format, PrintWriter out, Style style) {
        return switch (format) {
            case text -> new Text(out, style);
            case json -> new JsonArray(out);
            case ndjson -> new Ndjson(out);
            case csv -> new Csv(out);
        };
    }

    public void start() {
    }

    public abstract void row(LogRow row);

    public void end() {
        out.flush();
    }

    static String json(LogRow row) {
        try {
            return JSON.writeValueAsString(row.attributes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One entry per line: time, instance, severity (coloured), user@database, [pid], message. Continuation lines
     * are indented; every control character from the log is shown escaped, never sent to the terminal.
     */
    static final class Text extends RowWriter {
        private final Style style;

        Text(PrintWriter out, Style style) {
            super(out);
            this.style = style;
        }

        @Override
        public void row(LogRow r) {
            StringBuilder line = new StringBuilder(160);
            String context = r.text(LogRow.CONTEXT);
            if (context != null) {
                // --context: '>' a match, '-' an entry before it, '+' one after it.
                line.append(ContextRows.MATCH.equals(context) ? style.error(">") : ContextRows.BEFORE.equals(context)
                        ? style.dim("-") : style.dim("+")).append(' ');
            }
            line.append(style.dim(Printable.line(r.ts()))).append(' ').append(Printable.line(r.instance())).append(' ');
            line.append(severity(r.severity()));
            String user = r.text("user");
            String db = r.text("database");
            if (user != null || db != null) {
                line.append(' ').append(Printable.line(user == null ? "" : user)).append('@')
                        .append(Printable.line(db == null ? "" : db));
            }
            if (r.text("pid") != null) {
                line.append(" [").append(r.text("pid")).append(']');
            }
            String[] lines = Printable.text(r.message()).split("\n", -1);
            line.append(' ').append(lines[0].replace("\t", "    "));
            for (int i = 1; i < lines.length; i++) {
                line.append('\n').append("    ").append(lines[i].replace("\t", "    "));
            }
            out.println(line);
        }

        private String severity(String s) {
            String padded = String.format(Locale.ROOT, "%-9s", Printable.line(s));
            return switch (s == null ? "" : s) {
                case "ERROR", "FATAL", "PANIC" -> style.error(padded);
                case "WARNING" -> style.warn(padded);
                case "UNKNOWN" -> style.color(padded, Ansi.Color.MAGENTA);
                case "DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION" -> style.color(padded,
                        Ansi.Color.CYAN);
                case "LOG", "INFO", "NOTICE" -> padded;
                default -> style.dim(padded);
            };
        }
    }

    /** A JSON array, written element by element. */
    static final class JsonArray extends RowWriter {
        private boolean first = true;

        JsonArray(PrintWriter out) {
            super(out);
        }

        @Override
        public void start() {
            out.print("[");
        }

        @Override
        public void row(LogRow r) {
            out.print(first ? "\n  " : ",\n  ");
            out.print(json(r));
            first = false;
        }

        @Override
        public void end() {
            out.println(first ? "]" : "\n]");
            out.flush();
        }
    }

    /** One JSON object per line. */
    static final class Ndjson extends RowWriter {
        Ndjson(PrintWriter out) {
            super(out);
        }

        @Override
        public void row(LogRow r) {
            out.println(json(r));
        }
    }

    /**
     * RFC 4180 with a header; control characters other than newline and tab are escaped. A cell that starts like a
     * spreadsheet formula ({@code = + - @}, or a tab or carriage return) gets a leading {@code '}, so log content
     * opened in a spreadsheet stays text (OWASP's advice on CSV injection).
     */
    static final class Csv extends RowWriter {
        Csv(PrintWriter out) {
            super(out);
        }

        @Override
        public void start() {
            out.println(String.join(",", LogRow.COLUMNS));
        }

        @Override
        public void row(LogRow r) {
            StringBuilder line = new StringBuilder(256);
            for (int i = 0; i < LogRow.COLUMNS.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                String v = r.text(LogRow.COLUMNS.get(i));
                if (v != null) {
                    line.append(quote(neutralise(Printable.text(v))));
                }
            }
            out.print(line.append("\r\n"));
        }

        static String neutralise(String v) {
            if (v.isEmpty()) {
                return v;
            }
            return switch (v.charAt(0)) {
                case '=', '+', '-', '@', '\t', '\r' -> "'" + v;
                default -> v;
            };
        }

        private static String quote(String v) {
            if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
                return v;
            }
            return '"' + v.replace("\"", "\"\"") + '"';
        }
    }
}
