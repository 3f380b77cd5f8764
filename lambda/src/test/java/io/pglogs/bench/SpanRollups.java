package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.StorageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One instance's whole ten-minute span of the {@link SyntheticFleet}, forwarded in payloads of P lines in one storage
 * format through the real Forwarder (summaries on, every item kept), and rolled up both ways the roller can
 * (docs/schema.md "Rollup items"): from the span's summaries ({@link Roller#rollup}, part 2) and from its stored
 * entries (part 3: the summaries-off configuration). For each: the rollup's bytes and write units, and what the roller
 * reads to make it, as DynamoDB bills a consistent read: its GetItem of the rollup (1 unit: the item is absent or a
 * stub), then one Query per shard over the span's summary (or log) partition, each 1 MB page's item bytes rounded up to
 * 4 KB, at least one unit per Query.
 */
final class SpanRollups {
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final long DAY = 86_400_000L;
    /** A Query returns at most 1 MB of items a page; each page is billed on its own. */
    private static final long PAGE_BYTES = 1 << 20;
    private static final int READ_UNIT_BYTES = 4096;

    /** What one way of rolling the span up writes and reads. */
    record Source(int bytes, int writeUnits, long itemsRead, long bytesRead, long readUnits,
                  Map<String, AttributeValue> rollup) {
    }

    final long entries;
    final int summaries;
    final Source fromSummaries;
    final Source fromEntries;
    /** The span's start (epoch ms) and its stored log items in sort key order (slices are measured on them). */
    final long spanStart;
    final List<Map<String, AttributeValue>> logItems;

    private SpanRollups(long entries, int summaries, Source fromSummaries, Source fromEntries, long spanStart,
                        List<Map<String, AttributeValue>> logItems) {
        this.entries = entries;
        this.summaries = summaries;
        this.fromSummaries = fromSummaries;
        this.fromEntries = fromEntries;
        this.spanStart = spanStart;
        this.logItems = logItems;
    }

    /** The span one day into the fleet, instance 0, payloads of {@code p} lines in {@code format}. */
    static SpanRollups measure(SyntheticFleet fleet, int p, StorageFormat format) throws InterruptedException {
        long spanStart = Math.floorDiv(fleet.startMillis() + DAY, SPAN) * SPAN;
        long first = fleet.lineAt(0, spanStart);
        long end = fleet.lineAt(0, spanStart + SPAN);
        List<SubscriptionPayload> payloads = new ArrayList<>();
        for (long line = fleet.payloadStart(0, first, p); line < end; line += p) {
            payloads.add(fleet.payload(0, line, p));
        }
        CountingDynamoDb ddb = FleetCostBenchmark.forwardInto(new CountingDynamoDb(true, true), format, true,
                payloads);
        String from = ItemContract.isoMillis(Instant.ofEpochMilli(spanStart));
        String until = ItemContract.isoMillis(Instant.ofEpochMilli(spanStart + SPAN));
        // As the roller's Queries: sort keys between the span's two bare times, i.e. what lies in [start, end).
        List<Map<String, AttributeValue>> summaries = inSpan(ddb.summaries(), from, until);
        List<Map<String, AttributeValue>> logItems = inSpan(ddb.logItems(), from, until);
        String instance = SyntheticFleet.instanceName(0);
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, Instant.ofEpochMilli(spanStart));

        Map<String, AttributeValue> bySummaries = Roller.rollup(instance, key, summaries, null);
        long summarised = summaries.stream().mapToLong(s -> SummaryItem.of(s).entries()).sum();
        Map<String, AttributeValue> byEntries = fromEntries(instance, key, logItems, Instant.now().getEpochSecond());
        long counted = Long.parseLong(byEntries.get(ItemContract.ENTRIES).n());
        if (bySummaries == null || summarised != end - first || counted != end - first) {
            throw new IllegalStateException("the span's " + (end - first) + " lines gave " + summarised
                    + " summarised entries, " + counted + " entries rolled from the log items, and "
                    + (bySummaries == null ? "no rollup from summaries" : "a rollup from summaries"));
        }
        return new SpanRollups(end - first, summaries.size(), source(bySummaries, summaries),
                source(byEntries, logItems), spanStart, List.copyOf(logItems));
    }

    private static List<Map<String, AttributeValue>> inSpan(List<Map<String, AttributeValue>> items, String from,
                                                            String until) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = item.get(ItemContract.SK).s();
            if (sk.compareTo(from) >= 0 && sk.compareTo(until) <= 0) {
                out.add(item);
            }
        }
        out.sort(Comparator.comparing((Map<String, AttributeValue> s) -> s.get(ItemContract.SK).s()));
        return out;
    }

    static Source source(Map<String, AttributeValue> rollup, List<Map<String, AttributeValue>> read) {
        long bytes = 0;
        long units = 1; // the consistent GetItem of the rollup (absent, or a stub: under 4 KB)
        Map<String, List<Map<String, AttributeValue>>> byPartition = new TreeMap<>();
        for (Map<String, AttributeValue> item : read) {
            byPartition.computeIfAbsent(item.get(ItemContract.PK).s(), k -> new ArrayList<>()).add(item);
        }
        // Every shard's partition is queried, even an empty one: at least one unit each.
        units += Math.max(0, ItemContract.DEFAULT_SHARDS - byPartition.size());
        for (List<Map<String, AttributeValue>> partition : byPartition.values()) {
            long page = 0;
            for (Map<String, AttributeValue> item : partition) {
                int size = ItemSize.bytes(item);
                bytes += size;
                if (page > 0 && page + size > PAGE_BYTES) {
                    units += (page + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES;
                    page = 0;
                }
                page += size;
            }
            units += Math.max(1, (page + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
        }
        return new Source(ItemSize.bytes(rollup), ItemSize.writeUnits(rollup), read.size(), bytes, units, rollup);
    }

    /**
     * The rollup the roller makes from a span's stored log items: read as its SpanEntries reads them (each compact
     * item unpacked, entries deduplicated by sort key, those expired at {@code nowSeconds} left out), made by the
     * roller's own {@link Roller#rollupOfEntries}.
     */
    static Map<String, AttributeValue> fromEntries(String instance, Map<String, AttributeValue> key,
                                                   List<Map<String, AttributeValue>> logItems, long nowSeconds) {
        TreeMap<String, LogRow> rows = new TreeMap<>();
        for (Map<String, AttributeValue> item : logItems) {
            for (Map<String, AttributeValue> entry : CompactItems.entries(item)) {
                if (Long.parseLong(entry.get(ItemContract.EXPIRES_AT).n()) > nowSeconds) {
                    rows.putIfAbsent(entry.get(ItemContract.SK).s(), LogRow.of(entry));
                }
            }
        }
        Map<String, AttributeValue> rollup = Roller.rollupOfEntries(instance, key, rows.values(), null);
        if (rollup == null) {
            throw new IllegalStateException("a rollup of " + rows.size() + " entries over the size limit");
        }
        return rollup;
    }
}
