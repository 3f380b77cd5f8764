package io.pglogs.report;

import java.util.List;

/**
 * Temporary files (log_temp_files): {@code temp_file} entries.
 *
 * @param count       files
 * @param totalBytes  their total size
 * @param maxBytes    the largest
 * @param byStatement the statements that made them (their STATEMENT), the top by total size; a file whose statement
 *                    was not logged counts in the totals only
 * @param folded      what the bounded table folded
 * @param hourly      files per hour
 */
public record TempFiles(long count, long totalBytes, long maxBytes, List<Statement> byStatement, Folded folded,
                        Hourly hourly) {
    /** @param text the normalised statement, @param sample one as stored */
    public record Statement(String fingerprint, String text, long count, long totalBytes, long maxBytes,
                            String sample) {
    }

    public boolean isEmpty() {
        return count == 0;
    }
}
