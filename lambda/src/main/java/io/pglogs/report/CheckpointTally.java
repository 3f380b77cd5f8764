package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The Checkpoints section. */
final class CheckpointTally {
    private final HourCounts hours = new HourCounts();
    private final Map<String, long[]> causes = new HashMap<>();
    private long started;
    private long completed;
    private long buffers;
    /** Thousandths of seconds: PostgreSQL prints them to the millisecond, so sums in them are exact. */
    private long writeMs;
    private long syncMs;
    private long totalMs;
    private Checkpoints.Run worst;

    void add(LogRow row, String kind, long at) {
        if (EntryKind.CHECKPOINT_STARTING.equals(kind)) {
            started++;
            causes.computeIfAbsent(cause(Rows.firstLine(row.message())), k -> new long[1])[0]++;
            return;
        }
        completed++;
        hours.add(at);
        long b = Rows.whole(row, ItemContract.CHECKPOINT_BUFFERS);
        double w = Rows.decimal(row, ItemContract.CHECKPOINT_WRITE_S);
        double s = Rows.decimal(row, ItemContract.CHECKPOINT_SYNC_S);
        double t = Rows.decimal(row, ItemContract.CHECKPOINT_TOTAL_S);
        buffers += b;
        writeMs += Rows.micros(w);
        syncMs += Rows.micros(s);
        totalMs += Rows.micros(t);
        if (worst == null || t > worst.totalS()) {
            worst = new Checkpoints.Run(Instant.ofEpochMilli(at), row.instance(), b, w, s, t);
        }
    }

    /** {@code checkpoint starting: immediate force wait} → {@code immediate force wait}. */
    static String cause(String message) {
        int colon = message.indexOf(": ");
        return colon < 0 ? "" : message.substring(colon + 2).trim();
    }

    Checkpoints build() {
        return new Checkpoints(started, completed, NameCounts.of(causes), buffers, writeMs / 1000.0, syncMs / 1000.0,
                totalMs / 1000.0, worst,
                hours.hourly());
    }
}
