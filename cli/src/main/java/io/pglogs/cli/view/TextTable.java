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
    private final boolean[] optional;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the column names; a name ending in '>' is right-aligned (the '>' is not shown), one starting with
     *                '~' is left out, the rightmost such first, when the table would not fit the width otherwise
     */
    TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        this.optional = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            String h = headers[i];
            optional[i] = h.startsWith("~");
            h = optional[i] ? h.substring(1) : h;
            right[i] = h.endsWith(">");
            this.headers[i] = right[i] ? h.substring(0, h.length() - 1) : h;
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

    /** The last column keeps at least this many characters; optional columns go first. */
    private static final int MIN_LAST = 16;

    void print(PrintWriter out, Style style, int width, String indent) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] r : rows) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        int last = headers.length - 1;
        boolean[] shown = new boolean[headers.length];
        java.util.Arrays.fill(shown, true);
        int fixed = indent.length();
        for (int i = 0; i < last; i++) {
            fixed += widths[i] + 2;
        }
        for (int i = last - 1; i >= 0 && fixed + Math.min(MIN_LAST, widths[last]) > width; i--) {
            if (optional[i]) {
                shown[i] = false;
                fixed -= widths[i] + 2;
            }
        }
        widths[last] = Math.max(Math.min(widths[last], width - fixed), Math.min(MIN_LAST, widths[last]));
        out.println(style.header(line(headers, widths, shown, indent)));
        for (String[] r : rows) {
            out.println(line(r, widths, shown, indent));
        }
    }

    private String line(String[] cells, int[] widths, boolean[] shown, String indent) {
        StringBuilder b = new StringBuilder(indent);
        for (int i = 0; i < cells.length; i++) {
            if (!shown[i]) {
                continue;
            }
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
