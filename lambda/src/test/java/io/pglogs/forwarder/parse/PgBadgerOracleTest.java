package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.testing.Corpus;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * pgBadger (Debian's package, {@code pgbadger -x json}) reads the same stderr log of a real PostgreSQL 15 server as
 * pglogs, with the RDS prefix; the durations, statement groups and kind counts must agree. Where pglogs counts
 * otherwise on purpose, the assertion says how and docs/schema.md says why.
 */
@Tag("integration")
class PgBadgerOracleTest {
    private static final String LOG = "postgresql.log";
    /**
     * scripts/pg-corpus runs issue 27's secrets (bind parameters, auto_explain's literals) in a database of their own:
     * pgBadger groups those statements in ways of its own, so both sides leave that database out.
     */
    private static final String SECRETS_DB = "secretsdb";
    private static JsonNode badger;
    private static final List<Map<String, AttributeValue>> items = new ArrayList<>();

    @BeforeAll
    static void readBoth(@TempDir Path dir) throws IOException, InterruptedException {
        String corpus = System.getProperty("pglogs.corpus.dir", "");
        Path log = Path.of(corpus, LOG);
        assertTrue(!corpus.isBlank() && Files.isRegularFile(log), "needs the corpus scripts/pg-corpus made "
                + "(-Dpglogs.corpus.dir, as scripts/test passes): pgBadger reads the file itself");
        Path out = dir.resolve("pgbadger.json");
        Process p;
        try {
            p = new ProcessBuilder("pgbadger", "-q", "-j", "1", "-f", "stderr", "--prefix", "%t:%r:%u@%d:[%p]:",
                    "--exclude-db", SECRETS_DB, "-x", "json", "-o", out.toString(), log.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("pgbadger is not installed (scripts/setup-tools installs Debian's package)", e);
        }
        String said = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pgbadger did not finish");
        assertEquals(0, p.exitValue(), said);
        badger = new ObjectMapper().readTree(out.toFile());
        ItemFactory.ForSource factory = new ItemFactory(4, 90, null)
                .forSource(LogSource.of("/aws/rds/instance/db1/postgresql", "db1.0"));
        PostgresLogParser parser = new PostgresLogParser();
        int i = 0;
        for (LogFileSplitter.RawEntry raw : Corpus.fresh(LOG)) {
            Map<String, AttributeValue> item = factory.build("e" + i++, 0, parser.parse(raw.text())).item();
            AttributeValue database = item.get("database");
            if (database == null || !SECRETS_DB.equals(database.s())) {
                items.add(item);
            }
        }
    }

    private static List<Map<String, AttributeValue>> ofKind(String kind) {
        return items.stream().filter(e -> kind.equals(e.get("kind").s())).toList();
    }

    private static String message(Map<String, AttributeValue> e) {
        return e.get("message").s();
    }

    /** pgBadger keeps parse and bind durations apart ("prepare", "bind"); its queries are the rest. */
    private static boolean isPrepareOrBind(Map<String, AttributeValue> e) {
        String m = message(e);
        int at = m.indexOf(" ms  ");
        return at > 0 && (m.startsWith("parse ", at + 5) || m.startsWith("bind ", at + 5));
    }

    /**
     * What pgBadger calls queries: statements logged with their duration or by log_statement, auto_explain's too, and a
     * duration logged alone ({@code duration: X ms}, whose statement log_statement logged before it). pgBadger counts
     * such a duration as a query and in the total but in no statement's group; pglogs stores it as a
     * {@code statement_duration} without a fingerprint ({@code query --context 1} shows its statement).
     */
    private static List<Map<String, AttributeValue>> queries() {
        return items.stream().filter(e -> switch (e.get("kind").s()) {
            case EntryKind.STATEMENT_DURATION -> !isPrepareOrBind(e);
            case EntryKind.STATEMENT_LOG, EntryKind.AUTO_EXPLAIN -> true;
            default -> false;
        }).toList();
    }

    private static boolean isBareDuration(Map<String, AttributeValue> e) {
        return EntryKind.STATEMENT_DURATION.equals(e.get("kind").s()) && message(e).matches("duration: [0-9.]+ ms");
    }

    private static BigDecimal sum(List<Map<String, AttributeValue>> entries, String attribute) {
        return entries.stream().filter(e -> e.containsKey(attribute)).map(e -> new BigDecimal(e.get(attribute).n()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static JsonNode overall() {
        return badger.path("overall_stat").path("postgres");
    }

    @Test
    void durationsAgree() {
        List<Map<String, AttributeValue>> queries = queries();
        assertEquals(overall().path("queries_number").asInt(), queries.size(), "queries");
        JsonNode durations = overall().path("queries_duration");
        BigDecimal total = sum(queries, "duration_ms");
        assertEquals(0, durations.path("execute").decimalValue().compareTo(total),
                "total duration of the queries: pgBadger " + durations.path("execute") + ", pglogs " + total);
        List<Map<String, AttributeValue>> parse = ofKind(EntryKind.STATEMENT_DURATION).stream()
                .filter(e -> message(e).contains(" ms  parse ")).toList();
        List<Map<String, AttributeValue>> bind = ofKind(EntryKind.STATEMENT_DURATION).stream()
                .filter(e -> message(e).contains(" ms  bind ")).toList();
        assertEquals(0, durations.path("prepare").decimalValue().compareTo(sum(parse, "duration_ms")));
        assertEquals(0, durations.path("bind").decimalValue().compareTo(sum(bind, "duration_ms")));
        assertFalse(parse.isEmpty());
        assertFalse(bind.isEmpty());
    }

    /**
     * pgBadger groups queries by its normalised text, pglogs by fingerprint: the groups must be the same, compared as
     * the sorted list of (count, total duration) of each group, and as many. On purpose, pglogs folds every form of
     * literal where pgBadger folds only {@code '...'}: its {@code e?}, {@code u&?} and dollar-quoted strings are
     * folded here too before its groups are compared (the corpus's ALTER ROLE ... PASSWORD in each form is then one
     * statement, as it is in pglogs).
     */
    @Test
    void statementGroupsAgree() {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> durations = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = badger.path("normalyzed_info").path("postgres").fields();
             it.hasNext(); ) {
            Map.Entry<String, JsonNode> q = it.next();
            if (q.getValue().path("count").asInt() > 0) {
                String key = q.getKey().replaceAll("\\$(\\w*)\\$.*?\\$\\1\\$", "?").replaceAll("\\b(e|u&)\\?", "?");
                counts.computeIfAbsent(key, k -> new long[1])[0] += q.getValue().path("count").asInt();
                durations.merge(key, q.getValue().path("duration").decimalValue(), BigDecimal::add);
            }
        }
        List<String> theirs = new ArrayList<>();
        for (String key : counts.keySet()) {
            theirs.add(counts.get(key)[0] + " x " + durations.get(key).stripTrailingZeros().toPlainString());
        }
        Map<String, List<Map<String, AttributeValue>>> byFingerprint = new HashMap<>();
        for (Map<String, AttributeValue> q : queries()) {
            if (isBareDuration(q)) {
                assertNull(q.get("fingerprint"));
                continue;
            }
            assertNotNull(q.get("fingerprint"), () -> "no fingerprint: " + message(q));
            byFingerprint.computeIfAbsent(q.get("fingerprint").s(), k -> new ArrayList<>()).add(q);
        }
        List<String> ours = new ArrayList<>();
        for (List<Map<String, AttributeValue>> group : byFingerprint.values()) {
            ours.add(group.size() + " x " + sum(group, "duration_ms").stripTrailingZeros().toPlainString());
        }
        theirs.sort(null);
        ours.sort(null);
        assertEquals(theirs, ours);
    }

    @Test
    void kindCountsAgree() {
        assertEquals(badger.path("tempfile_info").path("postgres").path("count").asInt(),
                ofKind(EntryKind.TEMP_FILE).size(), "temp files");
        assertEquals(badger.path("tempfile_info").path("postgres").path("size").asLong(),
                sum(ofKind(EntryKind.TEMP_FILE), "temp_bytes").longValueExact(), "temp file bytes");
        JsonNode checkpoints = badger.path("checkpoint_info");
        int starting = 0;
        for (Iterator<JsonNode> it = checkpoints.path("starting").elements(); it.hasNext(); ) {
            starting += it.next().asInt();
        }
        assertEquals(starting, ofKind(EntryKind.CHECKPOINT_STARTING).size(), "checkpoints starting");
        List<Map<String, AttributeValue>> complete = ofKind(EntryKind.CHECKPOINT_COMPLETE);
        assertEquals(checkpoints.path("wbuffer").asLong(), sum(complete, "checkpoint_buffers").longValueExact(),
                "buffers written by checkpoints");
        for (String[] s : new String[][] {{"write", "checkpoint_write_s"}, {"sync", "checkpoint_sync_s"},
                {"total", "checkpoint_total_s"}}) {
            assertEquals(0, checkpoints.path(s[0]).decimalValue().compareTo(sum(complete, s[1])), s[0]);
        }
        JsonNode sessions = badger.path("session_info").path("postgres");
        assertEquals(sessions.path("count").asInt(), ofKind(EntryKind.DISCONNECTION).size(), "sessions");
        assertEquals(sessions.path("duration").asLong(), sum(ofKind(EntryKind.DISCONNECTION), "session_ms")
                .longValueExact(), "session time, ms");
        assertEquals(badger.path("autovacuum_info").path("postgres").path("count").asInt(),
                ofKind(EntryKind.AUTOVACUUM).size(), "autovacuums");
        int analyzes = 0;
        for (Iterator<JsonNode> it = badger.path("autoanalyze_info").path("postgres").path("tables").elements();
             it.hasNext(); ) {
            analyzes += it.next().path("analyzes").asInt();
        }
        assertEquals(analyzes, ofKind(EntryKind.AUTOANALYZE).size(), "autoanalyzes");
        Map<String, Integer> vacuumed = new TreeMap<>();
        ofKind(EntryKind.AUTOVACUUM).forEach(e -> vacuumed.merge(e.get("relation").s(), 1, Integer::sum));
        Map<String, Integer> theirTables = new TreeMap<>();
        badger.path("autovacuum_info").path("postgres").path("tables").fields()
                .forEachRemaining(f -> theirTables.put(f.getKey(), f.getValue().path("vacuums").asInt()));
        assertEquals(theirTables, vacuumed, "vacuumed tables");
        // pgBadger leaves out "replication connection authorized"; pglogs counts replication connections too.
        long replication = ofKind(EntryKind.CONNECTION_AUTHORIZED).stream()
                .filter(e -> message(e).startsWith("replication connection authorized: ")).count();
        assertEquals(1, replication);
        assertEquals(badger.path("connection_info").path("postgres").path("count").asInt(),
                ofKind(EntryKind.CONNECTION_AUTHORIZED).size() - replication, "connections");
        assertEquals(errorCount("ERROR:  deadlock detected"), ofKind(EntryKind.DEADLOCK).size(), "deadlocks");
        assertEquals(errorCount("ERROR:  canceling statement due to user request"), ofKind(EntryKind.CANCEL).size());
        assertEquals(errorCount("FATAL:  terminating connection due to administrator command"),
                ofKind(EntryKind.TERMINATE).size());
        assertEquals(errorCount("FATAL:  sorry, too many clients already"), ofKind(EntryKind.TOO_MANY_CONNECTIONS)
                .size());
    }

    private static int errorCount(String key) {
        JsonNode e = badger.path("error_info").path("postgres").path(key);
        assertFalse(e.isMissingNode(), () -> "pgBadger has no error " + key + "; it has "
                + iterable(badger.path("error_info").path("postgres").fieldNames()));
        return e.path("count").asInt();
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
