package io.pglogs.forwarder.parse;

/**
 * What an entry is and the numbers it carries, as {@link EntryClassifier} reads them from its message. Numbers are
 * kept as the decimal text PostgreSQL printed (DynamoDB numbers, exact); absent ones are null.
 *
 * @param kind              one of {@link EntryKind#ALL}
 * @param durationMs        {@code duration: X ms}
 * @param fingerprint       {@link StatementFingerprint} of the entry's statement
 * @param sqlstateClass     the SQLSTATE's first two characters: logged (csvlog, jsonlog, %e) or read from the message
 * @param tempBytes         a temporary file's size
 * @param waitMs            how long a lock was waited for so far ({@code after X ms})
 * @param sessionMs         a session's time at disconnection, in milliseconds
 * @param relation          the table autovacuum or autoanalyze worked on, {@code db.schema.table}
 * @param checkpointBuffers buffers a checkpoint wrote
 * @param checkpointWriteS  its write, sync and total seconds
 */
public record EntryFacts(
        String kind,
        String durationMs,
        String fingerprint,
        String sqlstateClass,
        String tempBytes,
        String waitMs,
        String sessionMs,
        String relation,
        String checkpointBuffers,
        String checkpointWriteS,
        String checkpointSyncS,
        String checkpointTotalS) {

    static EntryFacts of(String kind) {
        return new EntryFacts(kind, null, null, null, null, null, null, null, null, null, null, null);
    }
}
