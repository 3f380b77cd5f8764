package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.testing.Corpus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every kind of docs/schema.md "Kinds" in the stderr, csvlog and jsonlog logs of a real PostgreSQL 15 server
 * (scripts/pg-corpus, which makes each happen: a deadlock, lock waits, temp files, checkpoints, autovacuum,
 * connections, a wrong password, max_connections exhausted, pg_cancel_backend, pg_terminate_backend, auto_explain, a
 * replication command, a crash and its recovery), with the numbers each carries. What each kind means is said here a
 * second time, independently, as patterns over PostgreSQL's message texts: an entry of a kind must match its pattern,
 * an entry matching a pattern must have that kind, and an entry matching none is {@code other} (or the plain
 * error/fatal of its severity), never a wrong kind.
 */
@Tag("integration")
class KindCorpusTest {
    /** Kinds the corpus cannot make cheaply on a test machine; checked by KindTest on PostgreSQL's message texts. */
    private static final Set<String> NOT_IN_CORPUS = Set.of(EntryKind.PANIC, EntryKind.OUT_OF_MEMORY);

    /** kind: severities and the message's start, from PostgreSQL 15's source (elog/ereport texts). */
    private static final Map<String, Pattern> PATTERNS = new LinkedHashMap<>();

    static {
        PATTERNS.put(EntryKind.STATEMENT_DURATION,
                Pattern.compile("LOG:duration: \\d+\\.\\d{3} ms(  (statement|execute|bind|parse) .*|  statement: .*|$)", Pattern.DOTALL));
        PATTERNS.put(EntryKind.STATEMENT_LOG, Pattern.compile("LOG:(statement: |execute [^:]+: ).*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.AUTO_EXPLAIN, Pattern.compile("LOG:duration: \\d+\\.\\d{3} ms  plan:\n.*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.DEADLOCK, Pattern.compile("ERROR:deadlock detected.*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.LOCK_WAIT, Pattern.compile(
                "LOG:process \\d+ (still waiting for|detected deadlock while waiting for) .* after \\d+\\.\\d{3} ms.*",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.LOCK_ACQUIRED, Pattern.compile("LOG:process \\d+ acquired .* after \\d+\\.\\d{3} ms.*",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.TEMP_FILE, Pattern.compile("LOG:temporary file: path \".*\", size \\d+.*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.CHECKPOINT_STARTING, Pattern.compile("LOG:checkpoint starting: .*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.CHECKPOINT_COMPLETE, Pattern.compile("LOG:checkpoint complete: wrote \\d+ buffers .*",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.AUTOVACUUM, Pattern.compile(
                "LOG:automatic (aggressive )?vacuum (to prevent wraparound )?of table \".*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.AUTOANALYZE, Pattern.compile("LOG:automatic analyze of table \".*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.CONNECTION_RECEIVED, Pattern.compile("LOG:connection received: host=.*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.CONNECTION_AUTHORIZED, Pattern.compile(
                "LOG:(replication )?connection (authorized|authenticated): .*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.DISCONNECTION, Pattern.compile("LOG:disconnection: session time: \\d+:\\d\\d:\\d\\d\\.\\d{3} .*",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.AUTHENTICATION_FAILED, Pattern.compile(
                "FATAL:(password authentication failed for user \".*\"|no pg_hba.conf entry .*|role \"[^\"]*\" does not exist)(\n.*)?",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.TOO_MANY_CONNECTIONS, Pattern.compile(
                "FATAL:(sorry, too many clients already|remaining connection slots are reserved .*|too many connections for .*)(\n.*)?",
                Pattern.DOTALL));
        PATTERNS.put(EntryKind.CANCEL, Pattern.compile("ERROR:canceling statement due to .*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.TERMINATE, Pattern.compile("FATAL:terminating connection due to .*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.SERVER_START, Pattern.compile(
                "LOG:(starting PostgreSQL 15|listening on |database system is ready to accept connections"
                        + "|database system was shut down at ).*", Pattern.DOTALL));
        PATTERNS.put(EntryKind.SERVER_SHUTDOWN, Pattern.compile(
                "LOG:(received fast shutdown request|aborting any active transactions|shutting down|database system is shut down)"));
        PATTERNS.put(EntryKind.CRASH_RECOVERY, Pattern.compile(
                "WARNING:terminating connection because of crash of another server process(\n.*)?|LOG:(server process \\(PID \\d+\\) was terminated by signal 9: Killed|terminating any other active server "
                        + "processes|all server processes terminated; reinitializing|database system was interrupted; .*"
                        + "|database system was not properly shut down; automatic recovery in progress|redo (starts|done) at .*)"
                        + "(\n.*)?", Pattern.DOTALL));
        PATTERNS.put(EntryKind.REPLICATION, Pattern.compile("LOG:received replication command: .*", Pattern.DOTALL));
    }

    private final ItemFactory.ForSource items = new ItemFactory(4, 90, new Redactor())
            .forSource(LogSource.of("/aws/rds/instance/db1/postgresql", "db1.0"));
    private final PostgresLogParser parser = new PostgresLogParser();

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "postgresql.csv", "postgresql.json", "pg16prefix.log"})
    void everyKindIsFoundWithItsNumbers(String file) {
        Map<String, List<Map<String, AttributeValue>>> byKind = new TreeMap<>();
        int i = 0;
        for (LogFileSplitter.RawEntry raw : Corpus.fresh(file)) {
            LogEntry entry = parser.parse(raw.text());
            Map<String, AttributeValue> item = items.build("id" + i++, 0, entry).item();
            String kind = item.get("kind").s();
            assertTrue(EntryKind.isKnown(kind), kind);
            byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(item);
            String text = entry.severity() + ":" + item.get("message").s();
            String expected = expectedKind(entry.severity(), text);
            assertEquals(expected, kind, () -> file + ": " + text);
        }
        for (String kind : EntryKind.ALL) {
            if (!NOT_IN_CORPUS.contains(kind)) {
                assertTrue(byKind.containsKey(kind), () -> file + " has no entry of kind " + kind + "; it has "
                        + byKind.keySet());
            }
        }
        for (Map<String, AttributeValue> e : byKind.get(EntryKind.STATEMENT_DURATION)) {
            assertTrue(Double.parseDouble(e.get("duration_ms").n()) >= 0, e.toString());
        }
        assertTrue(byKind.get(EntryKind.STATEMENT_DURATION).stream().anyMatch(e -> e.containsKey("fingerprint")));
        // pgbench -M prepared: parse, bind and execute of one statement with three values share one fingerprint.
        assertEquals(1, byKind.get(EntryKind.STATEMENT_DURATION).stream()
                .filter(e -> e.get("message").s().contains("FROM accounts WHERE id = $1"))
                .map(e -> e.get("fingerprint").s()).distinct().count());
        // The plan of the accounts lookup by id (the corpus also holds issue 27's plan of a literal owner).
        Map<String, AttributeValue> explain = byKind.get(EntryKind.AUTO_EXPLAIN).stream()
                .filter(e -> e.get("message").s().contains("FROM accounts WHERE id =")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " has no auto_explain plan of the accounts lookup by id"));
        assertNotNull(explain.get("duration_ms"));
        assertEquals(new StatementFingerprint().of("SELECT owner FROM accounts WHERE id = 7"),
                explain.get("fingerprint").s(), "auto_explain's Query Text, another literal");
        assertTrue(byKind.get(EntryKind.TEMP_FILE).stream().allMatch(e -> Long.parseLong(e.get("temp_bytes").n()) > 0));
        for (Map<String, AttributeValue> e : byKind.get(EntryKind.CHECKPOINT_COMPLETE)) {
            assertNotNull(e.get("checkpoint_buffers"), e.toString());
            assertNotNull(e.get("checkpoint_write_s"), e.toString());
            assertNotNull(e.get("checkpoint_sync_s"), e.toString());
            assertTrue(Double.parseDouble(e.get("checkpoint_total_s").n()) >= Double.parseDouble(
                    e.get("checkpoint_write_s").n()), e.toString());
        }
        assertTrue(byKind.get(EntryKind.CHECKPOINT_COMPLETE).stream()
                .anyMatch(e -> Long.parseLong(e.get("checkpoint_buffers").n()) > 0));
        assertTrue(byKind.get(EntryKind.DISCONNECTION).stream().allMatch(e -> e.containsKey("session_ms")));
        // The sleeping sessions that held every connection slot lived over a second.
        assertTrue(byKind.get(EntryKind.DISCONNECTION).stream()
                .anyMatch(e -> Long.parseLong(e.get("session_ms").n()) >= 1_000));
        assertTrue(byKind.get(EntryKind.AUTOVACUUM).stream()
                .anyMatch(e -> "appdb.public.churn".equals(e.get("relation").s())));
        assertTrue(byKind.get(EntryKind.AUTOANALYZE).stream().allMatch(e -> e.containsKey("relation")));
        for (String lock : List.of(EntryKind.LOCK_WAIT, EntryKind.LOCK_ACQUIRED)) {
            assertTrue(byKind.get(lock).stream().allMatch(e -> Double.parseDouble(e.get("wait_ms").n()) >= 200),
                    lock + " waited past deadlock_timeout (200ms)");
        }
        // SQLSTATE classes: logged by csvlog, jsonlog and %e; read from the message text in the RDS default prefix.
        assertEquals("40", byKind.get(EntryKind.DEADLOCK).get(0).get("sqlstate_class").s());
        assertEquals("57", byKind.get(EntryKind.CANCEL).get(0).get("sqlstate_class").s());
        assertEquals("57", byKind.get(EntryKind.TERMINATE).get(0).get("sqlstate_class").s());
        assertEquals("53", byKind.get(EntryKind.TOO_MANY_CONNECTIONS).get(0).get("sqlstate_class").s());
        assertTrue(byKind.get(EntryKind.AUTHENTICATION_FAILED).stream()
                .allMatch(e -> "28".equals(e.get("sqlstate_class").s())));
        assertTrue(byKind.get(EntryKind.ERROR).stream().anyMatch(e -> e.get("message").s()
                .startsWith("duplicate key value") && "23".equals(e.get("sqlstate_class").s())));
        assertTrue(byKind.get(EntryKind.ERROR).stream().anyMatch(e -> e.get("message").s()
                .startsWith("division by zero") && "22".equals(e.get("sqlstate_class").s())));
        // An error's statement has a fingerprint: on the STATEMENT line in stderr, on the error itself in csv/json.
        String divide = new StatementFingerprint().of("SELECT 5 / 0;");
        assertTrue(byKind.values().stream().flatMap(List::stream)
                .anyMatch(e -> divide.equals(e.get("fingerprint") == null ? null : e.get("fingerprint").s())),
                "SELECT 1 / 0's fingerprint");
    }

    /** The kind the patterns above give; error/fatal/panic for the other failures, else other. */
    static String expectedKind(String severity, String text) {
        String firstLines = text;
        for (Map.Entry<String, Pattern> p : PATTERNS.entrySet()) {
            if (p.getValue().matcher(firstLines).matches()) {
                return p.getKey();
            }
        }
        return switch (severity) {
            case "ERROR" -> EntryKind.ERROR;
            case "FATAL" -> EntryKind.FATAL;
            case "PANIC" -> EntryKind.PANIC;
            default -> EntryKind.OTHER;
        };
    }
}
