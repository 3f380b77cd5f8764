package io.pglogs.cli.view.html;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of text, numbers and SQL: numbers right-aligned in tabular figures, SQL in a {@code <code>} block that keeps
 * its lines. Every cell is escaped text; the column kinds only choose the styling.
 */
public final class HtmlTable {
    public enum Kind { TEXT, NUMBER, CODE }

    public record Column(String header, Kind kind) {
        public static Column text(String header) {
            return new Column(header, Kind.TEXT);
        }

        public static Column number(String header) {
            return new Column(header, Kind.NUMBER);
        }

        public static Column code(String header) {
            return new Column(header, Kind.CODE);
        }
    }

    private final String caption;
    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();

    /** @param caption said above the table; null for none */
    public HtmlTable(String caption, Column... columns) {
        this.caption = caption;
        this.columns = List.of(columns);
    }

    public HtmlTable row(String... cells) {
        return keyedRow(null, cells);
    }

    /** A row that names what it is about in {@code data-key} (a fingerprint, a relation) for readers of the page. */
    public HtmlTable keyedRow(String key, String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(columns.size() + " columns, " + cells.length + " cells: "
                    + Arrays.toString(cells));
        }
        rows.add(Arrays.asList(cells));
        keys.add(key);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void writeTo(Markup m) {
        m.open("table");
        if (caption != null) {
            m.element("caption", caption);
        }
        m.open("thead").open("tr");
        for (Column c : columns) {
            m.element("th", c.header(), "scope", "col", "class", c.kind() == Kind.NUMBER ? "n" : null);
        }
        m.close("tr").close("thead").open("tbody");
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            m.open("tr", "data-key", keys.get(r));
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i) == null ? "" : row.get(i);
                switch (columns.get(i).kind()) {
                    case NUMBER -> m.element("td", cell, "class", "n");
                    case CODE -> m.open("td").element("code", cell).close("td");
                    default -> m.element("td", cell);
                }
            }
            m.close("tr");
        }
        m.close("tbody").close("table");
    }
}
