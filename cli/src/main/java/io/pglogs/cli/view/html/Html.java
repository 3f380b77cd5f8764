package io.pglogs.cli.view.html;

import io.pglogs.cli.term.Printable;

/**
 * Escaping of log content for HTML. Everything a log holds is text to show, never markup: the five characters HTML
 * gives meaning to become references, and control characters, bidirectional overrides and line separators come out as
 * the visible escapes the terminal output uses ({@code \x1b}, {@code \u202e}), so a statement cannot reorder what the
 * reader sees next to it any more than it can add an element.
 */
public final class Html {
    private Html() {
    }

    /** Element content: newlines and tabs kept (for {@code <pre>}), every other control character made visible. */
    public static String text(String s) {
        return references(Printable.text(s));
    }

    /** An attribute value inside double quotes, or one-line text: every control character made visible. */
    public static String attr(String s) {
        return references(Printable.line(s));
    }

    private static String references(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String ref = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (ref != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (ref != null) {
                    out.append(ref);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
