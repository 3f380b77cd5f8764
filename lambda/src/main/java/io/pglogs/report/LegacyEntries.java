package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.EntryClassifier;
import io.pglogs.forwarder.parse.EntryFacts;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entries stored before the forwarder derived kinds (entries-format items without {@code kind}, kept as long as the
 * table's TTL): classified here as the forwarder would now, with its own {@link EntryClassifier}, as the compact
 * reader does for packed entries, so they land in their sections rather than in {@code other}.
 */
final class LegacyEntries {
    private final EntryClassifier classifier = new EntryClassifier();
    private long reclassified;

    /** {@code row} with the derived attributes when it has no kind but a message; otherwise {@code row} itself. */
    LogRow classify(LogRow row) {
        if (row.text(ItemContract.KIND) != null || row.message() == null) {
            return row;
        }
        EntryFacts f = classifier.classify(row.severity(), row.text(ItemContract.SQLSTATE), row.message());
        Map<String, Object> a = new LinkedHashMap<>(row.attributes());
        a.put(ItemContract.KIND, f.kind());
        text(a, ItemContract.FINGERPRINT, f.fingerprint());
        text(a, ItemContract.SQLSTATE_CLASS, f.sqlstateClass());
        text(a, ItemContract.RELATION, f.relation());
        number(a, ItemContract.DURATION_MS, f.durationMs());
        number(a, ItemContract.TEMP_BYTES, f.tempBytes());
        number(a, ItemContract.WAIT_MS, f.waitMs());
        number(a, ItemContract.SESSION_MS, f.sessionMs());
        number(a, ItemContract.CHECKPOINT_BUFFERS, f.checkpointBuffers());
        number(a, ItemContract.CHECKPOINT_WRITE_S, f.checkpointWriteS());
        number(a, ItemContract.CHECKPOINT_SYNC_S, f.checkpointSyncS());
        number(a, ItemContract.CHECKPOINT_TOTAL_S, f.checkpointTotalS());
        reclassified++;
        return new LogRow(row.sortKey(), a);
    }

    void merge(LegacyEntries other) {
        reclassified += other.reclassified;
    }

    void reclassified(long n) {
        reclassified = n;
    }

    long reclassified() {
        return reclassified;
    }

    private static void text(Map<String, Object> a, String name, String value) {
        if (value != null) {
            a.putIfAbsent(name, value);
        }
    }

    /** As LogRow reads stored numbers: whole ones as Long, the others as BigDecimal. */
    private static void number(Map<String, Object> a, String name, String value) {
        if (value != null) {
            BigDecimal n = new BigDecimal(value);
            a.putIfAbsent(name, n.scale() <= 0 && n.precision() - n.scale() < 19 && value.indexOf('.') < 0
                    ? (Object) n.longValueExact() : n);
        }
    }
}
