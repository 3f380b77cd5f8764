package io.pglogs.cli.view;

import java.util.ArrayList;
import java.util.List;

/** Prose lines of the text report folded at spaces to the terminal's width (a word longer than a line is cut). */
final class Wrap {
    private Wrap() {
    }

    /** @param text printable text (no control characters) */
    static List<String> lines(String text, int width, String indent, String nextIndent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(indent);
        int empty = indent.length();
        for (String word : text.split(" ", -1)) {
            if (line.length() > empty && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(nextIndent);
                empty = nextIndent.length();
            }
            if (line.length() > empty) {
                line.append(' ');
            }
            line.append(TextTable.fit(word, Math.max(1, width - line.length())));
        }
        lines.add(line.toString());
        return lines;
    }
}
