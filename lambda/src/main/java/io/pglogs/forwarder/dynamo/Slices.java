package io.pglogs.forwarder.dynamo;

import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Slices (issue 26 part 4, docs/schema.md "Slice items"): rollups of parts of a span, made by the {@link Roller} from
 * the span's entries, units of {@link ItemContract#SLICE_UNIT_MILLIS} at a time, so that a report whose window cuts a
 * span (or ends in the span still open) reads a slice's worth of entries at most, from a floor. The pure parts: the
 * items, the chain of one {@code gen}, the floors, how units are grouped, the merge into the span's rollup.
 */
public final class Slices {
    private Slices() {
    }

    /** The key of the slice starting at {@code start} (a unit boundary). */
    public static Map<String, AttributeValue> key(String instance, Instant start) {
        String sk = ItemContract.isoMillis(start);
        return Map.of(ItemContract.PK, AttributeValue.fromS(ItemContract.slicePartitionKey(instance, sk.substring(0, 10))),
                ItemContract.SK, AttributeValue.fromS(sk));
    }

    /**
     * The slice item of {@code rows} (the stored entries with a time in [{@code start}, {@code until}), in sort key
     * order, each once, none expired), or null when its summary would be too large to store: counted by the report's
     * own code as {@link Roller#rollupOfEntries} counts a span's. {@code floor} and {@code nextFloor}: the lowest
     * {@code sk} of an entry item holding an entry at or after {@code start} (and {@code until}), or that time when
     * lower; {@code gen}: the span's rollup item's when the slice was rolled (0 without one).
     */
    public static Map<String, AttributeValue> sliceOf(String instance, Instant start, Instant until,
                                                      Collection<LogRow> rows, String floor, String nextFloor,
                                                      long gen) {
        Roller.Counted c = Roller.Counted.of(rows);
        if (c == null) {
            return null;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>(key(instance, start));
        item.put(ItemContract.INSTANCE, AttributeValue.fromS(instance));
        item.put(ItemContract.UNTIL, AttributeValue.fromS(ItemContract.isoMillis(until)));
        item.put(ItemContract.SUMMARY, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(c.data())));
        item.put(ItemContract.SUMMARY_VERSION, AttributeValue.fromN(Integer.toString(SummaryCodec.VERSION)));
        item.put(ItemContract.ENTRIES, AttributeValue.fromN(Long.toString(c.entries())));
        if (c.ts() != null) {
            item.put(ItemContract.TS, AttributeValue.fromS(c.ts()));
            item.put(ItemContract.LAST_TS, AttributeValue.fromS(c.lastTs()));
        }
        if (c.expiresAt() > 0) {
            item.put(ItemContract.EXPIRES_AT, AttributeValue.fromN(Long.toString(c.expiresAt())));
            item.put(ItemContract.MIN_EXPIRES_AT, AttributeValue.fromN(Long.toString(c.minExpiresAt())));
        }
        item.put(ItemContract.GEN, AttributeValue.fromN(Long.toString(gen)));
        item.put(ItemContract.FLOOR, AttributeValue.fromS(floor));
        item.put(ItemContract.NEXT_FLOOR, AttributeValue.fromS(nextFloor));
        item.put(ItemContract.ROLLED_FROM, AttributeValue.fromS(ItemContract.ROLLED_FROM_ENTRIES));
        return item;
    }

    /**
     * The chain of slices of generation {@code gen} from the span's start ({@code spanStart}, {@code spanEnd}:
     * {@link ItemContract#isoMillis}): the slice starting there, the one starting at its {@code until}, and so on.
     * Slices of other generations, or not ending inside the span, are not part of it.
     */
    static List<Map<String, AttributeValue>> chain(Collection<Map<String, AttributeValue>> slices, long gen,
                                                   String spanStart, String spanEnd) {
        Map<String, Map<String, AttributeValue>> byStart = new HashMap<>();
        for (Map<String, AttributeValue> s : slices) {
            AttributeValue g = s.get(ItemContract.GEN);
            AttributeValue until = s.get(ItemContract.UNTIL);
            AttributeValue nextFloor = s.get(ItemContract.NEXT_FLOOR);
            if (g == null || g.n() == null || Long.parseLong(g.n()) != gen || until == null || until.s() == null
                    || nextFloor == null || nextFloor.s() == null || !s.containsKey(ItemContract.SUMMARY)) {
                continue;
            }
            String sk = s.get(ItemContract.SK).s();
            if (sk.compareTo(spanStart) >= 0 && until.s().compareTo(sk) > 0 && until.s().compareTo(spanEnd) <= 0) {
                byStart.put(sk, s);
            }
        }
        List<Map<String, AttributeValue>> chain = new ArrayList<>();
        for (Map<String, AttributeValue> s = byStart.get(spanStart); s != null;
                s = byStart.get(s.get(ItemContract.UNTIL).s())) {
            chain.add(s);
        }
        return chain;
    }

    /**
     * The floor at {@code at}: the lowest {@code sk} of the items read that hold an entry at or after it, or
     * {@code at} itself when that is lower. Items not read start at or after the read's end (at least {@code at}) or,
     * below the read's floor, hold no entry at or after {@code at}.
     */
    static String floorAt(Collection<SpanEntries.Extent> items, Instant at) {
        String floor = ItemContract.isoMillis(at);
        String bare = floor;
        for (SpanEntries.Extent e : items) {
            if (e.lastTs().compareTo(bare) >= 0 && e.sk().compareTo(floor) < 0) {
                floor = e.sk();
            }
        }
        return floor;
    }

    /** A slice to make: [{@code start}, {@code until}) and its entry count. */
    record Group(Instant start, Instant until, long entries) {
    }

    /**
     * The units from {@code chainEnd} to {@code readyEnd}, grouped in order into slices of at least
     * {@link ItemContract#SLICE_MIN_ENTRIES}: a slice ends at the first unit boundary where it reaches that. A trailing
     * group below it: dropped in a partial pass (a later pass reads it again); in a close pass it joins the pass's
     * previous group, else it is a slice alone when the chain is not empty and it holds an entry, else (a quiet span)
     * there is none. {@code rows}: the entries of [chainEnd, readyEnd) by sort key.
     */
    static List<Group> groups(NavigableMap<String, LogRow> rows, Instant chainEnd, Instant readyEnd, boolean close,
                              boolean chained) {
        List<Group> groups = new ArrayList<>();
        Instant start = chainEnd;
        for (Instant unit = chainEnd; unit.isBefore(readyEnd); ) {
            Instant next = unit.plusMillis(ItemContract.SLICE_UNIT_MILLIS);
            long n = count(rows, start, next);
            if (n >= ItemContract.SLICE_MIN_ENTRIES) {
                groups.add(new Group(start, next, n));
                start = next;
            }
            unit = next;
        }
        long rest = count(rows, start, readyEnd);
        if (close && start.isBefore(readyEnd)) {
            if (!groups.isEmpty()) {
                Group last = groups.remove(groups.size() - 1);
                groups.add(new Group(last.start(), readyEnd, last.entries() + rest));
            } else if (chained && rest > 0) {
                groups.add(new Group(start, readyEnd, rest));
            }
        }
        return groups;
    }

    private static long count(NavigableMap<String, LogRow> rows, Instant from, Instant until) {
        return rows.subMap(ItemContract.isoMillis(from), true, ItemContract.isoMillis(until), false).size();
    }

    /** The entries of [{@code from}, {@code until}) among {@code rows} (by sort key). */
    static Collection<LogRow> between(NavigableMap<String, LogRow> rows, Instant from, Instant until) {
        return rows.subMap(ItemContract.isoMillis(from), true, ItemContract.isoMillis(until), false).values();
    }

    /**
     * The span's rollup made of its {@code slices} (in time order, together covering the span's entries): their
     * summaries decoded into one builder, as {@link Roller#rollup} merges summaries; null when too large to store.
     */
    static Map<String, AttributeValue> rollupOf(String instance, Map<String, AttributeValue> key,
                                                List<Map<String, AttributeValue>> slices, AttributeValue gen) {
        ReportBuilder merged = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        long entries = 0;
        long expiresAt = 0;
        long minExpiresAt = Long.MAX_VALUE;
        String ts = null;
        String lastTs = null;
        for (Map<String, AttributeValue> s : slices) {
            SummaryCodec.decodeInto(s.get(ItemContract.SUMMARY).b().asByteArrayUnsafe(), merged);
            entries += Long.parseLong(s.get(ItemContract.ENTRIES).n());
            AttributeValue first = s.get(ItemContract.TS);
            if (first != null) {
                ts = ts == null || first.s().compareTo(ts) < 0 ? first.s() : ts;
                String last = s.get(ItemContract.LAST_TS).s();
                lastTs = lastTs == null || last.compareTo(lastTs) > 0 ? last : lastTs;
            }
            AttributeValue expires = s.get(ItemContract.EXPIRES_AT);
            if (expires != null) {
                expiresAt = Math.max(expiresAt, Long.parseLong(expires.n()));
                minExpiresAt = Math.min(minExpiresAt, Long.parseLong(s.get(ItemContract.MIN_EXPIRES_AT).n()));
            }
        }
        byte[] data = SummaryCodec.encode(merged);
        if (data.length > Roller.MAX_ROLLUP_BYTES || ts == null) {
            return null;
        }
        return Roller.item(key, instance, data, entries, 0, ItemContract.ROLLED_FROM_ENTRIES, ts, lastTs, expiresAt,
                minExpiresAt, gen);
    }
}
