package io.pglogs.forwarder;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON escaping for output that may reach a terminal: besides the C0 controls JSON itself escapes, DEL, the C1
 * controls (U+0080-U+009F, which some terminals read as escape sequences), the line and paragraph separators and the
 * bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, which reorder what is shown) come out as
 * {@code \\uXXXX}. The JSON means the same; only what a terminal shows changes.
 */
public final class TerminalSafeEscapes extends CharacterEscapes {
    public static final TerminalSafeEscapes INSTANCE = new TerminalSafeEscapes();
    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    private TerminalSafeEscapes() {
        ascii = CharacterEscapes.standardAsciiEscapesForJSON();
        ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
    }

    /** Whether {@code c} is a character that must not reach a terminal as it is. */
    public static boolean unsafe(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return unsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
}
