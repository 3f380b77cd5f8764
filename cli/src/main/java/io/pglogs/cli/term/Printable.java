package io.pglogs.cli.term;

/**
 * Makes text from logs and AWS safe to print: control characters, escape sequences included, come out as visible
 * escapes ({@code \x1b}), so log content can never move the cursor, recolour or retitle the user's terminal.
 */
public final class Printable {
    private Printable() {
    }

    /** Escapes every control character except newline and tab. */
    public static String text(String s) {
        return escape(s, true);
    }

    /** Escapes every control character, newline and tab included: for one-line fields. */
    public static String line(String s) {
        return escape(s, false);
    }

    private static String escape(String s, boolean keepLayout) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    // the implicit bidi marks (LRM, RLM, ALM) reorder text as the embeddings above do
                    || c == '\u200e' || c == '\u200f' || c == '\u061c')
                    && !(keepLayout && (c == '\n' || c == '\t'));
            if (control) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c < 0x100) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
