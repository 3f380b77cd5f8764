package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One partition holding the same dense entries in overlapping items of several packings (delivered in payloads of
 * 40, redelivered in 7s, a backfill of every third and one of all), read through windows that start and end inside
 * spans and items: each way, the entries come out in key order, each copy of an entry next to the others.
 */
class CompactCursorTest {
    private static final Instant START = Instant.parse("2024-05-01T09:03:17.450Z");
    private static final int COUNT = 1_200;
    private static final long STEP_MILLIS = 2_300;

    private static List<Map<String, AttributeValue>> entries() {
        ItemFactory.ForSource factory = new ItemFactory(1, 90, new Redactor())
                .forSource(LogSource.of("/aws/rds/instance/cc-db/postgresql", "cc-db.0"));
        PostgresLogParser parser = new PostgresLogParser();
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            Instant at = START.plusMillis(STEP_MILLIS * i);
            String stamp = at.toString().replace("T", " ").substring(0, 19);
            String message = stamp + " UTC:10.0.0.7(5432):app@appdb:[" + (4000 + i % 17) + "]:LOG:  statement " + i;
            out.add(factory.build(String.format("%056d", i), at.toEpochMilli(), parser.parse(message)).item());
        }
        return out;
    }

    /** The table's items by key: a packing that makes an item again overwrites it. */
    private static List<Map<String, AttributeValue>> table(List<Map<String, AttributeValue>> entries) {
        TreeMap<String, Map<String, AttributeValue>> bySortKey = new TreeMap<>();
        CompactItems packer = new CompactItems(1);
        for (int size : new int[] {40, 7}) {
            for (int i = size == 7 ? 3 : 0; i < entries.size(); i += size) {
                packer.pack(entries.subList(i, Math.min(entries.size(), i + size))).items()
                        .forEach(item -> bySortKey.put(item.get(ItemContract.SK).s(), item));
            }
        }
        List<Map<String, AttributeValue>> everyThird = new ArrayList<>();
        for (int i = 1; i < entries.size(); i += 3) {
            everyThird.add(entries.get(i));
        }
        for (List<Map<String, AttributeValue>> payload : List.of(everyThird, entries)) {
            packer.pack(payload).items().forEach(item -> bySortKey.put(item.get(ItemContract.SK).s(), item));
        }
        return new ArrayList<>(bySortKey.values());
    }

    /** The items a Query of LogReader's compact template returns, in its order. */
    private static final class QueriedItems implements EntryCursor {
        private final ArrayDeque<Map<String, AttributeValue>> items = new ArrayDeque<>();

        QueriedItems(List<Map<String, AttributeValue>> table, Instant from, Instant until, boolean reverse) {
            String floor = ItemContract.compactSortKeyFloor(from);
            String ceiling = ItemContract.sortKeyFloor(until) + "~";
            String first = ItemContract.sortKeyFloor(from);
            for (Map<String, AttributeValue> item : table) {
                String sk = item.get(ItemContract.SK).s();
                if (sk.compareTo(floor) >= 0 && sk.compareTo(ceiling) <= 0
                        && item.get(ItemContract.LAST_TS).s().compareTo(first) >= 0) {
                    items.add(item);
                }
            }
            if (reverse) {
                List<Map<String, AttributeValue>> reversed = new ArrayList<>(items);
                Collections.reverse(reversed);
                items.clear();
                items.addAll(reversed);
            }
        }

        @Override
        public void start() {
        }

        @Override
        public Map<String, AttributeValue> peek() {
            return items.peek();
        }

        @Override
        public Map<String, AttributeValue> next() {
            return items.poll();
        }
    }

    @Test
    void overlappingPackingsComeOutInKeyOrderEachWayWhereverTheWindowStarts() {
        List<Map<String, AttributeValue>> entries = entries();
        List<Map<String, AttributeValue>> table = table(entries);
        long[][] windows = {{-60_000, STEP_MILLIS * COUNT + 60_000}, {617_777, 2_104_001}, {61_000, 200_000},
                {596_550, 1_198_550}, {STEP_MILLIS * 300, STEP_MILLIS * 300}};
        Instant now = Instant.parse("2024-05-02T00:00:00Z");
        for (long[] w : windows) {
            Instant from = START.plusMillis(w[0]);
            Instant until = START.plusMillis(w[1]);
            String fromTs = ItemContract.isoMillis(from);
            String untilTs = ItemContract.isoMillis(until);
            List<String> expected = new ArrayList<>();
            for (Map<String, AttributeValue> e : entries) {
                String ts = e.get(ItemContract.TS).s();
                if (ts.compareTo(fromTs) >= 0 && ts.compareTo(untilTs) <= 0) {
                    expected.add(e.get(ItemContract.SK).s());
                }
            }
            assertFalse(expected.isEmpty(), from + " " + until);
            for (boolean reverse : new boolean[] {false, true}) {
                CompactCursor cursor = new CompactCursor(new QueriedItems(table, from, until, reverse), reverse,
                        fromTs, untilTs, Filters.NONE, now);
                cursor.start();
                List<String> distinct = new ArrayList<>();
                String last = null;
                for (Map<String, AttributeValue> e = cursor.next(); e != null; e = cursor.next()) {
                    String sk = e.get(ItemContract.SK).s();
                    if (last != null) {
                        int order = reverse ? last.compareTo(sk) : sk.compareTo(last);
                        assertTrue(order >= 0, (reverse ? "newest" : "oldest") + " first from " + from + ": " + sk
                                + " after " + last);
                    }
                    if (!sk.equals(last)) {
                        distinct.add(sk);
                    }
                    last = sk;
                }
                List<String> want = new ArrayList<>(expected);
                if (reverse) {
                    Collections.reverse(want);
                }
                assertEquals(want, distinct, from + " to " + until + (reverse ? " reversed" : ""));
            }
        }
    }
}
