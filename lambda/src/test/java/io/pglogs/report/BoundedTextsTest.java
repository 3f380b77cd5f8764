package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every text the report keeps of an entry is bounded, with a visible mark (review of issue 26, finding 2). */
class BoundedTextsTest {
    @Test
    void aLongTextIsCutAndMarkedAndAShortOneKept() {
        String longText = "x".repeat(BoundedTexts.MAX_CHARS + 1_000);
        String cut = BoundedTexts.cap(longText);
        assertTrue(cut.startsWith("x".repeat(BoundedTexts.MAX_CHARS)));
        assertEquals("x".repeat(BoundedTexts.MAX_CHARS) + "... [pglogs: 1000 more characters not kept]", cut);
        String exact = "y".repeat(BoundedTexts.MAX_CHARS);
        assertSame(exact, BoundedTexts.cap(exact));
    }

    @Test
    void aSurrogatePairIsNeverSplit() {
        String s = "a".repeat(BoundedTexts.MAX_CHARS - 1) + "\uD83D\uDE00" + "b".repeat(10);
        String cut = BoundedTexts.cap(s);
        assertEquals("a".repeat(BoundedTexts.MAX_CHARS - 1) + "... [pglogs: 12 more characters not kept]", cut);
    }

    @Test
    void everyTextOfARowIsCappedNumbersAndShortTextsKept() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(ItemContract.TS, "2026-12-04T18:21:44.000Z");
        a.put(ItemContract.MESSAGE, "m".repeat(400_000));
        a.put(ItemContract.FINGERPRINT, "f".repeat(20_000));
        a.put(ItemContract.DURATION_MS, 12L);
        LogRow row = new LogRow("sk", a);
        LogRow capped = BoundedTexts.cap(row);
        assertEquals("2026-12-04T18:21:44.000Z", capped.ts());
        assertEquals(12L, capped.attributes().get(ItemContract.DURATION_MS));
        assertTrue(capped.message().length() < BoundedTexts.MAX_CHARS + 60, "" + capped.message().length());
        assertTrue(capped.text(ItemContract.FINGERPRINT).endsWith("11808 more characters not kept]"));
        LogRow small = new LogRow("sk", Map.of(ItemContract.MESSAGE, "short"));
        assertSame(small, BoundedTexts.cap(small));
    }
}
