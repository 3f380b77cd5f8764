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
}
