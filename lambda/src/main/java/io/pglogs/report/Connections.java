package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * Connections (log_connections) and sessions (log_disconnections).
 *
 * @param received      connection_received entries
 * @param authorized    connection_authorized entries (replication connections included)
 * @param authFailures  authentication_failed entries
 * @param refused       too_many_connections entries
 * @param sessions      disconnection entries
 * @param sessionMs     their total session time
 * @param maxSessionMs  the longest session
 * @param byUser        per user, most connections first, at most {@code --top}
 * @param byDatabase    per database, likewise
 * @param byClient      per client host (the port left out), likewise
 * @param peaks         the minutes with the most connections authorized, most first, at most {@code --top}
 * @param hourly        connections authorized per hour
 */
public record Connections(long received, long authorized, long authFailures, long refused, long sessions,
                          double sessionMs, double maxSessionMs, List<Party> byUser, List<Party> byDatabase,
                          List<Party> byClient, List<Minute> peaks, Hourly hourly) {
    /**
     * One user, database or client.
     *
     * @param connections  connections authorized
     * @param authFailures authentication failures
     * @param sessions     sessions ended
     * @param meanSessionMs their mean time
     * @param maxSessionMs the longest
     */
    public record Party(String name, long connections, long authFailures, long sessions, double meanSessionMs,
                        double maxSessionMs) {
    }

    /** @param minute the minute's start (UTC) */
    public record Minute(Instant minute, long connections) {
    }

    public boolean isEmpty() {
        return received == 0 && authorized == 0 && authFailures == 0 && refused == 0 && sessions == 0;
    }
}
