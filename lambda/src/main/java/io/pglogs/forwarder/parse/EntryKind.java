package io.pglogs.forwarder.parse;

import java.util.List;

/**
 * The closed vocabulary of the stored attribute {@code kind} (docs/schema.md "Kinds"): what an entry is, read from
 * PostgreSQL's own message texts (its source is the reference), named as pgBadger's and pganalyze's reports name
 * them. Every entry gets exactly one; an entry none of these describes is {@link #OTHER}, never a guess.
 */
public final class EntryKind {
    private EntryKind() {
    }

    /** {@code duration: X ms  statement: ...} (or execute, bind, parse; or the duration alone): log_min_duration_statement, log_duration. */
    public static final String STATEMENT_DURATION = "statement_duration";
    /** {@code statement: ...}, {@code execute <name>: ...} without a duration: log_statement. */
    public static final String STATEMENT_LOG = "statement_log";
    /** auto_explain's {@code duration: X ms  plan:}. */
    public static final String AUTO_EXPLAIN = "auto_explain";
    /** An ERROR none of the kinds below names. */
    public static final String ERROR = "error";
    /** A FATAL none of the kinds below names. */
    public static final String FATAL = "fatal";
    public static final String PANIC = "panic";
    /** ERROR {@code deadlock detected}: one per deadlock. */
    public static final String DEADLOCK = "deadlock";
    /** {@code process N still waiting for L on O after X ms} (log_lock_waits), and {@code detected deadlock while waiting}. */
    public static final String LOCK_WAIT = "lock_wait";
    /** {@code process N acquired L on O after X ms}. */
    public static final String LOCK_ACQUIRED = "lock_acquired";
    /** {@code temporary file: path "...", size N} (log_temp_files). */
    public static final String TEMP_FILE = "temp_file";
    public static final String CHECKPOINT_STARTING = "checkpoint_starting";
    public static final String CHECKPOINT_COMPLETE = "checkpoint_complete";
    /** {@code automatic [aggressive ]vacuum [to prevent wraparound ]of table "db.schema.table"}. */
    public static final String AUTOVACUUM = "autovacuum";
    /** {@code automatic analyze of table "db.schema.table"}. */
    public static final String AUTOANALYZE = "autoanalyze";
    public static final String CONNECTION_RECEIVED = "connection_received";
    /** {@code connection authorized}, {@code replication connection authorized}, {@code connection authenticated}. */
    public static final String CONNECTION_AUTHORIZED = "connection_authorized";
    /** {@code disconnection: session time: H:MM:SS.mmm ...} (log_disconnections). */
    public static final String DISCONNECTION = "disconnection";
    /** {@code password authentication failed}, {@code no pg_hba.conf entry}, a role that does not exist, ... */
    public static final String AUTHENTICATION_FAILED = "authentication_failed";
    /** {@code sorry, too many clients already}, reserved slots, a role's or database's connection limit. */
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
    /** {@code canceling statement due to ...} (pg_cancel_backend, statement or lock timeout), {@code canceling autovacuum task}. */
    public static final String CANCEL = "cancel";
    /** {@code terminating connection due to administrator command} (pg_terminate_backend) or a timeout. */
    public static final String TERMINATE = "terminate";
    public static final String SERVER_START = "server_start";
    public static final String SERVER_SHUTDOWN = "server_shutdown";
    /** A server process killed or failed, the others ended, the cluster recovered from WAL. */
    public static final String CRASH_RECOVERY = "crash_recovery";
    public static final String OUT_OF_MEMORY = "out_of_memory";
    /** WAL sender and receiver, replication commands, logical decoding and replication workers. */
    public static final String REPLICATION = "replication";
    public static final String OTHER = "other";

    /** Every kind, in the order docs/schema.md lists them. */
    public static final List<String> ALL = List.of(STATEMENT_DURATION, STATEMENT_LOG, AUTO_EXPLAIN, ERROR, FATAL, PANIC,
            DEADLOCK, LOCK_WAIT, LOCK_ACQUIRED, TEMP_FILE, CHECKPOINT_STARTING, CHECKPOINT_COMPLETE, AUTOVACUUM,
            AUTOANALYZE, CONNECTION_RECEIVED, CONNECTION_AUTHORIZED, DISCONNECTION, AUTHENTICATION_FAILED,
            TOO_MANY_CONNECTIONS, CANCEL, TERMINATE, SERVER_START, SERVER_SHUTDOWN, CRASH_RECOVERY, OUT_OF_MEMORY,
            REPLICATION, OTHER);

    /**
     * The kinds that fill a busy server's log. A compact item's {@code kinds} leaves them out: nearly every item would
     * list them, a filter on them could skip almost nothing, and the names would take a tenth of every item.
     */
    public static final java.util.Set<String> ROUTINE = java.util.Set.of(STATEMENT_DURATION, STATEMENT_LOG,
            CONNECTION_RECEIVED, CONNECTION_AUTHORIZED, DISCONNECTION, OTHER);

    public static boolean isKnown(String kind) {
        return ALL.contains(kind);
    }
}
