package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.Sources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plan of a summarised instance-day, on plain data: entries of two log streams with whole-second times (as
 * {@code %t} logs them) and imported ids ({@code name@offset}, where "@999" sorts before "@1000"), batched into
 * payloads that end mid-second, some batched twice (a backfill over live data). Whatever the window, every entry of it
 * is counted once: by a summary used whole, or read from entries and not held by a used summary.
 */
class SummaryPlanTest {
    private static final String INSTANCE = "db-1";
    private static final String GROUP = "/aws/rds/instance/db-1/postgresql";
    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    private static final long TTL = 90L * 86_400;

    private record Entry(String stream, String ts, String id) {
        LogRow row() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put(ItemContract.TS, ts);
            a.put(ItemContract.INSTANCE, INSTANCE);
            a.put(ItemContract.EVENT_ID, id);
            a.put(ItemContract.LOG_GROUP, GROUP);
            a.put(ItemContract.LOG_STREAM, stream);
            return new LogRow(ts + '#' + id, a);
        }
    }

    private static final Comparator<Entry> LOGGED = Comparator.comparing(Entry::ts)
            .thenComparing(Entry::id, ReportBuilder::compareEventIds);

    /** Entries of one file: several a second, offsets growing past a power of ten. */
    private static List<Entry> file(String name, Instant start, int count, Random random) {
        List<Entry> out = new ArrayList<>();
        Instant at = start;
        long offset = 500 + random.nextInt(300);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(4) == 0) {
                at = at.plusSeconds(1 + random.nextInt(200));
            }
            out.add(new Entry(name, ItemContract.isoMillis(at), name + "@" + offset));
            offset += 1 + random.nextInt(180);
        }
        return out;
    }

    /**
     * The summaries of one payload as the forwarder makes them: one per UTC hour (its span, in this test), its rows in
     * logged order, some split in parts as the forwarder splits one too large (each part saying where the payload's
     * part of the hour starts, {@code payloadTs}, unless written by an older forwarder: {@code older}); noting in
     * {@code itemStarts} for each entry that start: the earliest sort key a compact item holding it may have (one item
     * may hold entries of several parts).
     */
    private static List<SummaryPlan.Summary> summarise(List<Entry> payload, Map<Entry, List<String>> itemStarts,
                                                       Random random, boolean older) {
        Map<String, List<Entry>> byHour = new LinkedHashMap<>();
        payload.stream().sorted(LOGGED).forEach(e -> byHour.computeIfAbsent(e.ts().substring(0, 13),
                k -> new ArrayList<>()).add(e));
        List<SummaryPlan.Summary> out = new ArrayList<>();
        for (List<Entry> hour : byHour.values()) {
            String payloadTs = hour.get(0).ts();
            hour.forEach(e -> itemStarts.computeIfAbsent(e, k -> new ArrayList<>()).add(payloadTs));
            int parts = hour.size() < 4 ? 1 : 1 + random.nextInt(3);
            for (int p = 0; p < parts; p++) {
                List<Entry> part = hour.subList(p * hour.size() / parts, (p + 1) * hour.size() / parts);
                out.add(summary(part, older ? null : payloadTs));
            }
        }
        return out;
    }

    private static SummaryPlan.Summary summary(List<Entry> rows, String payloadTs) {
        Entry first = rows.get(0);
        Entry last = rows.get(rows.size() - 1);
        return new SummaryPlan.Summary(INSTANCE, SummaryPlan.stream(GROUP, first.stream()), first.ts(), first.id(),
                last.ts(), last.id(), rows.size(), Instant.parse(last.ts()).getEpochSecond() + TTL, new byte[0],
                payloadTs);
    }

    private static List<List<Entry>> cut(List<Entry> entries, int min, int max, Random random) {
        List<List<Entry>> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); ) {
            int n = min + random.nextInt(max - min + 1);
            out.add(entries.subList(i, Math.min(entries.size(), i + n)));
            i += n;
        }
        return out;
    }

    /** Counts each entry of the window as the report would: asserting none is counted twice or missed. */
    private static void assertCountedOnce(List<Entry> stored, List<SummaryPlan.Summary> summaries, String from,
                                          String until, Map<Entry, List<String>> itemStarts) {
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, summaries, from, until, NOW);
        Map<Entry, Integer> counted = new HashMap<>();
        for (SummaryPlan.Summary s : plan.used()) {
            assertTrue(s.ts().compareTo(from) >= 0 && s.lastTs().compareTo(until) <= 0, "used whole: " + s);
            for (Entry e : stored) {
                if (s.holds(SummaryPlan.stream(GROUP, e.stream()), e.ts(), e.id())) {
                    counted.merge(e, 1, Integer::sum);
                }
            }
        }
        long fromSummaries = plan.used().stream().mapToLong(SummaryPlan.Summary::entries).sum();
        assertEquals(counted.values().stream().mapToLong(Integer::longValue).sum(), fromSummaries,
                "a used summary holds exactly the entries it counted");
        boolean older = summaries.stream().anyMatch(x -> x.payloadTs() == null);
        String previousUntil = null;
        for (SummaryPlan.Range r : plan.ranges()) {
            assertEquals(older, r.floor() == null, "a floor unless an older writer's summary is read: " + r);
            assertTrue(previousUntil == null || r.from().compareTo(previousUntil) > 0, "ranges apart: " + plan.ranges());
            previousUntil = r.until();
            for (Entry e : stored) {
                if (e.ts().compareTo(r.from()) >= 0 && e.ts().compareTo(r.until()) <= 0 && !r.skips(e.row())) {
                    counted.merge(e, 1, Integer::sum);
                    // Read from an item at or above the range's floor: some item holding it starts there or later.
                    assertTrue(r.floor() == null || itemStarts.get(e).stream()
                            .anyMatch(start -> start.compareTo(r.floor()) >= 0), e + " below " + r);
                }
            }
        }
        for (Entry e : stored) {
            boolean inWindow = e.ts().compareTo(from) >= 0 && e.ts().compareTo(until) <= 0;
            assertEquals(inWindow ? 1 : null, counted.get(e), e + " in " + from + ".." + until + ": " + plan);
        }
    }

    @Test
    void everyEntryOfAnyWindowIsCountedOnceWhateverTheCutsAndConflicts() {
        Random random = new Random(26);
        for (int round = 0; round < 40; round++) {
            Instant start = Instant.parse("2025-11-20T10:40:00Z");
            List<Entry> a = file("postgresql.log.2025-11-20-10", start, 400, random);
            List<Entry> b = file("postgresql.log.2025-11-20-10b", start.plusSeconds(random.nextInt(600)), 300, random);
            List<SummaryPlan.Summary> summaries = new ArrayList<>();
            Map<Entry, List<String>> itemStarts = new HashMap<>();
            boolean older = round % 5 == 4;
            for (List<Entry> stream : List.of(a, b)) {
                cut(stream, 1, 60, random).forEach(p -> summaries.addAll(summarise(p, itemStarts, random, older)));
            }
            if (round % 2 == 1) {
                // A backfill of part of stream a, batched differently: its events are stored once, summarised twice.
                int from = random.nextInt(a.size() / 2);
                cut(a.subList(from, from + random.nextInt(a.size() / 2)), 5, 90, random)
                        .forEach(p -> summaries.addAll(summarise(p, itemStarts, random, older)));
            }
            List<Entry> stored = new ArrayList<>(new HashSet<>(a));
            stored.addAll(b);
            for (int w = 0; w < 10; w++) {
                Entry x = stored.get(random.nextInt(stored.size()));
                Entry y = stored.get(random.nextInt(stored.size()));
                String from = x.ts().compareTo(y.ts()) <= 0 ? x.ts() : y.ts();
                String until = x.ts().compareTo(y.ts()) <= 0 ? y.ts() : x.ts();
                if (random.nextBoolean()) {
                    from = ItemContract.isoMillis(Instant.parse(from).plusMillis(1));
                }
                assertCountedOnce(stored, summaries, from, until, itemStarts);
            }
            assertCountedOnce(stored, summaries, "2025-11-20T00:00:00.000Z", "2025-11-20T23:59:59.999Z", itemStarts);
        }
    }

    private static SummaryPlan.Summary summary(String stream, String ts, String id, String lastTs, String lastId,
                                               long entries) {
        return new SummaryPlan.Summary(INSTANCE, SummaryPlan.stream(GROUP, stream), ts, id, lastTs, lastId, entries,
                Instant.parse(lastTs).getEpochSecond() + TTL, new byte[0], ts);
    }

    @Test
    void aSummaryStraddlingTheWindowsStartIsReadFromEntriesFromTheStart() {
        SummaryPlan.Summary edge = summary("s", "2025-11-20T10:59:58.000Z", "f@10", "2025-11-20T11:00:30.000Z",
                "f@99", 5);
        SummaryPlan.Summary inside = summary("s", "2025-11-20T11:00:30.000Z", "f@100", "2025-11-20T11:20:00.000Z",
                "f@900", 40);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(inside, edge), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW);
        assertEquals(List.of(inside), plan.used());
        assertEquals(1, plan.ranges().size());
        SummaryPlan.Range r = plan.ranges().get(0);
        assertEquals("2025-11-20T11:00:00.000Z", r.from());
        assertEquals("2025-11-20T11:00:30.000Z", r.until());
        assertEquals(Sources.WINDOW_EDGE, r.reason());
        assertEquals("2025-11-20T10:59:58.000Z", r.floor(), "the edge summary's first entry");
        // The second the two share: the used summary's entry is left to it, the edge's is read.
        assertEquals(List.of(inside), r.skip());
        assertTrue(r.skips(new Entry("s", "2025-11-20T11:00:30.000Z", "f@100").row()));
        assertFalse(r.skips(new Entry("s", "2025-11-20T11:00:30.000Z", "f@99").row()));
        assertFalse(r.skips(new Entry("other", "2025-11-20T11:00:30.000Z", "other@100").row()));
    }

    @Test
    void summariesOfOneStreamWhoseEventsOverlapAreBothReadFromEntries() {
        SummaryPlan.Summary live = summary("s", "2025-11-20T11:10:00.000Z", "1", "2025-11-20T11:20:00.000Z", "5", 5);
        SummaryPlan.Summary backfill = summary("s", "2025-11-20T11:15:00.000Z", "3", "2025-11-20T11:30:00.000Z",
                "9", 7);
        SummaryPlan.Summary otherStream = summary("t", "2025-11-20T11:12:00.000Z", "1", "2025-11-20T11:18:00.000Z",
                "4", 4);
        SummaryPlan.Summary next = summary("s", "2025-11-20T11:30:01.000Z", "10", "2025-11-20T11:40:00.000Z", "12",
                3);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(live, backfill, otherStream, next),
                "2025-11-20T11:00:00.000Z", "2025-11-20T12:00:00.000Z", NOW);
        assertEquals(List.of(otherStream, next), plan.used());
        assertEquals(1, plan.ranges().size());
        SummaryPlan.Range r = plan.ranges().get(0);
        assertEquals(Sources.CONFLICT, r.reason());
        assertEquals("2025-11-20T11:10:00.000Z", r.from());
        assertEquals("2025-11-20T11:30:00.000Z", r.until());
        assertEquals(List.of(otherStream), r.skip(), "the used summaries overlapping the range");
    }

    @Test
    void summariesMeetingAtOneEventOfTheSameSecondDoNotConflict() {
        SummaryPlan.Summary a = summary("s", "2025-11-20T11:10:00.000Z", "f@50", "2025-11-20T11:10:07.000Z", "f@999",
                9);
        SummaryPlan.Summary b = summary("s", "2025-11-20T11:10:07.000Z", "f@1000", "2025-11-20T11:10:09.000Z",
                "f@1500", 4);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(a, b), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW);
        assertEquals(List.of(a, b), plan.used());
        assertEquals(List.of(), plan.ranges());
        SummaryPlan.Summary overlapping = summary("s", "2025-11-20T11:10:07.000Z", "f@999", "2025-11-20T11:10:09.000Z",
                "f@1500", 5);
        assertEquals(List.of(), SummaryPlan.plan(INSTANCE, List.of(a, overlapping), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW).used());
    }

    @Test
    void rangesSharingAMillisecondAreJoinedAndNamedByTheStrongerReason() {
        SummaryPlan.Summary edge = summary("s", "2025-11-20T11:59:00.000Z", "1", "2025-11-20T12:00:05.000Z", "9", 9);
        SummaryPlan.Summary c1 = summary("t", "2025-11-20T11:58:00.000Z", "1", "2025-11-20T11:59:00.000Z", "5", 5);
        SummaryPlan.Summary c2 = summary("t", "2025-11-20T11:58:30.000Z", "3", "2025-11-20T11:58:40.000Z", "4", 2);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(edge, c1, c2), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW);
        assertEquals(List.of(), plan.used());
        assertEquals(List.of(new SummaryPlan.Range(INSTANCE, "2025-11-20T11:58:00.000Z", "2025-11-20T12:00:00.000Z",
                Sources.CONFLICT, List.of(), "2025-11-20T11:58:00.000Z")), plan.ranges());
    }

    @Test
    void aSummaryWithExpiredEntriesIsReadFromEntriesAndAWhollyExpiredOneNotAtAll() {
        long now = Instant.parse("2026-02-18T11:30:00Z").getEpochSecond();
        SummaryPlan.Summary expiring = new SummaryPlan.Summary(INSTANCE, "s", "2025-11-20T11:10:00.000Z", "1",
                "2025-11-20T11:50:00.000Z", "5", 5, Instant.parse("2025-11-20T11:50:00Z").getEpochSecond() + TTL,
                new byte[0], "2025-11-20T11:10:00.000Z");
        SummaryPlan.Summary gone = new SummaryPlan.Summary(INSTANCE, "s", "2025-11-20T11:00:00.000Z", "0",
                "2025-11-20T11:05:00.000Z", "0", 1, Instant.parse("2025-11-20T11:05:00Z").getEpochSecond() + TTL,
                new byte[0]);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(gone, expiring), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", now);
        assertEquals(List.of(), plan.used());
        assertEquals(List.of(new SummaryPlan.Range(INSTANCE, "2025-11-20T11:10:00.000Z", "2025-11-20T11:50:00.000Z",
                Sources.EXPIRING, List.of(), "2025-11-20T11:10:00.000Z")), plan.ranges());
    }

    @Test
    void aSummaryThisPglogsCannotReadIsReadFromEntriesAndTheOthersStillServe() {
        SummaryPlan.Summary before = summary("s", "2025-11-20T11:10:00.000Z", "1", "2025-11-20T11:20:00.000Z", "5", 5);
        SummaryPlan.Summary newer = summary("s", "2025-11-20T11:20:01.000Z", "6", "2025-11-20T11:30:00.000Z", "9", 4);
        SummaryPlan.Summary after = summary("s", "2025-11-20T11:30:01.000Z", "10", "2025-11-20T11:40:00.000Z", "12",
                3);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(before, newer, after), "2025-11-20T11:00:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW, java.util.Set.of(newer));
        assertEquals(List.of(before, after), plan.used());
        assertEquals(List.of(new SummaryPlan.Range(INSTANCE, "2025-11-20T11:20:01.000Z", "2025-11-20T11:30:00.000Z",
                Sources.UNREADABLE, List.of(), "2025-11-20T11:20:01.000Z")), plan.ranges());
        assertEquals("unreadable summary", Sources.UNREADABLE);
    }

    @Test
    void aRangesFloorIsTheEarliestFirstEntryOfTheSummariesItReadsNotOfThoseItSkips() {
        SummaryPlan.Summary early = summary("t", "2025-11-20T11:01:00.000Z", "1", "2025-11-20T11:05:20.000Z", "5", 5);
        SummaryPlan.Summary late = summary("s", "2025-11-20T11:04:50.000Z", "1", "2025-11-20T11:06:00.000Z", "5", 5);
        SummaryPlan.Summary before = summary("v", "2025-11-20T11:00:10.000Z", "1", "2025-11-20T11:04:00.000Z", "5", 5);
        SummaryPlan.Summary inside = summary("v", "2025-11-20T11:05:10.000Z", "6", "2025-11-20T11:08:00.000Z", "9", 4);
        SummaryPlan.Plan plan = SummaryPlan.plan(INSTANCE, List.of(before, early, late, inside),
                "2025-11-20T11:05:00.000Z", "2025-11-20T12:00:00.000Z", NOW);
        assertEquals(List.of(inside), plan.used());
        assertEquals(List.of(new SummaryPlan.Range(INSTANCE, "2025-11-20T11:05:00.000Z", "2025-11-20T11:06:00.000Z",
                Sources.WINDOW_EDGE, List.of(inside), "2025-11-20T11:01:00.000Z")), plan.ranges(),
                "one range from both edge summaries, its items from the earlier one's first entry; the summary ending"
                        + " before the window holds none of it");
        SummaryPlan.Plan lateOnly = SummaryPlan.plan(INSTANCE, List.of(before, late, inside),
                "2025-11-20T11:05:00.000Z", "2025-11-20T12:00:00.000Z", NOW);
        assertEquals("2025-11-20T11:04:50.000Z", lateOnly.ranges().get(0).floor());

        // The second part of a summary split for size: its payload's items start with the first part.
        SummaryPlan.Summary secondPart = new SummaryPlan.Summary(INSTANCE, late.stream(), late.ts(), late.eventId(),
                late.lastTs(), late.lastEventId(), late.entries(), late.expiresAt(), late.data(),
                "2025-11-20T11:02:30.000Z");
        assertEquals("2025-11-20T11:02:30.000Z", SummaryPlan.plan(INSTANCE, List.of(before, secondPart, inside),
                "2025-11-20T11:05:00.000Z", "2025-11-20T12:00:00.000Z", NOW).ranges().get(0).floor());
        // An older writer's summary does not say: the range's items may start anywhere in the span.
        SummaryPlan.Summary older = new SummaryPlan.Summary(INSTANCE, late.stream(), late.ts(), late.eventId(),
                late.lastTs(), late.lastEventId(), late.entries(), late.expiresAt(), late.data());
        assertNull(SummaryPlan.plan(INSTANCE, List.of(before, early, older, inside), "2025-11-20T11:05:00.000Z",
                "2025-11-20T12:00:00.000Z", NOW).ranges().get(0).floor(), "joined with one that does not say");
    }

    @Test
    void anInstanceDayWithoutSummariesIsReadWhole() {
        SummaryPlan.Plan plan = SummaryPlan.unsummarised(INSTANCE, "2025-11-20T11:00:00.000Z",
                "2025-11-20T23:59:59.999Z");
        assertEquals(List.of(), plan.used());
        assertEquals(List.of(new SummaryPlan.Range(INSTANCE, "2025-11-20T11:00:00.000Z", "2025-11-20T23:59:59.999Z",
                Sources.NOT_SUMMARISED, List.of(), null)), plan.ranges(), "entries without a summary may lie anywhere");
    }
}
