package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Which spans a report counts from rollups, on plain data: valid rollups of spans the window holds whole are used;
 * stale ones, stubs, expiring ones, ones whose entries leave their span, and spans the window cuts go to the summaries,
 * whose Query ranges then cover every other span of the window once and no rolled-up span.
 */
class RollupPlanTest {
    private static final Instant DAY = Instant.parse("2026-03-02T00:00:00Z");
    private static final long NOW = DAY.plus(Duration.ofDays(1)).getEpochSecond();
    private static final long TTL = 90L * 86_400;
    private static final byte[] DATA = {1};

    /** A valid rollup of the span starting {@code minutes} after midnight: entries from 1 s in to 9 min 58 s in. */
    private static RollupPlan.Rollup valid(int minutes) {
        Instant span = DAY.plus(Duration.ofMinutes(minutes));
        return new RollupPlan.Rollup(ItemContract.isoMillis(span), ItemContract.isoMillis(span.plusSeconds(1)),
                ItemContract.isoMillis(span.plusSeconds(598)), 100, span.plusSeconds(1).getEpochSecond() + TTL,
                false, DATA);
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-03-02T" + hhmmss + "Z");
    }

    private static String spanKey(int minutes) {
        return ItemContract.isoMillis(DAY.plus(Duration.ofMinutes(minutes)));
    }

    @Test
    void validRollupsOfSpansInsideTheWindowAreUsedAndOnlyTheEdgeSpansSummariesAreQueried() {
        List<RollupPlan.Rollup> rollups = new ArrayList<>();
        for (int m = 0; m < 60; m += 10) {
            rollups.add(valid(m));
        }
        RollupPlan.Plan plan = RollupPlan.plan(rollups, at("00:05:00"), at("00:44:59.999"), NOW);
        assertEquals(List.of(spanKey(10), spanKey(20), spanKey(30)), plan.used().stream().map(RollupPlan.Rollup::span)
                .toList(), "the spans 00:10, 00:20, 00:30 are inside; 00:00 and 00:40 are cut");
        assertEquals(List.of(new RollupPlan.KeyRange(spanKey(0), "2026-03-02T00:09:59.999Z~"),
                new RollupPlan.KeyRange(spanKey(40), "2026-03-02T00:44:59.999Z~")), plan.summaries());
    }

    @Test
    void aWindowOnSpanBoundariesReadsNoSummary() {
        List<RollupPlan.Rollup> rollups = List.of(valid(0), valid(10), valid(20));
        RollupPlan.Plan plan = RollupPlan.plan(rollups, at("00:00:00"), at("00:29:59.999"), NOW);
        assertEquals(3, plan.used().size());
        assertEquals(List.of(), plan.summaries());
        // Until at the next span's very start: that span is cut (it holds entries after until), so it is queried.
        RollupPlan.Plan longer = RollupPlan.plan(List.of(valid(0), valid(10), valid(20), valid(30)), at("00:00:00"),
                at("00:30:00"), NOW);
        assertEquals(3, longer.used().size());
        assertEquals(List.of(new RollupPlan.KeyRange(spanKey(30), spanKey(30) + "~")), longer.summaries());
    }

    @Test
    void staleRollupsStubsAndSpansWithoutOneAreLeftToTheSummaries() {
        RollupPlan.Rollup v = valid(10);
        RollupPlan.Rollup stale = new RollupPlan.Rollup(v.span(), v.ts(), v.lastTs(), v.entries(), v.minExpiresAt(),
                true, v.data());
        RollupPlan.Rollup stub = new RollupPlan.Rollup(spanKey(20), null, null, 0, 0, true, null);
        RollupPlan.Rollup unstaleStub = new RollupPlan.Rollup(spanKey(30), null, null, 0, 0, false, null);
        RollupPlan.Plan plan = RollupPlan.plan(List.of(valid(0), stale, stub, unstaleStub, valid(50)),
                at("00:00:00"), at("00:59:59.999"), NOW);
        assertEquals(List.of(spanKey(0), spanKey(50)), plan.used().stream().map(RollupPlan.Rollup::span).toList());
        assertEquals(List.of(new RollupPlan.KeyRange(spanKey(10), "2026-03-02T00:49:59.999Z~")), plan.summaries(),
                "00:10 (stale), 00:20 (stub), 00:30 (stub without its merge), 00:40 (none): one range");
    }

    @Test
    void aRollupSomeOfWhoseEntriesHaveExpiredIsNotUsed() {
        RollupPlan.Rollup v = valid(10);
        Instant from = at("00:00:00");
        Instant until = at("00:59:59.999");
        assertEquals(1, RollupPlan.plan(List.of(v), from, until, v.minExpiresAt() - 1).used().size());
        assertEquals(0, RollupPlan.plan(List.of(v), from, until, v.minExpiresAt()).used().size(),
                "its earliest entry is hidden from now on");
        RollupPlan.Rollup noExpiry = new RollupPlan.Rollup(v.span(), v.ts(), v.lastTs(), v.entries(), 0, false,
                v.data());
        assertEquals(0, RollupPlan.plan(List.of(noExpiry), from, until, NOW).used().size(),
                "without min_expires_at it cannot be trusted");
    }

    @Test
    void aRollupWhoseEntriesLeaveItsSpanIsNotTrusted() {
        RollupPlan.Rollup v = valid(10);
        RollupPlan.Rollup crossing = new RollupPlan.Rollup(v.span(), v.ts(), ItemContract.isoMillis(at("00:20:00")),
                v.entries(), v.minExpiresAt(), false, v.data());
        RollupPlan.Rollup early = new RollupPlan.Rollup(v.span(), ItemContract.isoMillis(at("00:09:59.999")),
                v.lastTs(), v.entries(), v.minExpiresAt(), false, v.data());
        for (RollupPlan.Rollup r : List.of(crossing, early)) {
            assertEquals(List.of(), RollupPlan.plan(List.of(r), at("00:00:00"), at("00:59:59.999"), NOW).used(),
                    r.toString());
        }
    }

    private static RollupPlan.Rollup from(RollupPlan.Rollup v, String rolledFrom) {
        return new RollupPlan.Rollup(v.span(), v.ts(), v.lastTs(), v.entries(), v.minExpiresAt(), v.stale(), v.data(),
                rolledFrom);
    }

    @Test
    void onADayNotSummarisedOnlyRollupsMadeFromEntriesAreUsed() {
        RollupPlan.Rollup fromEntries = from(valid(10), ItemContract.ROLLED_FROM_ENTRIES);
        RollupPlan.Rollup fromSummaries = from(valid(20), ItemContract.ROLLED_FROM_SUMMARIES);
        RollupPlan.Rollup partTwo = valid(30);
        RollupPlan.Rollup unknown = from(valid(40), "somewhere-else");
        List<RollupPlan.Rollup> all = List.of(fromEntries, fromSummaries, partTwo, unknown);
        assertEquals(ItemContract.ROLLED_FROM_SUMMARIES, partTwo.rolledFrom(), "no rolled_from: from summaries");

        RollupPlan.Plan unsummarised = RollupPlan.plan(all, at("00:00:00"), at("00:59:59.999"), NOW, false);
        assertEquals(List.of(fromEntries), unsummarised.used(),
                "a merge of summaries may lack entries no summary counts");
        RollupPlan.Plan summarised = RollupPlan.plan(all, at("00:00:00"), at("00:59:59.999"), NOW, true);
        assertEquals(List.of(fromEntries, fromSummaries, partTwo), summarised.used(),
                "a source this pglogs does not know is never used");
        assertEquals(summarised.used(), RollupPlan.plan(all, at("00:00:00"), at("00:59:59.999"), NOW).used());

        // What else makes a rollup unusable holds for those made from entries too.
        RollupPlan.Rollup v = from(valid(10), ItemContract.ROLLED_FROM_ENTRIES);
        RollupPlan.Rollup stale = new RollupPlan.Rollup(v.span(), v.ts(), v.lastTs(), v.entries(), v.minExpiresAt(),
                true, v.data(), v.rolledFrom());
        RollupPlan.Rollup crossing = new RollupPlan.Rollup(v.span(), v.ts(), ItemContract.isoMillis(at("00:20:00")),
                v.entries(), v.minExpiresAt(), false, v.data(), v.rolledFrom());
        for (RollupPlan.Rollup r : List.of(stale, crossing)) {
            assertEquals(List.of(), RollupPlan.plan(List.of(r), at("00:00:00"), at("00:59:59.999"), NOW, false)
                    .used(), r.toString());
        }
        assertEquals(List.of(), RollupPlan.plan(List.of(v), at("00:10:00.001"), at("00:59:59.999"), NOW, false)
                .used(), "a span the window cuts");
        assertEquals(List.of(), RollupPlan.plan(List.of(v), at("00:00:00"), at("00:59:59.999"), v.minExpiresAt(),
                false).used(), "expiring");
    }

    @Test
    void theTimesNoRollupCountsAreTheRunsBetweenThemCutToTheWindow() {
        List<RollupPlan.Rollup> used = List.of(valid(10), valid(20), valid(40));
        assertEquals(List.of(new RollupPlan.Times("2026-03-02T00:05:00.000Z", "2026-03-02T00:09:59.999Z"),
                        new RollupPlan.Times("2026-03-02T00:30:00.000Z", "2026-03-02T00:39:59.999Z"),
                        new RollupPlan.Times("2026-03-02T00:50:00.000Z", "2026-03-02T00:52:00.000Z")),
                RollupPlan.unrolled(used, at("00:05:00"), at("00:52:00")));
        assertEquals(List.of(), RollupPlan.unrolled(used.subList(0, 2), at("00:10:00"), at("00:29:59.999")),
                "the rollups count the whole window");
        assertEquals(List.of(new RollupPlan.Times("2026-03-02T00:10:00.000Z", "2026-03-02T00:29:59.999Z")),
                RollupPlan.unrolled(List.of(), at("00:10:00"), at("00:29:59.999")));
    }

    @Test
    void theRollupKeysRunFromTheFirstSpanToTheWindowsEnd() {
        assertEquals(new RollupPlan.KeyRange(spanKey(0), "2026-03-02T00:44:59.999Z"),
                RollupPlan.rollupKeys(at("00:05:00"), at("00:44:59.999")));
    }

    /**
     * Random windows over a day of spans, some rolled up validly, some stale, some absent: every span the window
     * touches is either used (then the window holds it whole) or inside exactly one summary range, and the ranges
     * reach from the first span's start to the window's end without touching a used span.
     */
    @Test
    void everySpanOfTheWindowIsCountedOnceWhateverTheWindow() {
        Random random = new Random(26);
        for (int trial = 0; trial < 500; trial++) {
            List<RollupPlan.Rollup> rollups = new ArrayList<>();
            for (int m = 0; m < 1440; m += 10) {
                int kind = random.nextInt(4);
                RollupPlan.Rollup v = valid(m);
                if (kind == 1) {
                    rollups.add(new RollupPlan.Rollup(v.span(), v.ts(), v.lastTs(), 1, v.minExpiresAt(), true,
                            DATA));
                } else if (kind >= 2) {
                    rollups.add(v);
                }
            }
            Instant from = DAY.plusMillis(random.nextLong(86_400_000L));
            Instant until = from.plusMillis(random.nextLong(DAY.plusMillis(86_400_000L - 1).toEpochMilli()
                    - from.toEpochMilli() + 1));
            RollupPlan.Plan plan = RollupPlan.plan(rollups, from, until, NOW);
            // A day not summarised: the rollups' spans and the times read from entries make the window, once each.
            long covered = plan.used().size() * ItemContract.COMPACT_SPAN_MILLIS;
            String previous = null;
            for (RollupPlan.Times t : RollupPlan.unrolled(plan.used(), from, until)) {
                assertTrue(t.from().compareTo(t.until()) <= 0 && (previous == null || t.from().compareTo(previous) > 0)
                        && t.from().compareTo(ItemContract.isoMillis(from)) >= 0
                        && t.until().compareTo(ItemContract.isoMillis(until)) <= 0, t + " after " + previous);
                for (RollupPlan.Rollup r : plan.used()) {
                    String spanLast = ItemContract.isoMillis(Instant.parse(r.span()).plusMillis(599_999));
                    assertTrue(t.until().compareTo(r.span()) < 0 || t.from().compareTo(spanLast) > 0, t + " " + r);
                }
                covered += Instant.parse(t.until()).toEpochMilli() - Instant.parse(t.from()).toEpochMilli() + 1;
                previous = t.until();
            }
            assertEquals(until.toEpochMilli() - from.toEpochMilli() + 1, covered, from + ".." + until);
            for (RollupPlan.Rollup r : plan.used()) {
                Instant span = Instant.parse(r.span());
                assertFalse(span.isBefore(from) || span.plusMillis(599_999).isAfter(until), r + " in " + from
                        + ".." + until);
            }
            long spanMillis = ItemContract.COMPACT_SPAN_MILLIS;
            for (long s = Math.floorDiv(from.toEpochMilli(), spanMillis) * spanMillis; s <= until.toEpochMilli();
                    s += spanMillis) {
                String key = ItemContract.isoMillis(Instant.ofEpochMilli(s));
                boolean used = plan.used().stream().anyMatch(r -> r.span().equals(key));
                long ranges = plan.summaries().stream().filter(r -> r.low().compareTo(key) <= 0
                        && r.high().compareTo(key) >= 0).count();
                assertEquals(used ? 0 : 1, ranges, key + " in " + from + ".." + until + ": " + plan.summaries());
                // The last entry key of the span (any event id) is in the same range as its first.
                String lastKey = ItemContract.isoMillis(Instant.ofEpochMilli(Math.min(s + spanMillis - 1,
                        until.toEpochMilli()))) + "#99999";
                long rangesLast = plan.summaries().stream().filter(r -> r.low().compareTo(lastKey) <= 0
                        && r.high().compareTo(lastKey) >= 0).count();
                assertEquals(used ? 0 : 1, rangesLast, lastKey + ": " + plan.summaries());
            }
        }
    }
}
