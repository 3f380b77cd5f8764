package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The Checkpoints section. */
final class CheckpointTally {
    final HourCounts hours = new HourCounts();
    final Map<String, long[]> causes = new HashMap<>();
    long started;
    long completed;
    long buffers;
    /** Thousandths of seconds: PostgreSQL prints them to the millisecond, so sums in them are exact. */
    long writeMs;
    long syncMs;
    long totalMs;
    Checkpoints.Run worst;

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

    /** Adds what {@code o} counted, its entries coming after these (the first of equally long stays the worst). */
    void merge(CheckpointTally o) {
        hours.merge(o.hours);
        ReportBuilder.add(causes, o.causes);
        started += o.started;
        completed += o.completed;
        buffers += o.buffers;
        writeMs += o.writeMs;
        syncMs += o.syncMs;
        totalMs += o.totalMs;
        worst(o.worst);
    }

    /** Takes {@code run} as the worst if it is longer, or as long and earlier. */
    void worst(Checkpoints.Run run) {
        if (run != null && (worst == null || run.totalS() > worst.totalS()
                || run.totalS() == worst.totalS() && run.at().isBefore(worst.at()))) {
            worst = run;
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
