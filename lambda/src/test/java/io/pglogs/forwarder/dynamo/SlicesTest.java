package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The pure parts of slices (issue 26 part 4): grouping units, the chain of one gen, floors, the item's shape. */
class SlicesTest {
    private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

    private static Instant unit(int n) {
        return START.plusMillis(n * ItemContract.SLICE_UNIT_MILLIS);
    }

    /** {@code counts[u]} entries in unit u, evenly spread. */
    private static TreeMap<String, LogRow> rows(int... counts) {
        TreeMap<String, LogRow> rows = new TreeMap<>();
        for (int u = 0; u < counts.length; u++) {
            for (int i = 0; i < counts[u]; i++) {
                String ts = ItemContract.isoMillis(unit(u).plusMillis(i * ItemContract.SLICE_UNIT_MILLIS / counts[u]));
                String sk = ItemContract.sortKey(ts, u + "-" + i);
                rows.put(sk, new LogRow(sk, Map.of(ItemContract.TS, ts, ItemContract.SEVERITY, "LOG",
                        ItemContract.MESSAGE, "statement: SELECT 1", ItemContract.EXPIRES_AT, 2_000_000_000L + i)));
            }
        }
        return rows;
    }

    private static List<String> shown(List<Slices.Group> groups) {
        List<String> out = new ArrayList<>();
        for (Slices.Group g : groups) {
            out.add(ItemContract.isoMillis(g.start()).substring(11, 16) + "-"
                    + ItemContract.isoMillis(g.until()).substring(11, 16) + " " + g.entries());
        }
        return out;
    }

    @Test
    void unitsAreGroupedGreedilyIntoSlicesOfAtLeast500() {
        TreeMap<String, LogRow> rows = rows(700, 300, 300, 100, 50);
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"),
                shown(Slices.groups(rows, START, unit(5), false, false)), "partial: the trailing 150 wait");
        assertEquals(List.of("10:00-10:02 700", "10:02-10:10 750"),
                shown(Slices.groups(rows, START, unit(5), true, false)), "close: the trailing group joins the last");
        assertEquals(List.of("10:00-10:02 700"), shown(Slices.groups(rows, START, unit(2), false, false)));
        assertEquals(List.of("10:06-10:10 150"), shown(Slices.groups(rows, unit(3), unit(5), true, true)),
                "close after a chain: the trailing group alone");
        assertEquals(List.of(), shown(Slices.groups(rows, unit(3), unit(5), false, true)));
    }

    @Test
    void aQuietSpanAndAnEmptyTailGetNoSlice() {
        assertEquals(List.of(), Slices.groups(rows(100, 100, 100, 100, 99), START, unit(5), true, false),
                "499 entries in all");
        assertEquals(List.of("10:00-10:10 500"), shown(Slices.groups(rows(100, 100, 100, 100, 100), START, unit(5),
                true, false)));
        assertEquals(List.of(), Slices.groups(rows(600, 0, 0, 0, 0), unit(1), unit(5), true, true),
                "nothing after the chain: no empty slice");
    }

    private static Map<String, AttributeValue> slice(String start, String until, long gen) {
        return Map.of(ItemContract.PK, AttributeValue.fromS("_slice#db#2026-05-01"),
                ItemContract.SK, AttributeValue.fromS("2026-05-01T" + start + ":00.000Z"),
                ItemContract.UNTIL, AttributeValue.fromS("2026-05-01T" + until + ":00.000Z"),
                ItemContract.NEXT_FLOOR, AttributeValue.fromS("2026-05-01T" + until + ":00.000Z"),
                ItemContract.SUMMARY, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x")),
                ItemContract.GEN, AttributeValue.fromN(Long.toString(gen)));
    }

    private static List<String> chain(List<Map<String, AttributeValue>> slices, long gen) {
        return Slices.chain(slices, gen, "2026-05-01T10:00:00.000Z", "2026-05-01T10:10:00.000Z").stream()
                .map(s -> s.get(ItemContract.SK).s().substring(11, 16)).toList();
    }

    @Test
    void theChainOfAGenStartsAtTheSpanStartAndFollowsUntil() {
        List<Map<String, AttributeValue>> slices = List.of(slice("10:02", "10:06", 1), slice("10:00", "10:02", 1),
                slice("10:00", "10:04", 0), slice("10:06", "10:10", 0), slice("10:08", "10:10", 1),
                slice("10:10", "10:12", 1));
        assertEquals(List.of("10:00", "10:02"), chain(slices, 1), "10:08 does not follow 10:06; 10:10 is the next span's");
        assertEquals(List.of("10:00"), chain(slices, 0));
        assertEquals(List.of(), chain(slices, 2));
        assertEquals(List.of(), chain(List.of(slice("10:02", "10:06", 0)), 0), "none at the span's start");
    }

    @Test
    void aFloorIsTheLowestKeyOfTheItemsHoldingLaterEntriesOrTheTimeItself() {
        Instant b = unit(1);
        List<SpanEntries.Extent> items = List.of(
                new SpanEntries.Extent("2026-05-01T10:01:10.000Z#a", "2026-05-01T10:01:59.999Z"),
                new SpanEntries.Extent("2026-05-01T10:01:30.000Z#b", "2026-05-01T10:02:00.000Z"),
                new SpanEntries.Extent("2026-05-01T10:01:50.000Z#c", "2026-05-01T10:02:20.000Z"),
                new SpanEntries.Extent("2026-05-01T10:02:05.000Z#d", "2026-05-01T10:03:00.000Z"));
        assertEquals("2026-05-01T10:01:30.000Z#b", Slices.floorAt(items, b), "a ends before 10:02; b holds 10:02");
        assertEquals("2026-05-01T10:02:05.000Z#d", Slices.floorAt(items, unit(1).plusSeconds(21)));
        assertEquals("2026-05-01T10:04:00.000Z", Slices.floorAt(items, unit(2)), "no item reaches it");
        assertEquals("2026-05-01T10:02:00.000Z", Slices.floorAt(items.subList(3, 4), b), "the time is lower");
    }

    @Test
    void aSliceItemCarriesItsRangeFloorsGenAndCounts() {
        TreeMap<String, LogRow> rows = rows(700);
        Map<String, AttributeValue> s = Slices.sliceOf("db", START, unit(1), rows.values(),
                "2026-05-01T09:59:59.000Z#x", "2026-05-01T10:01:58.000Z#y", 3);
        assertEquals("_slice#db#2026-05-01", s.get(ItemContract.PK).s());
        assertEquals("2026-05-01T10:00:00.000Z", s.get(ItemContract.SK).s());
        assertEquals("2026-05-01T10:02:00.000Z", s.get(ItemContract.UNTIL).s());
        assertEquals("700", s.get(ItemContract.ENTRIES).n());
        assertEquals("3", s.get(ItemContract.GEN).n());
        assertEquals("2026-05-01T09:59:59.000Z#x", s.get(ItemContract.FLOOR).s());
        assertEquals("2026-05-01T10:01:58.000Z#y", s.get(ItemContract.NEXT_FLOOR).s());
        assertEquals(ItemContract.ROLLED_FROM_ENTRIES, s.get(ItemContract.ROLLED_FROM).s());
        assertEquals(rows.firstEntry().getValue().ts(), s.get(ItemContract.TS).s());
        assertEquals(rows.lastEntry().getValue().ts(), s.get(ItemContract.LAST_TS).s());
        assertEquals("2000000000", s.get(ItemContract.MIN_EXPIRES_AT).n());
        assertEquals("2000000699", s.get(ItemContract.EXPIRES_AT).n());
        assertTrue(ItemContract.isSlice(s));
        assertFalse(ItemContract.isRollup(s));
        // The span's rollup of its slices counts what the rollup of the entries does.
        Map<String, AttributeValue> key = ItemContract.rollupKey("db", START);
        TreeMap<String, LogRow> all = rows(700, 300, 300);
        Map<String, AttributeValue> a = Slices.sliceOf("db", START, unit(1), Slices.between(all, START, unit(1)),
                "f", "g", 0);
        Map<String, AttributeValue> b = Slices.sliceOf("db", unit(1), unit(3), Slices.between(all, unit(1), unit(3)),
                "g", "h", 0);
        Map<String, AttributeValue> merged = Slices.rollupOf("db", key, List.of(a, b), null);
        Map<String, AttributeValue> direct = Roller.rollupOfEntries("db", key, all.values(), null);
        assertEquals(direct.keySet(), merged.keySet());
        for (String name : direct.keySet()) {
            if (!name.equals(ItemContract.SUMMARY)) {
                assertEquals(direct.get(name), merged.get(name), name);
            }
        }
        assertEquals(io.pglogs.report.SummaryCodec.decode(direct.get(ItemContract.SUMMARY).b().asByteArray(),
                        io.pglogs.report.ReportBuilder.Options.SUMMARY).build(),
                io.pglogs.report.SummaryCodec.decode(merged.get(ItemContract.SUMMARY).b().asByteArray(),
                        io.pglogs.report.ReportBuilder.Options.SUMMARY).build());
    }
}
