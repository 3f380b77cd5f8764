package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * Lock waits ({@code lock_wait}: log_lock_waits, after deadlock_timeout), locks acquired after waiting, and deadlocks.
 *
 * @param waits      lock_wait entries
 * @param acquired   lock_acquired entries
 * @param deadlocks  deadlock entries (one per deadlock)
 * @param maxWaitMs  the longest wait logged ({@code after X ms} of either kind); 0 when none
 * @param longest    the longest waits, longest first, at most {@code --top}
 * @param deadlockEvents the deadlocks, the latest {@code --top}, oldest first
 * @param hourly     lock events (all three kinds) per hour
 */
public record Locks(long waits, long acquired, long deadlocks, double maxWaitMs, List<LockEvent> longest,
                    List<LockEvent> deadlockEvents, Hourly hourly) {
    /**
     * One lock entry and what its process was running.
     *
     * @param kind      lock_wait, lock_acquired or deadlock
     * @param waitMs    {@code after X ms}, or null (a deadlock)
     * @param message   the entry's message as stored (first line)
     * @param detail    its DETAIL (for a deadlock: the processes and the statements they ran), or null
     * @param statement its STATEMENT, or null
     */
    public record LockEvent(Instant at, String instance, Long pid, String kind, Double waitMs, String message,
                            String detail, String statement) {
    }

    public boolean isEmpty() {
        return waits == 0 && acquired == 0 && deadlocks == 0;
    }
}
