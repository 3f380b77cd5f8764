package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which ten-minute spans of one instance-day a report counts from their rollups, and which sort key ranges of the
 * summary partitions it Queries for the rest, or which times it reads from entries on a day not summarised
 * (docs/schema.md "Rollup items", "Reading summaries"). Plain data in, plain data out: no AWS.
 *
 * <p>A rollup is the merge of every summary (or, {@code rolled_from = entries}, every stored entry) of its span that
 * was visible when it was made; a write to the span later marks it stale. Summaries and compact items never cross a
 * span boundary, so a rollup used for a span fully inside the window counts exactly that span's entries, and the
 * span's summaries are not read at all. Every other span (cut by the window, no rollup, a stub, stale, expiring) is
 * left to {@link SummaryPlan}, whose summaries and entry ranges then never reach into a rolled-up span; on a day not
 * summarised, to entries ({@link #unrolled}).
 */
public final class RollupPlan {
    /**
     * A rollup item as the plan sees it.
     *
     * @param span         its span's start ({@link ItemContract#isoMillis}: its sort key)
     * @param ts           the earliest entry it counts, null in a stub
     * @param lastTs       the latest, null in a stub
     * @param entries      the entries it counts
     * @param minExpiresAt when its earliest entry expires (epoch seconds; 0 when absent: then it is not used)
     * @param stale        a summary of its span was written after it could have been made
     * @param data         the encoded merge ({@code summary}), null in a stub
     * @param rolledFrom   what the roller merged ({@code rolled_from}): {@link ItemContract#ROLLED_FROM_ENTRIES} or
     *                     {@link ItemContract#ROLLED_FROM_SUMMARIES} (also when the item has none: part 2's rollups)
     * @param gen          its {@code gen} (stubs too; 0 when absent): the span's slices are valid only at this gen
     *                     ({@link SlicePlan})
     */
    public record Rollup(String span, String ts, String lastTs, long entries, long minExpiresAt, boolean stale,
                         byte[] data, String rolledFrom, long gen) {
        /** A rollup item whose {@code gen} does not matter here (0). */
        public Rollup(String span, String ts, String lastTs, long entries, long minExpiresAt, boolean stale,
                      byte[] data, String rolledFrom) {
            this(span, ts, lastTs, entries, minExpiresAt, stale, data, rolledFrom, 0);
        }

        /** A rollup made from its span's summaries (as every rollup before {@code rolled_from}). */
        public Rollup(String span, String ts, String lastTs, long entries, long minExpiresAt, boolean stale,
                      byte[] data) {
            this(span, ts, lastTs, entries, minExpiresAt, stale, data, ItemContract.ROLLED_FROM_SUMMARIES);
        }

        /** Made from the span's stored entries: it counts every entry stored when it was made, summarised or not. */
        public boolean fromEntries() {
            return ItemContract.ROLLED_FROM_ENTRIES.equals(rolledFrom);
        }

        /** Made from the span's summaries: it counts only the summarised entries. */
        public boolean fromSummaries() {
            return rolledFrom == null || ItemContract.ROLLED_FROM_SUMMARIES.equals(rolledFrom);
        }
    }

    /** A stretch of the window's part of a day, both ends included ({@link ItemContract#isoMillis}). */
    public record Times(String from, String until) {
    }

    /**
     * Summaries to Query: sort keys from {@code low} to {@code high}, both included (every summary partition of the
     * instance-day).
     */
    public record KeyRange(String low, String high) {
    }

    /** Rollups to merge, in time order, and the summary sort key ranges of the other spans, in order. */
    public record Plan(List<Rollup> used, List<KeyRange> summaries) {
    }

    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;

    private RollupPlan() {
    }

    /**
     * The sort keys of the rollups that may serve the window's part of one day: its spans' starts, from the one
     * {@code from} falls in to the one {@code until} falls in.
     */
    public static KeyRange rollupKeys(Instant from, Instant until) {
        return new KeyRange(ItemContract.isoMillis(spanStart(from)), ItemContract.isoMillis(until));
    }

    /** As {@link #plan(List, Instant, Instant, long, boolean)} on a day the catalogue marks summarised. */
    public static Plan plan(List<Rollup> rollups, Instant from, Instant until, long now) {
        return plan(rollups, from, until, now, true);
    }

    /**
     * @param rollups    the rollup items of the instance-day in {@link #rollupKeys}, any order
     * @param from       the window's part of the day: its first time, included
     * @param until      and its last, included
     * @param now        entries whose expiry is not after this (epoch seconds) are hidden, as from every reader
     * @param summarised whether the catalogue marks the instance-day summarised: if not, a rollup made from summaries
     *                   may miss entries no summary counts, and only rollups made from entries are used
     */
    public static Plan plan(List<Rollup> rollups, Instant from, Instant until, long now, boolean summarised) {
        Map<String, Rollup> bySpan = new TreeMap<>();
        for (Rollup r : rollups) {
            bySpan.put(r.span(), r);
        }
        List<Rollup> used = new ArrayList<>();
        List<KeyRange> ranges = new ArrayList<>();
        Instant runStart = null;
        for (Instant span = spanStart(from); !span.isAfter(until); span = span.plusMillis(SPAN)) {
            Instant end = span.plusMillis(SPAN);
            Rollup r = bySpan.get(ItemContract.isoMillis(span));
            if (r != null && usable(r, span, end, from, until, now, summarised)) {
                if (runStart != null) {
                    ranges.add(range(runStart, span.minusMillis(1)));
                    runStart = null;
                }
                used.add(r);
            } else if (runStart == null) {
                runStart = span;
            }
        }
        if (runStart != null) {
            ranges.add(range(runStart, until));
        }
        return new Plan(List.copyOf(used), List.copyOf(ranges));
    }

    /**
     * The parts of the window ({@code from} to {@code until}) that the {@code used} rollups (in time order) do not
     * count: runs of spans without a usable rollup, cut to the window; in time order. On a day not summarised they
     * are read from entries.
     */
    public static List<Times> unrolled(List<Rollup> used, Instant from, Instant until) {
        List<Times> out = new ArrayList<>();
        Instant next = from;
        for (Rollup r : used) {
            Instant start = Instant.parse(r.span());
            if (start.isAfter(next)) {
                out.add(new Times(ItemContract.isoMillis(next), ItemContract.isoMillis(start.minusMillis(1))));
            }
            Instant end = start.plusMillis(SPAN);
            next = end.isAfter(next) ? end : next;
        }
        if (!next.isAfter(until)) {
            out.add(new Times(ItemContract.isoMillis(next), ItemContract.isoMillis(until)));
        }
        return out;
    }

    /** The rollups of {@code used} whose spans start from {@code from}'s span to {@code until} (one hour's, say). */
    public static List<Rollup> rollupsWithin(List<Rollup> used, Instant from, Instant until) {
        String low = ItemContract.isoMillis(spanStart(from));
        String high = ItemContract.isoMillis(until);
        return used.stream().filter(r -> r.span().compareTo(low) >= 0 && r.span().compareTo(high) <= 0).toList();
    }

    /**
     * The parts of {@code ranges} (summary sort keys) that hold summaries starting from {@code from}'s span to
     * {@code until}: a summary never crosses a span, so those are the ones that may hold the entries in between.
     */
    public static List<KeyRange> rangesWithin(List<KeyRange> ranges, Instant from, Instant until) {
        String low = ItemContract.isoMillis(spanStart(from));
        String high = ItemContract.isoMillis(until) + "~";
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : ranges) {
            String l = r.low().compareTo(low) > 0 ? r.low() : low;
            String h = r.high().compareTo(high) < 0 ? r.high() : high;
            if (l.compareTo(h) <= 0) {
                out.add(new KeyRange(l, h));
            }
        }
        return out;
    }

    /** The summary sort keys of a rollup's span: its summaries, to read when the rollup cannot be. */
    public static KeyRange spanKeys(Rollup r) {
        Instant start = Instant.parse(r.span());
        return range(start, start.plusMillis(SPAN - 1));
    }

    /**
     * Whether a rollup counts its span's entries of the window: it is made from entries, or from summaries on a day
     * marked summarised (on another day some stored entries have no summary, so a merge of summaries may lack them; a
     * source this pglogs does not know is not used); the window holds the whole span; it has its merge and nothing
     * was written to the span after it; its entries lie in its span (summaries written per hour, before rollups, could
     * cross spans: such a rollup is not trusted); and none of them has expired ({@code min_expires_at}, the earliest
     * expiry of its entries).
     */
    static boolean usable(Rollup r, Instant spanStart, Instant spanEnd, Instant from, Instant until, long now,
                          boolean summarised) {
        if (!(r.fromEntries() || summarised && r.fromSummaries())) {
            return false;
        }
        if (r.data() == null || r.stale() || r.ts() == null || r.lastTs() == null) {
            return false;
        }
        if (spanStart.isBefore(from) || spanEnd.minusMillis(1).isAfter(until)) {
            return false;
        }
        if (Instant.parse(r.ts()).isBefore(spanStart) || !Instant.parse(r.lastTs()).isBefore(spanEnd)) {
            return false;
        }
        return r.minExpiresAt() > now;
    }

    /** Summary sort keys of entries from {@code from} to {@code until}: '~' sorts after every event id. */
    private static KeyRange range(Instant from, Instant until) {
        return new KeyRange(ItemContract.isoMillis(from), ItemContract.isoMillis(until) + "~");
    }

    static Instant spanStart(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), SPAN) * SPAN);
    }
}
