package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.report.Sources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 26 part 4, D: which slices a stretch not covered by complete rollups counts, which times it reads from
 * entries, and from which floors. Span 00:10-00:20 of one day, units of two minutes; its chain at gen 1: A 00:10-00:14,
 * B 00:14-00:18, C 00:18-00:20, whose floors name compact items that start before the slice boundaries.
 */
class SlicePlanTest {
    private static final String DAY = "2026-05-01T";
    private static final long NOW = 1_800_000_000L;
    private static final long AHEAD = NOW + 86_400;
    private static final String SPAN = t("00:10:00");
    private static final Map<String, Long> GEN_1 = Map.of(SPAN, 1L);

    private static String t(String hms) {
        return DAY + hms + (hms.length() == 8 ? ".000Z" : "Z");
    }

    private static SlicePlan.Slice slice(String from, String until, long gen, String floor, String nextFloor) {
        return slice(from, until, gen, floor, nextFloor, AHEAD);
    }

    private static SlicePlan.Slice slice(String from, String until, long gen, String floor, String nextFloor,
                                         long minExpiresAt) {
        return new SlicePlan.Slice(t(from), t(until), gen, minExpiresAt, floor, nextFloor, 500, new byte[] {1});
    }

    private static final String A_NEXT = t("00:13:40.000") + "#item-a";
    private static final String B_NEXT = t("00:17:55.123") + "#item-b";
    private static final SlicePlan.Slice A = slice("00:10:00", "00:14:00", 1, t("00:10:00"), A_NEXT);
    private static final SlicePlan.Slice B = slice("00:14:00", "00:18:00", 1, A_NEXT, B_NEXT);
    private static final SlicePlan.Slice C = slice("00:18:00", "00:20:00", 1, B_NEXT, t("00:20:00"));
    private static final List<SlicePlan.Slice> CHAIN = List.of(C, A, B);

    private static SlicePlan.Plan plan(String from, String until, List<SlicePlan.Slice> slices,
                                       Map<String, Long> gens) {
        return SlicePlan.plan("db", List.of(new RollupPlan.Times(t(from), t(until))), slices, gens, NOW, Set.of());
    }

    private static SummaryPlan.Range range(String from, String until, String floor) {
        return new SummaryPlan.Range("db", t(from), t(until), Sources.NOT_SUMMARISED, List.of(), floor);
    }

    @Test
    void aWindowStartingInsideASliceReadsItsPartFromTheSlicesFloorAndCountsTheSlicesWhollyInside() {
        SlicePlan.Plan p = plan("00:11:30", "00:19:59.999", CHAIN, GEN_1);
        assertEquals(List.of(B, C), p.used());
        assertEquals(List.of(range("00:11:30", "00:13:59.999", t("00:10:00"))), p.ranges());
    }

    @Test
    void edgesOnSliceBoundariesReadNoEntries() {
        assertEquals(new SlicePlan.Plan(List.of(B, C), List.of()), plan("00:14:00", "00:19:59.999", CHAIN, GEN_1));
        assertEquals(new SlicePlan.Plan(List.of(A, B), List.of()), plan("00:10:00", "00:17:59.999", CHAIN, GEN_1));
        // A millisecond more takes in the next slice's first millisecond: read from its floor (an item starting
        // before it, holding entries after it).
        SlicePlan.Plan more = plan("00:10:00", "00:18:00", CHAIN, GEN_1);
        assertEquals(List.of(A, B), more.used());
        assertEquals(List.of(range("00:18:00", "00:18:00", B_NEXT)), more.ranges());
    }

    @Test
    void aWindowEndingInsideAnOpenSpanReadsPastItsChainFromTheChainsNextFloor() {
        // The open span's units rolled so far: A only. The rest of the window from A's next floor.
        SlicePlan.Plan p = plan("00:10:00", "00:16:30", List.of(A), GEN_1);
        assertEquals(List.of(A), p.used());
        assertEquals(List.of(range("00:14:00", "00:16:30", A_NEXT)), p.ranges());
        // The window ending inside A: nothing counted from slices, all read from A's floor (the span's start).
        SlicePlan.Plan inside = plan("00:10:00", "00:12:00", List.of(A), GEN_1);
        assertEquals(List.of(), inside.used());
        assertEquals(List.of(range("00:10:00", "00:12:00", t("00:10:00"))), inside.ranges());
    }

    @Test
    void slicesOfAnotherGenAreIgnoredAndGiveNoFloor() {
        // The span's rollup item was bumped after the chain was rolled: its slices may lack the late entries.
        SlicePlan.Plan stale = plan("00:11:30", "00:19:59.999", CHAIN, Map.of(SPAN, 2L));
        assertEquals(List.of(), stale.used());
        assertEquals(List.of(range("00:11:30", "00:19:59.999", null)), stale.ranges());
    }

    @Test
    void overlappingSlicesOfAnOlderGenAreIgnoredBesideTheCurrentChain() {
        List<SlicePlan.Slice> slices = new ArrayList<>(CHAIN);
        slices.add(slice("00:10:00", "00:12:00", 0, t("00:10:00"), t("00:11:00") + "#old"));
        slices.add(slice("00:12:00", "00:16:00", 0, t("00:11:00") + "#old", t("00:15:00") + "#old"));
        SlicePlan.Plan p = plan("00:10:00", "00:19:59.999", slices, GEN_1);
        assertEquals(List.of(A, B, C), p.used());
        assertEquals(List.of(), p.ranges());
    }

    @Test
    void noRollupItemMeansGenZero() {
        SlicePlan.Slice a0 = slice("00:10:00", "00:14:00", 0, t("00:10:00"), A_NEXT);
        SlicePlan.Plan p = plan("00:10:00", "00:16:00", List.of(a0, B), Map.of());
        assertEquals(List.of(a0), p.used(), "gen 0 without an item; B's gen 1 is of no item");
        assertEquals(List.of(range("00:14:00", "00:16:00", A_NEXT)), p.ranges());
    }

    @Test
    void anExpiringSliceIsReadFromEntriesFromTheFloorOfTheValidSliceBeforeIt() {
        SlicePlan.Slice expiring = slice("00:14:00", "00:18:00", 1, A_NEXT, B_NEXT, NOW);
        SlicePlan.Plan p = plan("00:10:00", "00:19:59.999", List.of(A, expiring, C), GEN_1);
        assertEquals(List.of(A, C), p.used());
        assertEquals(List.of(range("00:14:00", "00:17:59.999", A_NEXT)), p.ranges());
        SlicePlan.Slice noExpiry = slice("00:14:00", "00:18:00", 1, A_NEXT, B_NEXT, 0);
        assertEquals(List.of(A, C), plan("00:10:00", "00:19:59.999", List.of(A, noExpiry, C), GEN_1).used());
    }

    @Test
    void anUnreadableSliceIsReadFromEntriesItsFloorsStillServe() {
        SlicePlan.Slice newer = new SlicePlan.Slice(B.start(), B.until(), 1, AHEAD, B.floor(), B.nextFloor(), 500,
                null);
        SlicePlan.Plan p = plan("00:14:00", "00:19:59.999", List.of(A, newer, C), GEN_1);
        assertEquals(List.of(C), p.used());
        assertEquals(List.of(range("00:14:00", "00:17:59.999", A_NEXT)), p.ranges());

        Set<SlicePlan.Slice> undecodable = Collections.newSetFromMap(new IdentityHashMap<>());
        undecodable.add(B);
        SlicePlan.Plan q = SlicePlan.plan("db", List.of(new RollupPlan.Times(t("00:14:00"), t("00:19:59.999"))),
                CHAIN, GEN_1, NOW, undecodable);
        assertEquals(List.of(C), q.used());
        assertEquals(List.of(range("00:14:00", "00:17:59.999", A_NEXT)), q.ranges());
    }

    @Test
    void aFloorAboveItsBoundaryIsCappedThere() {
        // A roller may name the first item holding entries after the boundary even when it starts after it; an item
        // written since into a unit not rolled starts at the boundary or later and bumps nothing: read from there.
        SlicePlan.Slice high = slice("00:10:00", "00:14:00", 1, t("00:10:02") + "#first", t("00:14:30") + "#later");
        assertEquals(List.of(range("00:14:00", "00:16:00", t("00:14:00"))),
                plan("00:10:00", "00:16:00", List.of(high), GEN_1).ranges());
        assertEquals(List.of(range("00:11:00", "00:13:59.999", t("00:10:00"))),
                plan("00:11:00", "00:13:59.999", List.of(high), GEN_1).ranges());
        assertNull(SlicePlan.floor(java.time.Instant.parse(t("00:15:00")),
                List.of(slice("00:10:00", "00:14:00", 1, null, null))), "no floor said: the span's start");
    }

    @Test
    void floorsComeFromTheRangesOwnSpan() {
        // A stretch from inside span 00:10 into span 00:20, whose slices start at 00:22: the part in 00:20..00:22
        // is read on from the first span's Query; a stretch starting in 00:20 takes no floor from span 00:10.
        String next = t("00:20:00");
        SlicePlan.Slice d = slice("00:22:00", "00:26:00", 3, t("00:21:59.500") + "#d", t("00:26:00"));
        Map<String, Long> gens = Map.of(SPAN, 1L, next, 3L);
        SlicePlan.Plan p = plan("00:15:00", "00:27:00", List.of(A, B, C, d), gens);
        assertEquals(List.of(C, d), p.used());
        assertEquals(List.of(range("00:15:00", "00:17:59.999", A_NEXT), range("00:20:00", "00:21:59.999", null),
                range("00:26:00", "00:27:00", t("00:26:00"))), p.ranges());
    }

    @Test
    void slicesOutsideTheirSpanOrEmptyAreNotValid() {
        SlicePlan.Slice crossing = slice("00:18:00", "00:22:00", 1, B_NEXT, t("00:22:00"));
        SlicePlan.Slice empty = slice("00:18:00", "00:18:00", 1, B_NEXT, B_NEXT);
        assertEquals(List.of(A, B), SlicePlan.valid(List.of(A, B, crossing, empty), GEN_1, NOW));
    }

    @Test
    void severalStretchesEachTakeTheirOwnSlices() {
        // Two stretches of the day: the span's first part and its last (a rollup counting none between: made up).
        List<RollupPlan.Times> stretches = List.of(new RollupPlan.Times(t("00:10:00"), t("00:13:59.999")),
                new RollupPlan.Times(t("00:17:00"), t("00:19:59.999")));
        SlicePlan.Plan p = SlicePlan.plan("db", stretches, CHAIN, GEN_1, NOW, Set.of());
        assertEquals(List.of(A, C), p.used());
        assertEquals(List.of(range("00:17:00", "00:17:59.999", A_NEXT)), p.ranges());
    }

    @Test
    void theSliceQueryRunsFromTheFirstStretchsSpanStartToTheLastStretchsEnd() {
        assertNull(SlicePlan.keys(List.of()), "nothing unrolled: no Query");
        assertEquals(new RollupPlan.KeyRange(SPAN, t("00:45:10")), SlicePlan.keys(List.of(
                new RollupPlan.Times(t("00:12:34.567"), t("00:19:59.999")),
                new RollupPlan.Times(t("00:40:00"), t("00:45:10")))));
    }

    @Test
    void itemsAreReadAsThePlanSeesThem() {
        Map<String, AttributeValue> item = Map.of(ItemContract.PK, AttributeValue.fromS("_slice#db#2026-05-01"),
                ItemContract.SK, AttributeValue.fromS(t("00:14:00")), ItemContract.UNTIL,
                AttributeValue.fromS(t("00:18:00")), ItemContract.GEN, AttributeValue.fromN("4"),
                ItemContract.MIN_EXPIRES_AT, AttributeValue.fromN(Long.toString(AHEAD)), ItemContract.FLOOR,
                AttributeValue.fromS(A_NEXT), ItemContract.NEXT_FLOOR, AttributeValue.fromS(B_NEXT),
                ItemContract.ENTRIES, AttributeValue.fromN("812"), ItemContract.SUMMARY,
                AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {7})), ItemContract.SUMMARY_VERSION,
                AttributeValue.fromN(Integer.toString(io.pglogs.report.SummaryCodec.VERSION)));
        SlicePlan.Slice s = SummaryItems.slice(item);
        assertEquals(List.of(t("00:14:00"), t("00:18:00"), A_NEXT, B_NEXT), List.of(s.start(), s.until(), s.floor(),
                s.nextFloor()));
        assertEquals(List.of(4L, AHEAD, 812L), List.of(s.gen(), s.minExpiresAt(), s.entries()));
        assertEquals(7, s.data()[0]);
        Map<String, AttributeValue> newer = new java.util.HashMap<>(item);
        newer.put(ItemContract.SUMMARY_VERSION, AttributeValue.fromN("999"));
        assertNull(SummaryItems.slice(newer).data(), "a version not read: its times from entries");

        Map<String, AttributeValue> stub = Map.of(ItemContract.PK, AttributeValue.fromS("_rollup#db#2026-05-01"),
                ItemContract.SK, AttributeValue.fromS(SPAN), ItemContract.GEN, AttributeValue.fromN("3"),
                ItemContract.STALE, AttributeValue.fromBool(true));
        assertEquals(3, SummaryItems.rollup(stub).gen(), "a stub's gen validates the span's slices");
        assertEquals(Map.of(SPAN, 3L), SlicePlan.gens(List.of(SummaryItems.rollup(stub))));
        assertSame(null, SummaryItems.rollup(stub).data());
        assertTrue(SummaryItems.rollup(stub).stale());
    }
}
