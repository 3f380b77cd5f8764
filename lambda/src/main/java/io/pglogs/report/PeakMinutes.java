package io.pglogs.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The N minutes with the most events, kept as the events come in time order: a minute is complete once a later one
 * begins, so only the current minute and the N best so far are held, whatever the window.
 */
final class PeakMinutes {
    private static final long MINUTE = 60_000L;
    private static final Comparator<Connections.Minute> FEWEST_FIRST = Comparator
            .comparingLong(Connections.Minute::connections)
            .thenComparing(Connections.Minute::minute, Comparator.reverseOrder());
    private final int top;
    private final PriorityQueue<Connections.Minute> best = new PriorityQueue<>(FEWEST_FIRST);
    private long minute = Long.MIN_VALUE;
    private long count;

    PeakMinutes(int top) {
        this.top = top;
    }

    /** An event at {@code epochMillis}, no earlier than the one before. */
    void add(long epochMillis) {
        long m = Math.floorDiv(epochMillis, MINUTE);
        if (m != minute) {
            close();
            minute = m;
        }
        count++;
    }

    private void close() {
        if (count > 0) {
            best.add(new Connections.Minute(Instant.ofEpochMilli(minute * MINUTE), count));
            if (best.size() > top) {
                best.poll();
            }
        }
        count = 0;
    }

    /** Most first, the earlier of equals first. */
    List<Connections.Minute> peaks() {
        close();
        List<Connections.Minute> list = new ArrayList<>(best);
        list.sort(FEWEST_FIRST.reversed());
        return List.copyOf(list);
    }
}
