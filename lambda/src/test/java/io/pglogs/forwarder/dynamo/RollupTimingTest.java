package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The arithmetic that decides when a summary is late (its writer bumps the span's rollup) and which spans the roller
 * takes (issue 26 part 2): the two must meet so that no rollup is made without a summary that was still to come.
 */
class RollupTimingTest {
    private static final Instant SPAN_END = Instant.parse("2026-05-01T10:10:00Z");

    @Test
    void aWriteMayMeetTheRollerWhenItCanFinishWithinAMinuteOfTheRollTime() {
        Instant rollTime = SPAN_END.plus(Duration.ofMinutes(20));
        // Finishing exactly one clock skew before the roll time: late (the roller's clock may be a minute ahead).
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, rollTime.minusSeconds(60), 0));
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, rollTime.minusSeconds(60).minusMillis(1), 0));
        // The write may go on until the deadline: the time left counts.
        Instant early = rollTime.minus(Duration.ofMinutes(5));
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, early, 3 * 60_000));
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, early, 4 * 60_000));
        // Entries of the span itself, written as they come: never late.
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, SPAN_END.minusSeconds(1), 60_000));
        // Hours late (a redelivery, a delayed subscription): always.
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, SPAN_END.plus(Duration.ofHours(3)), 0));
    }

    private static Map<String, AttributeValue> summaryAt(String ts) {
        return Map.of(ItemContract.TS, AttributeValue.fromS(ts));
    }

    @Test
    void theLivePathBumpsOnlyLateSpansTheOthersEverySpanTheyWrite() {
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:29:30Z"), ZoneOffset.UTC);
        RollupBumper bumper = new RollupBumper(null, "t", clock);
        List<Map<String, AttributeValue>> summaries = List.of(summaryAt("2026-05-01T09:59:59.999Z"),
                summaryAt("2026-05-01T10:00:00.000Z"), summaryAt("2026-05-01T10:05:00.000Z"),
                summaryAt("2026-05-01T10:10:00.000Z"), summaryAt("2026-05-01T10:25:00.000Z"));
        long s0950 = ItemContract.compactSpan("2026-05-01T09:59:59.999Z");
        Deadline soon = Deadline.after(Duration.ofSeconds(1));
        // 10:29:30 + 1 s + 60 s >= end + 20 min for the spans ending 10:00 and 10:10, not the one ending 10:20.
        assertEquals(List.of(s0950, s0950 + 1), List.copyOf(bumper.due(summaries, false, soon)));
        assertEquals(List.of(s0950, s0950 + 1, s0950 + 2, s0950 + 3),
                List.copyOf(bumper.due(summaries, true, soon)));
        // With ten minutes left the span ending 10:20 may be rolled (at 10:40) before the write is over.
        assertEquals(List.of(s0950, s0950 + 1, s0950 + 2),
                List.copyOf(bumper.due(summaries, false, Deadline.after(Duration.ofMinutes(10)))));
    }

    @Test
    void theRollerTakesSpansEndedTwentyMinutesToTwoHoursAgo() {
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        long[] due = Roller.dueSpans(now);
        assertEquals("2026-05-01T09:50:00.000Z", ItemContract.isoMillis(ItemContract.spanStart(due[0])),
                "the span ending two hours before");
        assertEquals("2026-05-01T11:30:00.000Z", ItemContract.isoMillis(ItemContract.spanStart(due[1])),
                "the span ending twenty minutes before");
        long[] later = Roller.dueSpans(now.plusMillis(1));
        assertEquals(due[0] + 1, later[0]);
        assertEquals(due[1], later[1]);
        // The live writers' rule and the roller's meet: a span the roller takes at t is late for a write ending at t
        // on a clock up to a minute behind.
        Instant end = ItemContract.spanStart(due[1] + 1);
        assertTrue(RollupBumper.mayBeRolled(end, now.minusSeconds(60), 0));
    }

    @Test
    void rollupKeysAreTheSpanStartUnderTheInstanceDay() {
        long span = ItemContract.compactSpan("2026-05-01T23:59:59.999Z");
        Map<String, AttributeValue> key = ItemContract.rollupKey("db-1", span);
        assertEquals("_rollup#db-1#2026-05-01", key.get(ItemContract.PK).s());
        assertEquals("2026-05-01T23:50:00.000Z", key.get(ItemContract.SK).s());
        assertEquals(key, ItemContract.rollupKey("db-1", Instant.parse("2026-05-01T23:50:00Z")));
        assertTrue(ItemContract.isRollup(key));
        assertFalse(ItemContract.isSummary(key));
    }

    private static Map<String, AttributeValue> summary(String stream, String ts, String id, String lastTs,
                                                      String lastId) {
        return Map.of(ItemContract.LOG_GROUP, AttributeValue.fromS("g"), ItemContract.LOG_STREAM,
                AttributeValue.fromS(stream), ItemContract.TS, AttributeValue.fromS(ts), ItemContract.EVENT_ID,
                AttributeValue.fromS(id), ItemContract.LAST_TS, AttributeValue.fromS(lastTs),
                ItemContract.LAST_EVENT_ID, AttributeValue.fromS(lastId));
    }

    @Test
    void summariesOfOneStreamWhoseRangesIntersectConflict() {
        String t = "2026-05-01T10:00:0";
        var a = summary("s1", t + "1.000Z", "f@10", t + "2.000Z", "f@200");
        var touching = summary("s1", t + "2.000Z", "f@200", t + "3.000Z", "f@300");
        var after = summary("s1", t + "2.000Z", "f@1000", t + "3.000Z", "f@1100");
        var otherStream = summary("s2", t + "1.500Z", "g@1", t + "2.500Z", "g@9");
        assertFalse(SummaryRanges.conflicting(List.of(a, after, otherStream)), "apart, or in another stream");
        assertTrue(SummaryRanges.conflicting(List.of(after, a, touching)), "sharing its last entry");
        var inside = summary("s1", t + "1.500Z", "f@50", t + "1.600Z", "f@60");
        var wide = summary("s1", t + "0.000Z", "f@1", t + "4.000Z", "f@400");
        assertTrue(SummaryRanges.conflicting(List.of(wide, after)), "one holding another");
        assertTrue(SummaryRanges.conflicting(List.of(a, inside)));
    }
}
