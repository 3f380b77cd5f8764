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
    void aStoredWriteMayMeetTheRollerWhenItFinishedWithinAMinuteOfTheRollTime() {
        Instant rollTime = SPAN_END.plus(Duration.ofMinutes(3));
        // Stored exactly one clock skew before the roll time: late (the roller's clock may be a minute ahead).
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, rollTime.minusSeconds(60)));
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, rollTime.minusSeconds(60).minusMillis(1)));
        // Entries of the unit itself, stored as they come: never late.
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, SPAN_END.minusSeconds(1)));
        // Hours late (a redelivery, a delayed subscription): always.
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, SPAN_END.plus(Duration.ofHours(3))));
    }

    @Test
    void aWriteCutShortCountsTheTimeItMayStillTake() {
        Instant rollTime = SPAN_END.plus(Duration.ofMinutes(3));
        Instant early = rollTime.minus(Duration.ofMinutes(5));
        assertFalse(RollupBumper.mayBeRolled(SPAN_END, early, 3 * 60_000));
        assertTrue(RollupBumper.mayBeRolled(SPAN_END, early, 4 * 60_000));
        assertEquals(RollupBumper.mayBeRolled(SPAN_END, early), RollupBumper.mayBeRolled(SPAN_END, early, 0));
    }

    private static Map<String, AttributeValue> summaryAt(String ts) {
        return Map.of(ItemContract.TS, AttributeValue.fromS(ts));
    }

    @Test
    void theLivePathBumpsTheSpansOfUnitsThatMayBeRolledTheOthersEverySpanTheyWrite() {
        // Rolled at their end + 3 min on a clock up to 60 s ahead: at 10:29:30 the units ending by 10:27:30 may be.
        Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:29:30Z"), ZoneOffset.UTC);
        RollupBumper bumper = new RollupBumper(null, "t", clock);
        List<Map<String, AttributeValue>> entries = List.of(summaryAt("2026-05-01T09:59:59.999Z"),
                summaryAt("2026-05-01T10:05:00.000Z"), summaryAt("2026-05-01T10:25:59.999Z"),
                summaryAt("2026-05-01T10:26:00.000Z"), summaryAt("2026-05-01T10:28:00.000Z"));
        long s0950 = ItemContract.compactSpan("2026-05-01T09:59:59.999Z");
        // 10:25:59.999's unit ends at 10:26: its span (10:20) may have a slice of it; 10:26:00's ends at 10:28.
        assertEquals(List.of(s0950, s0950 + 1, s0950 + 3), List.copyOf(bumper.due(entries, false)));
        assertEquals(List.of(s0950, s0950 + 1, s0950 + 3), List.copyOf(bumper.due(entries, true)));
        assertEquals(List.of(), List.copyOf(bumper.due(entries.subList(3, 5), false)),
                "units ending 10:28 and 10:30 are not rolled before 10:30 on any clock");
        assertEquals(List.of(s0950 + 3), List.copyOf(bumper.due(entries.subList(3, 5), true)));
        // Cut short with ten minutes left, its items may still be stored when those units are rolled.
        assertEquals(List.of(s0950 + 3),
                List.copyOf(bumper.dueCut(entries.subList(3, 5), false, Deadline.after(Duration.ofMinutes(10)))));
        assertEquals(List.of(), List.copyOf(bumper.dueCut(entries.subList(3, 5), false,
                Deadline.after(Duration.ofSeconds(1)))));
    }

    @Test
    void aPayloadDeliveredPromptlyBumpsNothingOneDeliveredLateBumps() {
        Instant stored = Instant.parse("2026-05-01T10:23:17.250Z");
        RollupBumper bumper = new RollupBumper(null, "t", Clock.fixed(stored, ZoneOffset.UTC));
        // Every time of the two minutes before the store, millisecond-aligned seconds and the odd ones between.
        for (long ago = 1; ago <= 120_000; ago += 997) {
            String ts = ItemContract.isoMillis(stored.minusMillis(ago));
            assertEquals(List.of(), List.copyOf(bumper.due(List.of(summaryAt(ts)), false)), ts);
        }
        // Delivered more than four minutes after the entry (its unit ends at most two minutes after it): late.
        for (long ago = 240_000; ago <= 3_600_000; ago += 9_973) {
            String ts = ItemContract.isoMillis(stored.minusMillis(ago));
            assertEquals(List.of(ItemContract.compactSpan(ts)),
                    List.copyOf(bumper.due(List.of(summaryAt(ts)), false)), ts);
        }
    }

    @Test
    void unitsAreTwoMinutesFromTheSpanStart() {
        assertEquals(Instant.parse("2026-05-01T10:02:00Z"), ItemContract.unitEnd("2026-05-01T10:00:00.000Z"));
        assertEquals(Instant.parse("2026-05-01T10:02:00Z"), ItemContract.unitEnd("2026-05-01T10:01:59.999Z"));
        assertEquals(Instant.parse("2026-05-01T10:10:00Z"), ItemContract.unitEnd("2026-05-01T10:08:00.000Z"));
        assertEquals(Instant.parse("2026-05-02T00:00:00Z"), ItemContract.unitEnd("2026-05-01T23:59:59.999Z"));
        assertEquals(0, ItemContract.COMPACT_SPAN_MILLIS % ItemContract.SLICE_UNIT_MILLIS);
    }

    @Test
    void theRollerTakesSpansEndedThreeMinutesToTwoHoursAgo() {
        Instant now = Instant.parse("2026-05-01T12:00:00Z");
        long[] due = Roller.dueSpans(now);
        assertEquals("2026-05-01T09:50:00.000Z", ItemContract.isoMillis(ItemContract.spanStart(due[0])),
                "the span ending two hours before");
        assertEquals("2026-05-01T11:40:00.000Z", ItemContract.isoMillis(ItemContract.spanStart(due[1])),
                "the last span ending three minutes or more before");
        assertEquals("2026-05-01T11:50:00.000Z",
                ItemContract.isoMillis(ItemContract.spanStart(Roller.dueSpans(now.plusSeconds(180))[1])),
                "the span ending at 12:00 from 12:03");
        long[] later = Roller.dueSpans(now.plusMillis(1));
        assertEquals(due[0], later[0], "a span stays a candidate for the quiet period and the clock skew more");
        assertEquals(due[1], later[1]);
        Instant lastChance = now.plusMillis(Roller.QUIET_MILLIS + RollupBumper.CLOCK_SKEW_MILLIS);
        assertEquals(due[0], Roller.dueSpans(lastChance)[0]);
        assertEquals(due[0] + 1, Roller.dueSpans(lastChance.plusMillis(1))[0]);
        // The live writers' rule and the roller's meet: a span the roller takes at t is late for a write stored at t
        // on a clock up to a minute behind.
        Instant end = ItemContract.spanStart(due[1] + 1);
        Instant takenAt = end.plusMillis(ItemContract.ROLL_AFTER_MILLIS);
        assertEquals(due[1], Roller.dueSpans(takenAt)[1]);
        assertEquals(due[1] - 1, Roller.dueSpans(takenAt.minusMillis(1))[1]);
        assertTrue(RollupBumper.mayBeRolled(end, takenAt.minusSeconds(60)));
        assertFalse(RollupBumper.mayBeRolled(end, takenAt.minusSeconds(60).minusMillis(1)));
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
