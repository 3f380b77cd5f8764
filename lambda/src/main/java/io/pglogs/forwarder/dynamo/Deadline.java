package io.pglogs.forwarder.dynamo;

import java.time.Duration;

/** A point in monotonic time by which work must end (in Lambda: the invocation's timeout less a safety margin). */
public final class Deadline {
    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    public static Deadline after(Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    public long remainingMillis() {
        return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000);
    }

    public boolean expired() {
        return atNanos - System.nanoTime() <= 0;
    }
}
