package io.pglogs.report;

import java.time.Instant;
import java.util.List;

/**
 * Checkpoints (and restartpoints) with log_checkpoints.
 *
 * @param started    checkpoint_starting entries
 * @param completed  checkpoint_complete entries
 * @param byCause    started per cause, most first: the words after {@code checkpoint starting:} ({@code time},
 *                   {@code immediate force wait}, {@code wal}, {@code shutdown immediate}, ...)
 * @param buffers    buffers written by the completed ones
 * @param writeS     their write seconds
 * @param syncS      their sync seconds
 * @param totalS     their total seconds
 * @param worst      the completed checkpoint with the longest total, or null
 * @param hourly     completed checkpoints per hour
 */
public record Checkpoints(long started, long completed, List<NameCount> byCause, long buffers, double writeS,
                          double syncS, double totalS, Run worst, Hourly hourly) {
    public record Run(Instant at, String instance, long buffers, double writeS, double syncS, double totalS) {
    }

    public boolean isEmpty() {
        return started == 0 && completed == 0;
    }
}
