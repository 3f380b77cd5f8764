package io.pglogs.cli.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which spans a CLI writer rolls up after its write: those ended ROLL_AFTER plus the clock skew ago or more. */
class WrittenRollupsTest {
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    /** ROLL_AFTER (3 minutes) plus the live writers' clock skew (a minute). */
    private static final long WAIT = ItemContract.ROLL_AFTER_MILLIS + 60_000;

    private static long spanOf(Instant t) {
        return Math.floorDiv(t.toEpochMilli(), SPAN);
    }

    private static Instant end(long span) {
        return Instant.ofEpochMilli((span + 1) * SPAN);
    }

    @Test
    void aSpanIsDueOnceItEndedRollAfterPlusTheClockSkewAgo() {
        long span = spanOf(Instant.parse("2026-03-01T10:20:00Z"));
        Instant due = end(span).plusMillis(WAIT);
        assertTrue(Roller.dueForWriter(span, due), "exactly then");
        assertFalse(Roller.dueForWriter(span, due.minusMillis(1)), "a millisecond before");
        // ROLL_AFTER alone is not enough: a live writer whose clock is a minute behind would not bump there.
        assertFalse(Roller.dueForWriter(span, end(span).plusMillis(ItemContract.ROLL_AFTER_MILLIS)));
        assertFalse(Roller.dueForWriter(span, end(span).minusMillis(1)), "the span still open");
        // Whatever its age: the forwarder's 2-hour look-back does not bound a writer's own spans.
        assertTrue(Roller.dueForWriter(span, end(span).plusSeconds(90L * 86_400)));
    }

    @Test
    void dueKeepsEachInstancesDueSpansInOrder() {
        Instant now = Instant.parse("2026-03-02T12:00:00Z");
        long open = spanOf(now);
        long justClosed = open - 1; // ended at 12:00, not due
        long endedTenMinutesAgo = spanOf(now.minusMillis(WAIT + SPAN)); // 11:46: the span 11:40-11:50
        long old = spanOf(Instant.parse("2026-01-15T03:00:00Z"));
        Map<String, SortedSet<Long>> written = Map.of(
                "a-db", new TreeSet<>(List.of(old, endedTenMinutesAgo, justClosed, open)),
                "b-db", new TreeSet<>(List.of(open)));
        List<WrittenRollups.Span> due = WrittenRollups.due(new java.util.TreeMap<>(written), now);
        assertEquals(List.of(new WrittenRollups.Span("a-db", old), new WrittenRollups.Span("a-db",
                endedTenMinutesAgo)), due);
        // The span that ended exactly ROLL_AFTER + skew ago is due; a millisecond earlier it is not.
        Instant at = end(justClosed).plusMillis(WAIT);
        assertEquals(List.of(new WrittenRollups.Span("x", justClosed)),
                WrittenRollups.due(Map.of("x", new TreeSet<>(List.of(justClosed, open))), at));
        assertEquals(List.of(), WrittenRollups.due(Map.of("x", new TreeSet<>(List.of(justClosed, open))),
                at.minusMillis(1)));
    }

    @Test
    void writtenSpansGatherEveryBumpPerInstance() {
        WrittenSpans w = new WrittenSpans();
        w.accept("a-db", new TreeSet<>(List.of(5L, 3L)));
        w.accept("b-db", new TreeSet<>(List.of(1L)));
        w.accept("a-db", new TreeSet<>(List.of(3L, 9L)));
        assertEquals(Map.of("a-db", new TreeSet<>(List.of(3L, 5L, 9L)), "b-db", new TreeSet<>(List.of(1L))),
                w.byInstance());
    }
}
