package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {
    static final class Count implements TopK.Group<Count> {
        long n;

        @Override
        public long count() {
            return n;
        }

        @Override
        public void merge(Count other) {
            n += other.n;
        }
    }

    private static void add(TopK<String, Count> t, String key) {
        TopK.Slot<String, Count> s = t.slot(key, k -> new Count());
        s.value().n++;
        t.added(s);
    }

    @Test
    void belowCapacityItIsExact() {
        TopK<String, Count> t = new TopK<>(10);
        for (int i = 0; i < 100; i++) {
            add(t, "k" + i % 7);
        }
        assertEquals(7, t.size());
        t.slots().forEach(s -> {
            assertEquals(0, s.uncounted());
            assertTrue(s.value().n == 14 || s.value().n == 15);
        });
        assertFalse(t.folded().any());
    }

    /**
     * A skewed stream of many keys through a small table: the heavy keys are held, each held key's count plus its
     * uncounted bound covers its true count, and what is held plus what was folded is every entry.
     */
    @Test
    void heavyKeysSurviveAndNothingIsLostFromTheTotals() {
        TopK<String, Count> t = new TopK<>(50);
        Map<String, Long> truth = new HashMap<>();
        Random r = new Random(7);
        int entries = 200_000;
        for (int i = 0; i < entries; i++) {
            // Zipf-like: key j with weight 1/j over 5,000 keys.
            String key = "k" + (int) Math.floor(Math.exp(r.nextDouble() * Math.log(5_000)));
            truth.merge(key, 1L, Long::sum);
            add(t, key);
        }
        assertEquals(50, t.size());
        long held = t.slots().stream().mapToLong(s -> s.value().n).sum();
        assertEquals(entries, held + t.folded().entries());
        assertTrue(t.folded().any());
        for (TopK.Slot<String, Count> s : t.slots()) {
            long trueCount = truth.get(s.key());
            assertTrue(s.value().n <= trueCount, s.key());
            assertTrue(s.value().n + s.uncounted() >= trueCount, s.key());
        }
        // Every key with more than entries / capacity entries is certain to be held.
        truth.forEach((k, n) -> {
            if (n > entries / 50) {
                assertTrue(t.slots().stream().anyMatch(s -> s.key().equals(k)), k + " with " + n);
            }
        });
        assertEquals("k1", t.top(1, Comparator.comparingLong(s -> -s.value().n)).get(0).key());
    }

    @Test
    void tablesMergeAsIfTheirEntriesHadComeToOne() {
        TopK<String, Count> a = new TopK<>(10);
        TopK<String, Count> b = new TopK<>(10);
        for (int i = 0; i < 30; i++) {
            add(a, "x" + i % 3);
            add(b, "x" + i % 5);
        }
        a.merge(b);
        Map<String, Long> merged = new HashMap<>();
        a.slots().forEach(s -> merged.put(s.key(), s.value().n));
        assertEquals(Map.of("x0", 16L, "x1", 16L, "x2", 16L, "x3", 6L, "x4", 6L), merged);
    }
}
