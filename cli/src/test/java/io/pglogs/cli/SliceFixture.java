package io.pglogs.cli;

import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.Roller;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Writes slice items (issue 26 part 4, docs/schema.md "Slice items") from a table's stored entries as the roller's
 * pass does (DESIGN26-part4 C, steps 2-6, one pass from the span's start): a consistent Query of every shard's entry
 * partition from the span's start to {@code readyEnd}, compact items unpacked, entries deduplicated by sort key and
 * expired ones left out; units grouped greedily into slices of at least {@code minEntries} entries (a trailing group
 * short of it dropped in a partial pass, joined to the one before in a close pass); each slice's entries counted in
 * time order by the roller's own encoding ({@link Roller#rollupOfEntries}: a {@code ReportBuilder} of
 * {@code Options.SUMMARY}, {@code SummaryCodec.encode}), with its floors: at each boundary the lowest sort key of an
 * item holding an entry at or after it, or the boundary when that is lower. A test fixture until the roller writes
 * them (L1); {@code minEntries} is a parameter so a small corpus gets several slices a span.
 */
final class SliceFixture {
    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final String instance;

    SliceFixture(DynamoDbClient ddb, String table, int shards, String instance) {
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.instance = instance;
    }

    /** One stored item as the pass sees it: its key and the times of its live entries. */
    private record Item(String sk, List<String> times) {
    }

    /**
     * Writes the slices of the span starting at {@code span} over {@code [span, readyEnd)} at {@code gen}: a close
     * pass when {@code readyEnd} is the span's end, else a partial one. Returns the slice items written, in order
     * (one whose start holds a slice of a newer gen is not).
     */
    List<Map<String, AttributeValue>> write(Instant span, Instant readyEnd, long gen, int minEntries, Instant now) {
        String from = ItemContract.isoMillis(span);
        String until = ItemContract.isoMillis(readyEnd);
        LocalDate day = LocalDate.ofInstant(span, ZoneOffset.UTC);
        long nowSeconds = now.getEpochSecond();
        TreeMap<String, LogRow> rows = new TreeMap<>();
        List<Item> items = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            String pk = ItemContract.partitionKey(instance, day, shard);
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> startKey = start;
                // sk < readyEnd: an item's key is "<isoMillis>#..." so the bare time bounds it.
                QueryResponse r = ddb.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :until")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from",
                                AttributeValue.fromS(from), ":until", AttributeValue.fromS(until)))
                        .exclusiveStartKey(startKey));
                for (Map<String, AttributeValue> item : r.items()) {
                    List<String> times = new ArrayList<>();
                    for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                        AttributeValue expires = e.get(ItemContract.EXPIRES_AT);
                        if (expires != null && Long.parseLong(expires.n()) <= nowSeconds) {
                            continue;
                        }
                        times.add(e.get(ItemContract.TS).s());
                        rows.putIfAbsent(e.get(ItemContract.SK).s(), LogRow.of(e));
                    }
                    items.add(new Item(item.get(ItemContract.SK).s(), times));
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        }
        boolean close = readyEnd.equals(span.plusMillis(ItemContract.COMPACT_SPAN_MILLIS));
        List<Instant[]> groups = groups(span, readyEnd, rows, minEntries, close);
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        for (Instant[] g : groups) {
            String a = ItemContract.isoMillis(g[0]);
            String b = ItemContract.isoMillis(g[1]);
            List<LogRow> in = rows.values().stream().filter(r -> r.ts().compareTo(a) >= 0 && r.ts().compareTo(b) < 0)
                    .toList();
            Map<String, AttributeValue> key = Map.of(ItemContract.PK, AttributeValue.fromS(
                    ItemContract.slicePartitionKey(instance, day)), ItemContract.SK, AttributeValue.fromS(a));
            Map<String, AttributeValue> item = new LinkedHashMap<>(Roller.rollupOfEntries(instance, key, in,
                    AttributeValue.fromN(Long.toString(gen))));
            item.remove(ItemContract.SUMMARIES);
            item.remove(ItemContract.STALE);
            item.put(ItemContract.UNTIL, AttributeValue.fromS(b));
            item.put(ItemContract.FLOOR, AttributeValue.fromS(floor(items, a)));
            item.put(ItemContract.NEXT_FLOOR, AttributeValue.fromS(floor(items, b)));
            try {
                ddb.putItem(p -> p.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk) OR #g < :g")
                        .expressionAttributeNames(Map.of("#g", ItemContract.GEN))
                        .expressionAttributeValues(Map.of(":g", AttributeValue.fromN(Long.toString(gen)))));
                written.add(item);
            } catch (ConditionalCheckFailedException e) {
                // A slice of a newer gen starts there (the roller would retry its pass; tests writing an older
                // chain after a newer one keep the rest of it, which overlaps the newer).
            }
        }
        return written;
    }

    /** Units of {@code [span, readyEnd)} grouped greedily into slices of at least {@code minEntries}. */
    private static List<Instant[]> groups(Instant span, Instant readyEnd, TreeMap<String, LogRow> rows,
                                          int minEntries, boolean close) {
        List<Instant[]> out = new ArrayList<>();
        Instant start = span;
        int count = 0;
        for (Instant unit = span; unit.isBefore(readyEnd); unit = unit.plusMillis(ItemContract.SLICE_UNIT_MILLIS)) {
            Instant end = unit.plusMillis(ItemContract.SLICE_UNIT_MILLIS);
            String a = ItemContract.isoMillis(unit);
            String b = ItemContract.isoMillis(end);
            count += (int) rows.values().stream().filter(r -> r.ts().compareTo(a) >= 0 && r.ts().compareTo(b) < 0)
                    .count();
            if (count >= minEntries) {
                out.add(new Instant[] {start, end});
                start = end;
                count = 0;
            }
        }
        if (close && start.isBefore(readyEnd)) {
            if (out.isEmpty()) {
                return out; // a quiet span: not sliced
            }
            out.get(out.size() - 1)[1] = readyEnd;
        }
        return out;
    }

    /** The lowest key of an item holding an entry at or after {@code boundary}, or the boundary when lower. */
    private static String floor(List<Item> items, String boundary) {
        String floor = boundary;
        for (Item i : items) {
            if (i.times().stream().anyMatch(t -> t.compareTo(boundary) >= 0) && i.sk().compareTo(floor) < 0) {
                floor = i.sk();
            }
        }
        return floor;
    }

    /** Makes a slice expiring (one of its entries' TTL passed), as time does. */
    void expire(Map<String, AttributeValue> slice) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(ItemContract.PK, slice.get(ItemContract.PK));
        key.put(ItemContract.SK, slice.get(ItemContract.SK));
        ddb.updateItem(b -> b.tableName(table).key(key).updateExpression("SET #m = :past")
                .expressionAttributeNames(Map.of("#m", ItemContract.MIN_EXPIRES_AT))
                .expressionAttributeValues(Map.of(":past", AttributeValue.fromN("1"))));
    }
}
