package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What one instance's part of a fleet report reads with summaries off once the roller writes slices (DESIGN26-part4
 * D), in expectation over random windows (the same windows as {@link FleetCostBenchmark#window}: same seed, same
 * draws): per instance-day, the rollup Query (the spans from the window's first to its last), the rollups used (spans
 * held whole and rolled: in the past every one; ending now, those that ended ROLL_AFTER ago or more); for the other
 * stretches ({@code RollupPlan.unrolled}, per day) one slice Query (slices from the first stretch's span start to the
 * last stretch's end), the slices lying wholly inside a stretch used, and the rest read from entries, each range from
 * its floor: the latest slice of its span starting at or before the range's start gives its {@code next_floor} (range
 * at or after its end) or its {@code floor}; none, the span start. Slices exist as the roller leaves them: in the past
 * a whole span's (its close pass); ending now, for a span not yet due to close, the units ended ROLL_AFTER ago or more
 * grouped greedily into slices of >= MIN_ENTRIES, a trailing group below that not written. Entries layout: a range
 * reads its entries from its start (sort key = entry time: the floor changes nothing). Compact: the items a Query from
 * the floor to the range's end returns, i.e. every item holding an entry from the floor's boundary on: the item
 * holding the boundary's first entry (none extra when a payload or span starts there: items never cross either), plus
 * the item starts up to the range's end: payload-span runs exactly (the fleet's geometry), within-run starts at the
 * sample's density ({@code withinRun}: items per entry beyond each run's first, as the real packer packed the sample).
 */
record SlicedWindow(boolean live, double rollupsRead, double rollupsUsed, double slicesRead, double slicesUsed,
                    double entries, double compactItems, double ranges, double rollupQueries, double sliceQueries,
                    double entryQueries) {
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final long DAY = 86_400_000L;
    private static final long UNIT = SliceContract.UNIT_MILLIS;

    static SlicedWindow of(SyntheticFleet fleet, int p, long span, boolean live, Random random, int trials,
                           double withinRun) {
        double[] sum = new double[10];
        for (int t = 0; t < trials; t++) {
            int i = t % fleet.instances();
            long from = fleet.startMillis() + DAY + (long) (random.nextDouble() * DAY);
            long until = from + span;
            long now = live ? until : Long.MAX_VALUE;
            long firstSpan = floor(from, SPAN);
            long fullStart = firstSpan == from ? from : firstSpan + SPAN;
            long rolledEnd = floor(live ? until - SliceContract.ROLL_AFTER_MILLIS : until, SPAN);
            long usedEnd = Math.max(fullStart, rolledEnd);
            sum[0] += (floor(until, SPAN) - firstSpan) / SPAN + 1;
            sum[1] += Math.max(0, (rolledEnd - fullStart) / SPAN);
            List<long[]> stretches = new ArrayList<>();
            if (from < Math.min(fullStart, until)) {
                stretches.add(new long[] {from, Math.min(fullStart, until)});
            }
            if (usedEnd < until) {
                if (!stretches.isEmpty() && stretches.get(stretches.size() - 1)[1] >= usedEnd) {
                    stretches.get(stretches.size() - 1)[1] = until;
                } else {
                    stretches.add(new long[] {usedEnd, until});
                }
            }
            // Per instance-day: a rollup Query each day; the slice Query and entry ranges of its stretches' pieces.
            for (long day = floor(from, DAY); day < until; day += DAY) {
                sum[7]++;
                List<long[]> pieces = new ArrayList<>();
                for (long[] s : stretches) {
                    long a = Math.max(s[0], day);
                    long b = Math.min(s[1], day + DAY);
                    if (a < b) {
                        pieces.add(new long[] {a, b});
                    }
                }
                if (pieces.isEmpty()) {
                    continue;
                }
                sum[8]++;
                long low = floor(pieces.get(0)[0], SPAN);
                long high = pieces.get(pieces.size() - 1)[1];
                for (long s = low; s < high; s += SPAN) {
                    for (long[] slice : chain(fleet, i, s, now)) {
                        if (slice[0] < high) {
                            sum[2]++;
                        }
                    }
                }
                for (long[] piece : pieces) {
                    long at = piece[0];
                    List<long[]> ranges = new ArrayList<>();
                    for (long s = floor(piece[0], SPAN); s < piece[1]; s += SPAN) {
                        for (long[] slice : chain(fleet, i, s, now)) {
                            if (slice[0] >= piece[0] && slice[1] <= piece[1]) {
                                sum[3]++;
                                if (slice[0] > at) {
                                    ranges.add(new long[] {at, slice[0]});
                                }
                                at = slice[1];
                            }
                        }
                    }
                    if (at < piece[1]) {
                        ranges.add(new long[] {at, piece[1]});
                    }
                    for (long[] r : ranges) {
                        sum[4] += fleet.lineAt(i, r[1]) - fleet.lineAt(i, r[0]);
                        sum[5] += items(fleet, i, p, fleet.lineAt(i, floorTime(fleet, i, r[0], now)),
                                fleet.lineAt(i, r[1]), withinRun);
                        sum[6]++;
                        sum[9] += ItemContract.DEFAULT_SHARDS;
                    }
                }
            }
        }
        return new SlicedWindow(live, sum[0] / trials, sum[1] / trials, sum[2] / trials, sum[3] / trials,
                sum[4] / trials, sum[5] / trials, sum[6] / trials, sum[7] / trials, sum[8] / trials,
                sum[9] / trials);
    }

    /**
     * The time whose floor a range starting at {@code a} reads from: the latest slice of a's span starting at or
     * before a: its end when a is at or after it (its next_floor), else its start (its floor); none, the span start.
     */
    private static long floorTime(SyntheticFleet fleet, int i, long a, long now) {
        long spanStart = floor(a, SPAN);
        long at = spanStart;
        for (long[] slice : chain(fleet, i, spanStart, now)) {
            if (slice[0] <= a) {
                at = a >= slice[1] ? slice[1] : slice[0];
            }
        }
        return at;
    }

    /**
     * The slices of instance i's span starting at {@code spanStart} at time {@code now}: the close pass's chain when
     * the span ended ROLL_AFTER ago or more, else the partial passes' (units ended ROLL_AFTER ago or more, groups of
     * >= MIN_ENTRIES, a trailing smaller group not written).
     */
    static List<long[]> chain(SyntheticFleet fleet, int i, long spanStart, long now) {
        long spanEnd = spanStart + SPAN;
        boolean closed = now == Long.MAX_VALUE || spanEnd <= now - SliceContract.ROLL_AFTER_MILLIS;
        long ready = closed ? spanEnd : Math.min(spanEnd, floor(now - SliceContract.ROLL_AFTER_MILLIS, UNIT));
        List<long[]> out = new ArrayList<>();
        long groupStart = spanStart;
        long count = 0;
        for (long u = spanStart; u < ready; u += UNIT) {
            count += fleet.linesBetween(i, u, u + UNIT);
            if (count >= SliceContract.MIN_ENTRIES) {
                out.add(new long[] {groupStart, u + UNIT});
                groupStart = u + UNIT;
                count = 0;
            }
        }
        if (closed && groupStart < ready && count > 0 && !out.isEmpty()) {
            // The close pass's trailing units: with a pass per due unit (the model's assumption) every earlier group
            // was written by a partial pass, so they are written alone after the chain; no chain: a quiet span.
            out.add(new long[] {groupStart, ready});
        }
        return out;
    }

    /**
     * Compact items a Query returns from the floor at line {@code l0} (a unit boundary's first line) to line
     * {@code l1}: the item holding l0 unless a run (payload-span piece) starts there, and the items starting up to l1.
     */
    static double items(SyntheticFleet fleet, int i, int p, long l0, long l1, double withinRun) {
        if (l0 >= l1) {
            return 0;
        }
        long runs = FleetCostBenchmark.piecesStarting(fleet, i, p, l0, l1);
        boolean runStart = fleet.payloadStart(i, l0, p) == l0
                || fleet.lineAt(i, floor(fleet.timeOf(i, l0), SPAN)) == l0;
        return runs + withinRun * (l1 - l0 - runs) + (runStart ? 0 : 1 - withinRun);
    }

    private static long floor(long millis, long unit) {
        return Math.floorDiv(millis, unit) * unit;
    }
}
