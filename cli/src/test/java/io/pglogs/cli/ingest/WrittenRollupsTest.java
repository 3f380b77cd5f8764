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

    private static final Instant LONG_AFTER = Instant.parse("2026-06-01T00:00:00Z");

    /** {@code n} spans of one instance, long due at {@link #LONG_AFTER}. */
    private static Map<String, SortedSet<Long>> spans(int n) {
        long first = spanOf(Instant.parse("2026-05-01T00:00:00Z"));
        SortedSet<Long> s = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            s.add(first + i);
        }
        return Map.of("a-db", s);
    }

    private static Roller.Rolled as(Roller.Outcome o) {
        return new Roller.Rolled(o, o == Roller.Outcome.FAILED ? "ProvisionedThroughputExceededException (400)" : null);
    }

    private static java.io.StringWriter out;

    private static Progress progress() {
        out = new java.io.StringWriter();
        return new Progress(new java.io.PrintWriter(out, true), false, false, 0);
    }

    @Test
    void everyOutcomeIsCountedAndOnlyTheFirstTenReasonsAreTold() throws Exception {
        // 12 not rolled of 4 kinds, 3 rolled, 2 found valid, 2 with nothing, 1 throwing (an Error too): one at a time,
        // so no run of failures reaches the stop.
        List<Roller.Outcome> plan = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            plan.addAll(List.of(Roller.Outcome.BUMPED, Roller.Outcome.TOO_MANY, Roller.Outcome.UNUSABLE,
                    Roller.Outcome.FAILED, Roller.Outcome.ROLLED));
        }
        plan.addAll(List.of(Roller.Outcome.VALID, Roller.Outcome.VALID, Roller.Outcome.NOTHING, Roller.Outcome.NOTHING));
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<String> reasons = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        WrittenRollups.Outcome o = WrittenRollups.roll((s, d) -> {
            int i = next.getAndIncrement();
            if (i == plan.size()) {
                throw new OutOfMemoryError("Java heap space");
            }
            return as(plan.get(i));
        }, spans(plan.size() + 1), LONG_AFTER, 1, progress(), reasons::add);
        assertEquals(new WrittenRollups.Outcome(5, 2, 0, 13, 0, null), o);
        assertEquals(WrittenRollups.MAX_REASONS, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).matches("pglogs: rollup of a-db at 2026-05-01T00:00:00.000Z not made: another "
                + "writer stored into the span meanwhile"), reasons.get(0));
        assertTrue(reasons.get(3).endsWith("not made: DynamoDB: ProvisionedThroughputExceededException (400)"),
                reasons.get(3));
        assertTrue(reasons.stream().noneMatch(r -> r.contains("a later invocation")), reasons.toString());
        assertTrue(out.toString().startsWith("rolling up 20 spans (one at a time)\n"), out.toString());
    }

    @Test
    void failuresInARowStopThePhaseAndSayWhatIsLeft() throws Exception {
        // Two failures, a success (the run starts again), then every call throttled: the fifth in a row stops it.
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        WrittenRollups.Outcome o = WrittenRollups.roll((s, d) -> {
            int i = calls.getAndIncrement();
            return as(i == 2 ? Roller.Outcome.ROLLED : i % 2 == 0 ? Roller.Outcome.OUT_OF_TIME
                    : Roller.Outcome.FAILED);
        }, spans(40), LONG_AFTER, 1, progress(), r -> { });
        assertEquals(3 + WrittenRollups.MAX_CONSECUTIVE_FAILURES, calls.get(), "stopped at the fifth in a row");
        assertEquals(1, o.done());
        assertEquals(2 + WrittenRollups.MAX_CONSECUTIVE_FAILURES, o.notRolled());
        assertEquals(40 - calls.get(), o.left());
        assertNotNull(o.stoppedBy());
        // Failures that are not the table's (a bump in between) never stop it.
        o = WrittenRollups.roll((s, d) -> as(Roller.Outcome.BUMPED), spans(40), LONG_AFTER, 1, progress(), r -> { });
        assertEquals(new WrittenRollups.Outcome(0, 0, 0, 40, 0, null), o);
    }

    @Test
    void offATerminalTheCountIsAPlainLine() throws Exception {
        java.util.concurrent.CountDownLatch counted = new java.util.concurrent.CountDownLatch(1);
        WrittenRollups.roll((s, d) -> {
            try {
                counted.await(5, java.util.concurrent.TimeUnit.SECONDS); // held until the count was drawn once
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return as(Roller.Outcome.ROLLED);
        }, spans(3), LONG_AFTER, 1, new Progress(new java.io.PrintWriter(new java.io.Writer() {
            private final StringBuilder b = new StringBuilder();

            @Override
            public void write(char[] c, int off, int len) {
                b.append(c, off, len);
                if (b.toString().contains("rolling up 0/3 spans\n")) {
                    counted.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }), false, false, 0), r -> { });
        assertEquals(0, counted.getCount(), "a plain progress line off a terminal");
        // The default interval: nothing before 30 s.
        java.io.StringWriter w = new java.io.StringWriter();
        Progress p = new Progress(new java.io.PrintWriter(w), false, false);
        p.count("rolling up", 1, 3, "spans", "x");
        assertEquals("", w.toString());
    }

    @Test
    void linesFromSeveralThreadsNeverCutIntoEachOther() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        Progress p = new Progress(new java.io.PrintWriter(w), true, false);
        long until = System.nanoTime() + 1_500_000_000L; // 15 redraws
        java.util.concurrent.atomic.AtomicInteger warned = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                for (int i = 0; System.nanoTime() < until; i++) {
                    p.warn("pglogs: reason " + id + " " + i);
                    warned.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (int i = 0; System.nanoTime() < until; i++) {
            p.count("rolling up", i, 1_000_000, "spans", "a-db");
        }
        for (Thread t : threads) {
            t.join();
        }
        // A reason starts its line, or follows the progress line's erasure ("\r\u001b[K": back to the start), and ends
        // it: a progress line drawn in between would put it after the bar, on the bar's line.
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("(.*\r\u001b\\[K)?pglogs: reason \\d \\d+",
                java.util.regex.Pattern.DOTALL);
        long whole = java.util.Arrays.stream(w.toString().split("\n")).filter(l -> line.matcher(l).matches()).count();
        assertEquals(warned.get(), whole, "every reason on a line of its own");
    }

    @Test
    void onlyOneSpanAtATimeOnAProvisionedTableAndNoMoreThanTheHeapHolds() {
        long gib = 1L << 30;
        assertEquals(1, TableWriter.concurrencyFor(8, true, 16 * gib), "provisioned: one at a time");
        assertEquals(8, TableWriter.concurrencyFor(8, false, 16 * gib));
        // 1 GiB: three quarters of it hold 6 spans of 100,000 entries at 1.2 KB.
        assertEquals(6, TableWriter.concurrencyFor(8, false, gib));
        assertEquals(1, TableWriter.concurrencyFor(8, false, 64L << 20), "at least one");
    }

    @Test
    void theEarlierOfTheLocalClockAndAwssIsNow() {
        Instant aws = TableClock.httpDate("Sat, 05 Dec 2026 09:41:03 GMT").orElseThrow();
        assertEquals(Instant.parse("2026-12-05T09:41:03Z"), aws);
        assertTrue(TableClock.httpDate("yesterday").isEmpty());
        assertEquals(aws, new TableClock(aws.plusSeconds(180), aws, false).now(), "a fast laptop: AWS's time");
        assertEquals(aws.minusSeconds(5), new TableClock(aws.minusSeconds(5), aws, false).now(), "a slow one: its own");
        assertEquals(aws, new TableClock(aws, null, false).now(), "no Date header: the local clock");
    }
}
