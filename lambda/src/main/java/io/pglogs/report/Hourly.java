package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * How a section's events fall over the UTC hours of the window, and the busiest hour.
 *
 * @param hours   every hour that holds at least one event, oldest first (hours with none are left out)
 * @param busiest the hour with the most events (the earliest of equals); null when there is none
 */
public record Hourly(List<Count> hours, Count busiest) {
    /** @param hour the hour's start (UTC, whole hour) */
    public record Count(Instant hour, long count) {
    }

    public static final Hourly NONE = new Hourly(List.of(), null);

    public boolean isEmpty() {
        return hours.isEmpty();
    }
}
