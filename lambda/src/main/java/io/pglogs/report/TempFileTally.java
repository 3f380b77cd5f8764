package io.pglogs.report;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.StatementFingerprint;
import java.util.Comparator;

/**
 * The Temp files section: totals exact; the statements that made them (the STATEMENT after the file's entry) in a
 * bounded {@link TopK}.
 */
final class TempFileTally {
    static final class Files implements TopK.Group<Files> {
        final String text;
        long count;
        long totalBytes;
        long maxBytes;
        String sample;

        Files(String text) {
            this.text = text;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public void merge(Files other) {
            count += other.count;
            totalBytes += other.totalBytes;
            maxBytes = Math.max(maxBytes, other.maxBytes);
            if (sample == null) {
                sample = other.sample;
            }
        }
    }

    final TopK<String, Files> groups;
    private final StatementFingerprint fingerprints = new StatementFingerprint();
    final HourCounts hours = new HourCounts();
    long count;
    long totalBytes;
    long maxBytes;

    TempFileTally(int capacity) {
        groups = new TopK<>(capacity);
    }

    /** Counts a temp_file entry; returns what charges it to the statement logged after it. */
    Companion add(LogRow row, long at) {
        long bytes = Rows.whole(row, ItemContract.TEMP_BYTES);
        count++;
        totalBytes += bytes;
        maxBytes = Math.max(maxBytes, bytes);
        hours.add(at);
        Companion charge = new Companion() {
            private boolean charged;

            @Override
            public void companion(String field, String text, String fingerprint) {
                if (!"STATEMENT".equals(field) || charged) {
                    return;
                }
                charged = true;
                String f = fingerprint != null ? fingerprint : fingerprints.of(text);
                TopK.Slot<String, Files> slot = groups.slot(f,
                        k -> new Files(fingerprints.normalise(text, 0, text.length())));
                Files files = slot.value();
                files.count++;
                files.totalBytes += bytes;
                files.maxBytes = Math.max(files.maxBytes, bytes);
                if (files.sample == null) {
                    files.sample = text;
                }
                groups.added(slot);
            }
        };
        Companion.folded(row.message(), charge);
        return charge;
    }

    void merge(TempFileTally o) {
        count += o.count;
        totalBytes += o.totalBytes;
        maxBytes = Math.max(maxBytes, o.maxBytes);
        hours.merge(o.hours);
        groups.merge(o.groups);
    }

    TempFiles build(int top) {
        return new TempFiles(count, totalBytes, maxBytes, groups.top(top,
                Comparator.<TopK.Slot<String, Files>>comparingLong(s -> -s.value().totalBytes)
                        .thenComparing(TopK.Slot::key)).stream()
                .map(s -> new TempFiles.Statement(s.key(), s.value().text, s.value().count, s.value().totalBytes,
                        s.value().maxBytes, s.value().sample)).toList(), groups.folded(), hours.hourly());
    }
}
