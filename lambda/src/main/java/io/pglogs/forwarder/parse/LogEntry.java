package io.pglogs.forwarder.parse;

import java.time.Instant;

/**
 * One PostgreSQL log entry as parsed from a line (plus its continuation lines).
 *
 * <p>{@code timestamp} is null when the line carried none that could be read; callers then fall back to the time the
 * transport (CloudWatch, a file) gives. {@code millisPrecise} says whether the prefix carried milliseconds ({@code %m})
 * or only seconds ({@code %t}). Optional text fields are null when absent or empty.
 */
public record LogEntry(
        Instant timestamp,
        boolean millisPrecise,
        String client,
        String user,
        String database,
        Integer pid,
        String severity,
        String message,
        String sqlstate,
        String sessionId,
        String application) {

    public static final String UNKNOWN = "UNKNOWN";

    /** A line no format matched: kept whole, never dropped. */
    public static LogEntry unparsed(String line) {
        return new LogEntry(null, false, null, null, null, null, UNKNOWN, line, null, null, null);
    }

    public boolean isUnknown() {
        return UNKNOWN.equals(severity);
    }
}
