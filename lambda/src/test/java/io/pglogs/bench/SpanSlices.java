package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.Roller;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The roller of issue 26 part 4 (DESIGN26-part4 C) over one instance's span as {@link SpanRollups} forwarded it (the
 * real Forwarder's log items, either format): a pass per newly due 2-minute unit (the partial passes, then the close
 * pass when the span is due), each reading what the design says it reads, and the slices it writes, made as the roller
 * makes a rollup from entries ({@link Roller#rollupOfEntries} over the slice's entries) with the slice's key and its
 * {@code until}, {@code floor} and {@code next_floor}. Reads billed as {@link SpanRollups} bills them: consistent, the
 * GetItem of the span's rollup 1 unit, every Query's 1 MB pages in 4 KB units, at least 1 per Query (per shard for
 * the entry partitions).
 */
final class SpanSlices {
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final long PAGE_BYTES = 1 << 20;
    private static final int READ_UNIT_BYTES = 4096;

    /** A slice written: its times (epoch ms), entries, size, and its floors (sort keys). */
    record Slice(long start, long end, long entries, int bytes, int writeUnits, String floor, String nextFloor) {
    }

    /** One pass: up to which unit end it rolled, what it read (log items, bytes, units), the slices it wrote. */
    record Pass(long readyEnd, boolean close, long logItems, long logBytes, long getUnits, long sliceUnits,
                long entryUnits, int written) {
        long readUnits() {
            return getUnits + sliceUnits + entryUnits;
        }
    }

    final List<Slice> slices;
    final List<Pass> passes;
    /** Per unit k: the log items a Query from the floor at the unit's start to its end returns (compact: exact). */
    final long[] itemsFromFloor;
    final long[] unitEntries;

    private SpanSlices(List<Slice> slices, List<Pass> passes, long[] itemsFromFloor, long[] unitEntries) {
        this.slices = slices;
        this.passes = passes;
        this.itemsFromFloor = itemsFromFloor;
        this.unitEntries = unitEntries;
    }

    long readUnits() {
        return passes.stream().mapToLong(Pass::readUnits).sum();
    }

    long writeUnits() {
        return slices.stream().mapToLong(Slice::writeUnits).sum();
    }

    static SpanSlices measure(SpanRollups span, String instance) {
        long start = span.spanStart;
        int units = (int) (SPAN / SliceContract.UNIT_MILLIS);
        long[] bound = new long[units + 1];
        for (int k = 0; k <= units; k++) {
            bound[k] = start + k * SliceContract.UNIT_MILLIS;
        }
        List<Map<String, AttributeValue>> items = span.logItems;
        // Each item's sort key and last entry time: an item holds entries from its sk's time to that.
        String[] sk = new String[items.size()];
        String[] last = new String[items.size()];
        TreeMap<String, LogRow> rows = new TreeMap<>();
        long now = Instant.now().getEpochSecond();
        for (int j = 0; j < items.size(); j++) {
            Map<String, AttributeValue> item = items.get(j);
            sk[j] = item.get(ItemContract.SK).s();
            last[j] = ItemContract.isCompact(item) ? item.get(ItemContract.LAST_TS).s()
                    : item.get(ItemContract.TS).s();
            for (Map<String, AttributeValue> entry : CompactItems.entries(item)) {
                if (Long.parseLong(entry.get(ItemContract.EXPIRES_AT).n()) > now) {
                    rows.putIfAbsent(entry.get(ItemContract.SK).s(), LogRow.of(entry));
                }
            }
        }
        String[] floor = new String[units + 1];
        long[] unitEntries = new long[units];
        for (int k = 0; k <= units; k++) {
            String b = iso(bound[k]);
            String f = b;
            for (int j = 0; j < items.size(); j++) {
                if (last[j].compareTo(b) >= 0 && sk[j].compareTo(f) < 0) {
                    f = sk[j];
                }
            }
            floor[k] = f;
            if (k < units) {
                unitEntries[k] = rows.subMap(iso(bound[k]), iso(bound[k + 1])).size();
            }
        }
        long[] fromFloor = new long[units];
        for (int k = 0; k < units; k++) {
            fromFloor[k] = between(sk, floor[k], iso(bound[k + 1]));
        }
        List<Slice> chain = new ArrayList<>();
        List<Pass> passes = new ArrayList<>();
        int chainEnd = 0; // the unit index the chain reaches
        for (int k = 1; k <= units; k++) {
            boolean close = k == units;
            String from = chain.isEmpty() ? iso(start) : chain.get(chain.size() - 1).nextFloor();
            // Consistent Query of the slice partition: the span's slices so far.
            long sliceBytes = chain.stream().mapToLong(Slice::bytes).sum();
            long sliceUnits = Math.max(1, (sliceBytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
            // Every shard's entry partition, sk from the floor to the ready end (exclusive).
            String readyEnd = iso(bound[k]);
            List<Map<String, AttributeValue>> read = new ArrayList<>();
            for (int j = 0; j < items.size(); j++) {
                if (sk[j].compareTo(from) >= 0 && sk[j].compareTo(readyEnd) < 0) {
                    read.add(items.get(j));
                }
            }
            long[] billed = queryUnits(read);
            // Greedy groups of >= MIN_ENTRIES from the chain's end, on unit boundaries.
            List<int[]> groups = new ArrayList<>();
            int groupStart = chainEnd;
            long count = 0;
            for (int u = chainEnd; u < k; u++) {
                count += unitEntries[u];
                if (count >= SliceContract.MIN_ENTRIES) {
                    groups.add(new int[] {groupStart, u + 1});
                    groupStart = u + 1;
                    count = 0;
                }
            }
            if (close && groupStart < k) {
                if (!groups.isEmpty()) {
                    groups.get(groups.size() - 1)[1] = k; // the trailing units join the pass's previous group
                } else if (!chain.isEmpty() && count > 0) {
                    groups.add(new int[] {groupStart, k}); // written alone after a chain
                } // else a quiet span: nothing sliced (or nothing left)
            }
            for (int[] g : groups) {
                long a = bound[g[0]];
                long b = bound[g[1]];
                List<LogRow> in = new ArrayList<>(rows.subMap(iso(a), iso(b)).values());
                Map<String, AttributeValue> slice = slice(instance, a, b, in, floor[g[0]], floor[g[1]]);
                chain.add(new Slice(a, b, in.size(), ItemSize.bytes(slice), ItemSize.writeUnits(slice),
                        floor[g[0]], floor[g[1]]));
                chainEnd = g[1];
            }
            passes.add(new Pass(bound[k], close, read.size(), billed[1], 1, sliceUnits, billed[0], groups.size()));
        }
        return new SpanSlices(List.copyOf(chain), List.copyOf(passes), fromFloor, unitEntries);
    }

    /** A slice item as the design's roller writes it: the rollup of its entries, its own key, until and floors. */
    static Map<String, AttributeValue> slice(String instance, long start, long end, List<LogRow> rows, String floor,
                                             String nextFloor) {
        String iso = iso(start);
        Map<String, AttributeValue> key = Map.of(ItemContract.PK,
                AttributeValue.fromS(SliceContract.PREFIX + instance + '#' + iso.substring(0, 10)),
                ItemContract.SK, AttributeValue.fromS(iso));
        Map<String, AttributeValue> rollup = Roller.rollupOfEntries(instance, key, rows, AttributeValue.fromN("0"));
        if (rollup == null) {
            throw new IllegalStateException("a slice of " + rows.size() + " entries over the size limit");
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(rollup);
        // A slice has no summaries count and no stale flag (design B); it has its end and its two floors.
        item.remove(ItemContract.SUMMARIES);
        item.remove(ItemContract.STALE);
        item.put(SliceContract.UNTIL, AttributeValue.fromS(iso(end)));
        item.put(SliceContract.FLOOR, AttributeValue.fromS(floor));
        item.put(SliceContract.NEXT_FLOOR, AttributeValue.fromS(nextFloor));
        return item;
    }

    /** Read units ([0]) and bytes ([1]) of a Query per shard over {@code read}: 4 KB units per 1 MB page, >= 1 each. */
    private static long[] queryUnits(List<Map<String, AttributeValue>> read) {
        Map<String, List<Map<String, AttributeValue>>> byPartition = new TreeMap<>();
        for (Map<String, AttributeValue> item : read) {
            byPartition.computeIfAbsent(item.get(ItemContract.PK).s(), x -> new ArrayList<>()).add(item);
        }
        long units = Math.max(0, ItemContract.DEFAULT_SHARDS - byPartition.size());
        long bytes = 0;
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
        return new long[] {units, bytes};
    }

    private static long between(String[] sk, String from, String until) {
        long n = 0;
        for (String s : sk) {
            if (s.compareTo(from) >= 0 && s.compareTo(until) < 0) {
                n++;
            }
        }
        return n;
    }

    private static String iso(long millis) {
        return ItemContract.isoMillis(Instant.ofEpochMilli(millis));
    }
}
