package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class UnicodeTextTest {
    @Test
    void validTextIsReturnedAsItIs() {
        String s = "caf\u00e9 \ud83d\ude00 plain";
        assertSame(s, UnicodeText.repair(s));
        assertTrue(UnicodeText.isValid(s));
    }

    @Test
    void eachLoneSurrogateBecomesTheReplacementCharacterAndPairsStay() {
        assertEquals("a\uFFFDb", UnicodeText.repair("a\ud800b"));
        assertEquals("\uFFFDa", UnicodeText.repair("\udc00a"));
        assertEquals("\ud83d\ude00\uFFFD", UnicodeText.repair("\ud83d\ude00\ud83d"));
        assertEquals("\uFFFD\uFFFD", UnicodeText.repair("\ude00\ud83d"));
        assertFalse(UnicodeText.isValid("x\ud800"));
        assertNull(UnicodeText.repair(null));
    }

    @Test
    void onlyASurrogateEscapeInJsonCallsForARepair() {
        assertTrue(UnicodeText.mayHoldEscapedSurrogate("{\"m\":\"\\ud800\"}".getBytes()));
        assertTrue(UnicodeText.mayHoldEscapedSurrogate("\\uDFFF".getBytes()));
        assertFalse(UnicodeText.mayHoldEscapedSurrogate("{\"m\":\"\\u00e9 \\ud7ff \\ue000\"}".getBytes()));
        assertFalse(UnicodeText.mayHoldEscapedSurrogate("\ud83d\ude00".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // Found wherever it falls among the eight-byte words the scan reads, up to the last byte.
        for (int at = 0; at < 20; at++) {
            String filler = "\\\"ab".repeat(5).substring(0, at);
            assertTrue(UnicodeText.mayHoldEscapedSurrogate((filler + "\\udbff").getBytes()), filler);
            assertFalse(UnicodeText.mayHoldEscapedSurrogate((filler + "\\ud7ff").getBytes()), filler);
            assertFalse(UnicodeText.mayHoldEscapedSurrogate((filler + "\\uabcd tail").getBytes()), filler);
        }
    }
}
