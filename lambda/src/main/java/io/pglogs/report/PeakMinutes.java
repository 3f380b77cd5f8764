package io.pglogs.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The N minutes with the most events. Every minute's count is held (a day is 1,440 numbers, a month 43,200): a
 * report merges pieces (issue 26's summaries, one per instance and payload) that each hold part of a minute, so a
 * minute's count is known only once every piece is in.
 */
final class PeakMinutes {
    static final long MINUTE = 60_000L;
    private static final Comparator<Connections.Minute> MOST_FIRST = Comparator
            .comparingLong(Connections.Minute::connections).reversed()
            .thenComparing(Connections.Minute::minute);
    private final int top;
    /** Minute number (epoch minutes) to events. */
    final TreeMap<Long, long[]> counts = new TreeMap<>();
    private long minute = Long.MIN_VALUE;
    private long[] current;

    PeakMinutes(int top) {
        this.top = top;
    }

    /** An event at {@code epochMillis}. */
    void add(long epochMillis) {
        long m = Math.floorDiv(epochMillis, MINUTE);
        if (m != minute) {
            current = counts.computeIfAbsent(m, k -> new long[1]);
            minute = m;
        }
        current[0]++;
    }

    void merge(PeakMinutes other) {
        ReportBuilder.add(counts, other.counts);
    }

    /** Most first, the earlier of equals first. */
    List<Connections.Minute> peaks() {
        List<Connections.Minute> list = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            list.add(new Connections.Minute(Instant.ofEpochMilli(e.getKey() * MINUTE), e.getValue()[0]));
        }
        list.sort(MOST_FIRST);
        return List.copyOf(list.subList(0, Math.min(top, list.size())));
    }
}
