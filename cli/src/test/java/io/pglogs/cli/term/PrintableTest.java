package io.pglogs.cli.term;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PrintableTest {
    /** The implicit bidi marks reorder what follows on a terminal like the embeddings do: escaped too. */
    @Test
    void bidiMarksAreEscaped() {
        for (char c : new char[] {'\u200e', '\u200f', '\u061c', '\u202e', '\u2067'}) {
            String shown = Printable.line("a" + c + "b");
            assertEquals(-1, shown.indexOf(c), Integer.toHexString(c) + ": " + shown);
            assertTrue(shown.startsWith("a") && shown.endsWith("b"), shown);
        }
    }
}
