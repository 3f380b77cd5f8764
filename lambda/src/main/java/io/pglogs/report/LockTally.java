package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The Locks section: counts exact; the longest waits and the latest deadlocks, at most top of each. */
final class LockTally {
    /** A lock entry being kept; its DETAIL and STATEMENT come after it in stderr. */
    static final class Event implements Companion {
        final long at;
        final String instance;
        final Long pid;
        final String kind;
        final Double waitMs;
        final String message;
        String detail;
        String statement;

        Event(long at, String instance, Long pid, String kind, Double waitMs, String message) {
            this.at = at;
            this.instance = instance;
            this.pid = pid;
            this.kind = kind;
            this.waitMs = waitMs;
            this.message = message;
        }

        @Override
        public void companion(String field, String text, String fingerprint) {
            if ("DETAIL".equals(field) && detail == null) {
                detail = text;
            } else if ("STATEMENT".equals(field) && statement == null) {
                statement = text;
            }
        }

        Locks.LockEvent event() {
            return new Locks.LockEvent(Instant.ofEpochMilli(at), instance, pid, kind, waitMs, message, detail,
                    statement);
        }
    }

    /**
     * The least of the waits kept first: the shortest, of equal ones the latest (the first logged stays), then by
     * content, so the waits kept do not depend on how the entries were cut into pieces and merged.
     */
    static final Comparator<Event> LEAST_FIRST = Comparator.comparingDouble((Event e) -> e.waitMs)
            .thenComparing(Comparator.comparingLong((Event e) -> e.at).reversed())
            .thenComparing(e -> e.instance, Comparator.nullsFirst(Comparator.reverseOrder()))
            .thenComparing(e -> e.pid, Comparator.nullsFirst(Comparator.reverseOrder()))
            .thenComparing(e -> e.message, Comparator.reverseOrder());
    final int top;
    final PriorityQueue<Event> longest = new PriorityQueue<>(LEAST_FIRST);
    final ArrayDeque<Event> deadlocks = new ArrayDeque<>();
    final HourCounts hours = new HourCounts();
    long waits;
    long acquired;
    long deadlockCount;
    double maxWaitMs;

    LockTally(int top) {
        this.top = top;
    }

    /** Counts a lock_wait, lock_acquired or deadlock entry; returns what takes its companions if it is kept. */
    Companion add(LogRow row, String kind, long at) {
        hours.add(at);
        String message = Rows.beforeFolded(row.message());
        Event e;
        if (EntryKind.DEADLOCK.equals(kind)) {
            deadlockCount++;
            e = new Event(at, row.instance(), Rows.pid(row), kind, null, message);
            deadlocks.addLast(e);
            if (deadlocks.size() > top) {
                deadlocks.removeFirst();
            }
        } else {
            if (EntryKind.LOCK_WAIT.equals(kind)) {
                waits++;
            } else {
                acquired++;
            }
            double wait = Rows.decimal(row, ItemContract.WAIT_MS);
            maxWaitMs = Math.max(maxWaitMs, wait);
            e = new Event(at, row.instance(), Rows.pid(row), kind, wait, message);
            longest.add(e);
            if (longest.size() > top) {
                if (longest.poll() == e) {
                    return null;
                }
            }
        }
        Companion.folded(row.message(), e);
        return e;
    }

    /** Adds what {@code o} counted, its entries coming after these. */
    void merge(LockTally o) {
        hours.merge(o.hours);
        waits += o.waits;
        acquired += o.acquired;
        deadlockCount += o.deadlockCount;
        maxWaitMs = Math.max(maxWaitMs, o.maxWaitMs);
        for (Event e : o.longest) {
            keepLongest(e);
        }
        mergeDeadlocks(o.deadlocks);
    }

    /** Keeps {@code e} if it is among the {@code top} longest waits. */
    void keepLongest(Event e) {
        longest.add(e);
        if (longest.size() > top) {
            longest.poll();
        }
    }

    /** Adds a later piece's deadlocks (time order). */
    void mergeDeadlocks(java.util.Collection<Event> theirs) {
        // Pieces of several instances overlap in time: the latest are kept by time, these first of equal times.
        List<Event> all = new ArrayList<>(deadlocks);
        all.addAll(theirs);
        all.sort(Comparator.comparingLong(e -> e.at));
        deadlocks.clear();
        deadlocks.addAll(all.subList(Math.max(0, all.size() - top), all.size()));
    }

    Locks build() {
        List<Event> waitsKept = new ArrayList<>(longest);
        waitsKept.sort(Comparator.comparingDouble((Event e) -> -e.waitMs).thenComparingLong(e -> e.at));
        return new Locks(waits, acquired, deadlockCount, maxWaitMs, waitsKept.stream().map(Event::event).toList(),
                deadlocks.stream().map(Event::event).toList(), hours.hourly());
    }
}
