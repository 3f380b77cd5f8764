package io.pglogs.cli.view;

import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A terminal table: columns as wide as their widest cell, numbers right-aligned, and the last column (a statement, a
 * message) cut with an ellipsis so every row fits the terminal's width. Cells are made printable first, so log
 * content cannot drive the terminal and widths count what is shown.
 */
final class TextTable {
    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /** @param headers the column names; a name ending in '>' is right-aligned (the '>' is not shown) */
    TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].endsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    TextTable row(Object... cells) {
        String[] row = new String[headers.length];
        for (int i = 0; i < headers.length; i++) {
            row[i] = i < cells.length && cells[i] != null ? Printable.line(cells[i].toString()) : "";
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out, Style style, int width, String indent) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        int last = headers.length - 1;
        int fixed = indent.length();
        for (int i = 0; i < last; i++) {
            fixed += widths[i] + 2;
        }
        widths[last] = Math.max(Math.min(widths[last], width - fixed), Math.min(12, widths[last]));
        out.println(style.header(line(headers, widths, indent)));
        for (String[] r : rows) {
            out.println(line(r, widths, indent));
        }
    }

    private String line(String[] cells, int[] widths, String indent) {
        StringBuilder b = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            String c = fit(cells[i], widths[i]);
            boolean lastColumn = i == cells.length - 1;
            if (right[i]) {
                b.append(" ".repeat(widths[i] - c.length())).append(c);
            } else {
                b.append(c);
                if (!lastColumn) {
                    b.append(" ".repeat(widths[i] - c.length()));
                }
            }
            if (!lastColumn) {
                b.append("  ");
            }
        }
        return b.toString().stripTrailing();
    }

    /** The text cut to {@code width} characters, its last one an ellipsis when cut. */
    static String fit(String s, int width) {
        if (s.length() <= width) {
            return s;
        }
        return width <= 1 ? s.substring(0, Math.max(0, width)) : s.substring(0, width - 1) + "\u2026";
    }
}
