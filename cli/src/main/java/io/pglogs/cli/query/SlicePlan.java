package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.report.Sources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which slices (rollups of parts of a span, made from entries: docs/schema.md "Slice items", "Reading slices") count
 * the stretches of an instance-day not summarised that complete rollups leave ({@link RollupPlan#unrolled}), and
 * which times are read from entries instead, each from the floor the slices say. Plain data in, plain data out: no
 * AWS.
 *
 * <p>A slice counts every entry of {@code [start, until)} stored when it was rolled at its span's {@code gen}; every
 * later write into a rolled unit bumps the span's rollup item, so a slice whose {@code gen} is the item's (0 when the
 * span has none) lacks nothing. Slices of one gen never overlap; a stretch counts those lying wholly inside it and
 * reads the rest. The floors bound where an item holding a needed entry can start: a compact item's key is its first
 * entry's, so without them a stretch starting inside a span is read from the span's start.
 */
public final class SlicePlan {
    /**
     * A slice item as the plan sees it.
     *
     * @param start        its start ({@code sk}, {@link ItemContract#isoMillis}), included
     * @param until        its end, excluded
     * @param gen          the span's rollup {@code gen} it was rolled at
     * @param minExpiresAt when its earliest entry expires (epoch seconds; 0 when absent: then it is not used)
     * @param floor        the lowest key of an item holding an entry at or after {@code start} when it was rolled (or
     *                     {@code start}); null when absent
     * @param nextFloor    the same at {@code until}; null when absent
     * @param entries      the entries it counts
     * @param data         the encoded count ({@code summary}); null when its version is not one this pglogs reads
     */
    public record Slice(String start, String until, long gen, long minExpiresAt, String floor, String nextFloor,
                        long entries, byte[] data) {
        /** The span it lies in: its start's. */
        String span() {
            return ItemContract.isoMillis(RollupPlan.spanStart(Instant.parse(start)));
        }
    }

    /** Slices to merge (time order) and entry ranges to read (time order, each with its floor). */
    public record Plan(List<Slice> used, List<SummaryPlan.Range> ranges) {
    }

    private SlicePlan() {
    }

    /**
     * The slice keys to Query for {@code stretches} (time order): from the first one's span start (slices starting
     * there give the floors of a stretch starting later in the span) to the last one's end; null when there are none
     * (then no Query).
     */
    public static RollupPlan.KeyRange keys(List<RollupPlan.Times> stretches) {
        if (stretches.isEmpty()) {
            return null;
        }
        Instant first = RollupPlan.spanStart(Instant.parse(stretches.get(0).from()));
        return new RollupPlan.KeyRange(ItemContract.isoMillis(first), stretches.get(stretches.size() - 1).until());
    }

    /** Each span's rollup {@code gen} ({@link RollupPlan.Rollup#span} to gen), stubs and unusable ones included. */
    public static Map<String, Long> gens(List<RollupPlan.Rollup> rollups) {
        Map<String, Long> out = new HashMap<>();
        for (RollupPlan.Rollup r : rollups) {
            out.put(r.span(), r.gen());
        }
        return out;
    }

    /**
     * @param stretches  the times complete rollups leave, both ends included, in time order
     * @param slices     the slice items found for them, any order, any gen
     * @param gens       each span's rollup gen ({@link #gens}); a span absent has none: gen 0
     * @param now        epoch seconds: a slice some of whose entries expired by then is not valid
     * @param unreadable slices not to count (their summary could not be decoded), compared by identity; their floors
     *                   still serve
     */
    public static Plan plan(String instance, List<RollupPlan.Times> stretches, List<Slice> slices,
                            Map<String, Long> gens, long now, Set<Slice> unreadable) {
        List<Slice> valid = valid(slices, gens, now);
        List<Slice> used = new ArrayList<>();
        List<SummaryPlan.Range> ranges = new ArrayList<>();
        for (RollupPlan.Times t : stretches) {
            Instant cursor = Instant.parse(t.from());
            Instant last = Instant.parse(t.until());
            for (Slice s : valid) {
                Instant start = Instant.parse(s.start());
                Instant end = Instant.parse(s.until());
                if (start.isBefore(cursor) || end.minusMillis(1).isAfter(last) || s.data() == null
                        || unreadable.stream().anyMatch(u -> u == s)) {
                    continue;
                }
                if (start.isAfter(cursor)) {
                    ranges.add(range(instance, cursor, start.minusMillis(1), valid));
                }
                used.add(s);
                cursor = end;
            }
            if (!cursor.isAfter(last)) {
                ranges.add(range(instance, cursor, last, valid));
            }
        }
        return new Plan(List.copyOf(used), List.copyOf(ranges));
    }

    /**
     * The valid slices in start order: their {@code gen} is their span's, none of their entries expired, and they lie
     * in their span. Valid slices do not overlap (one gen's make a chain); should two, the later is left out, so
     * no entry is counted twice.
     */
    static List<Slice> valid(List<Slice> slices, Map<String, Long> gens, long now) {
        List<Slice> sorted = new ArrayList<>(slices);
        sorted.sort(Comparator.comparing(Slice::start));
        List<Slice> out = new ArrayList<>();
        String reach = null;
        for (Slice s : sorted) {
            if (s.until() == null || s.until().compareTo(s.start()) <= 0 || s.minExpiresAt() <= now
                    || s.gen() != gens.getOrDefault(s.span(), 0L)
                    || s.until().compareTo(ItemContract.compactSpanEnd(s.start())) > 0) {
                continue;
            }
            if (reach != null && s.start().compareTo(reach) < 0) {
                continue;
            }
            out.add(s);
            reach = s.until();
        }
        return out;
    }

    /** Entries from {@code from} to {@code until}, both included, read from the floor at {@code from}. */
    private static SummaryPlan.Range range(String instance, Instant from, Instant until, List<Slice> valid) {
        return new SummaryPlan.Range(instance, ItemContract.isoMillis(from), ItemContract.isoMillis(until),
                Sources.NOT_SUMMARISED, List.of(), floor(from, valid));
    }

    /**
     * Where an item holding an entry at or after {@code at} can start, as far as the slices know: from the latest
     * valid slice of {@code at}'s span starting at or before it, its {@code next_floor} when {@code at} is at or after
     * its end, else its {@code floor}; null (the span's start) when there is none. Capped at that slice's start (end):
     * an item written after it was rolled, with entries only in units not rolled, starts there or later and bumps
     * nothing, while a floor above the boundary (an item of the rolled entries starting after it) would skip it.
     */
    static String floor(Instant at, List<Slice> valid) {
        String t = ItemContract.isoMillis(at);
        String span = ItemContract.isoMillis(RollupPlan.spanStart(at));
        Slice latest = null;
        for (Slice s : valid) {
            if (s.span().equals(span) && s.start().compareTo(t) <= 0) {
                latest = s;
            }
        }
        if (latest == null) {
            return null;
        }
        return t.compareTo(latest.until()) >= 0 ? atMost(latest.nextFloor(), latest.until())
                : atMost(latest.floor(), latest.start());
    }

    private static String atMost(String floor, String boundary) {
        return floor == null ? null : floor.compareTo(boundary) <= 0 ? floor : boundary;
    }
}
