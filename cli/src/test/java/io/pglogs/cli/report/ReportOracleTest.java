package io.pglogs.cli.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.TestCli;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.report.ErrorMessages;
import io.pglogs.report.Rows;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The correctness oracle of {@code pglogs report}: pgBadger ({@code pgbadger -x json}, Debian's package) reads a
 * stderr log of a real PostgreSQL 15 server (scripts/pg-corpus); {@code pglogs import} loads the same file into moto
 * through the forwarder's code, in each storage format, and {@code pglogs report -o json} reads it back. Both must agree
 * on statements, errors, temp files, checkpoints, vacuum and connections; where pglogs counts otherwise on purpose, the
 * assertion says how and docs/report.md says why.
 */
@Tag("integration")
class ReportOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * scripts/pg-corpus runs issue 27's secrets in a database of their own, whose statements pgBadger groups in ways
     * of its own (PgBadgerOracleTest): the file both read is the corpus without that database's entries.
     */
    private static final String SECRETS_DB = "secretsdb";
    private static final String INSTANCE = "oracle-db";
    /** pgBadger's -f for each of scripts/pg-corpus's files. */
    private static final Map<String, String> BADGER_FORMATS = Map.of("postgresql.log", "stderr",
            "postgresql.csv", "csv", "postgresql.json", "jsonlog");
    private static final Map<String, Path> LOGS = new HashMap<>();
    private static final Map<String, JsonNode> BADGER = new HashMap<>();
    private static final Map<String, Instant[]> SPANS = new HashMap<>();
    private static final Map<String, List<LogEntry>> ENTRIES = new HashMap<>();
    private static List<LogEntry> entries;
    private static JsonNode badger;
    private static Path log;
    private static Instant first;
    private static Instant last;
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    @org.junit.jupiter.api.io.TempDir
    static Path dir;

    @BeforeAll
    static void moto() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    /** The corpus file without the secrets database, read by pgBadger (once per file). */
    private static void use(String file) throws IOException, InterruptedException {
        if (!LOGS.containsKey(file)) {
            readWithPgBadger(file);
        }
        log = LOGS.get(file);
        badger = BADGER.get(file);
        entries = ENTRIES.get(file);
        first = SPANS.get(file)[0];
        last = SPANS.get(file)[1];
    }

    private static void readWithPgBadger(String file) throws IOException, InterruptedException {
        String corpus = System.getProperty("pglogs.corpus.dir", "");
        assertTrue(!corpus.isBlank() && Files.isRegularFile(Path.of(corpus, file)), "needs the corpus "
                + "scripts/pg-corpus made (-Dpglogs.corpus.dir, as scripts/test passes): pgBadger reads the file");
        PostgresLogParser parser = new PostgresLogParser();
        StringBuilder kept = new StringBuilder();
        List<LogEntry> parsed = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (LogFileSplitter.RawEntry raw : Corpus.fresh(file)) {
            LogEntry e = parser.parse(raw.text());
            if (SECRETS_DB.equals(e.database())) {
                continue;
            }
            if (e.timestamp() != null) {
                first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
                last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
            }
            kept.append(raw.text()).append('\n');
            parsed.add(e);
        }
        Path log = dir.resolve(file);
        Files.writeString(log, kept, StandardCharsets.UTF_8);
        Path out = dir.resolve(file + ".pgbadger.json");
        List<String> command = new ArrayList<>(List.of("pgbadger", "-q", "-j", "1", "-f", BADGER_FORMATS.get(file)));
        if (file.endsWith(".log")) {
            command.addAll(List.of("--prefix", "%t:%r:%u@%d:[%p]:"));
        }
        command.addAll(List.of("-x", "json", "-o", out.toString(), log.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pgbadger did not finish");
        assertEquals(0, p.exitValue(), said);
        LOGS.put(file, log);
        BADGER.put(file, JSON.readTree(out.toFile()));
        SPANS.put(file, new Instant[] {first, last});
        ENTRIES.put(file, parsed);
    }

    /** The file imported into a new table of the format, then the report of its whole window as JSON. */
    private static JsonNode report(String format) throws IOException {
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "report")
                : LogTables.create(ddb, "report");
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        TestCli.Result imported = cli.run("import", "--instance", INSTANCE, log.toString());
        assertEquals(0, imported.code(), imported.toString());
        TestCli.Result r = cli.run("report", "--instance", INSTANCE, "--since", first.minusSeconds(60).toString(),
                "--until", last.plusSeconds(60).toString(), "--top", "100", "--max-fingerprints", "10000",
                "-o", "json");
        assertEquals(0, r.code(), r.toString());
        text = cli.run("report", "--instance", INSTANCE, "--since", first.minusSeconds(60).toString(),
                "--until", last.plusSeconds(60).toString());
        System.out.println(r.out());
        return JSON.readTree(r.out());
    }

    private static TestCli.Result text;

    private static JsonNode overall() {
        return badger.path("overall_stat").path("postgres");
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.decimalValue().stripTrailingZeros();
    }

    @ParameterizedTest(name = "{0} stored as {1}")
    @CsvSource({"postgresql.log, entries", "postgresql.log, compact", "postgresql.csv, entries",
            "postgresql.csv, compact", "postgresql.json, entries", "postgresql.json, compact"})
    void agreesWithPgBadger(String file, String format) throws IOException, InterruptedException {
        use(file);
        JsonNode report = report(format);
        statements(report.path("statements"), file);
        errors(report.path("errors"));
        tempFiles(report.path("temp_files"));
        checkpoints(report.path("checkpoints"));
        vacuums(report.path("vacuums"));
        connections(report.path("connections"));
        System.out.println(text);
        assertEquals(0, text.code(), text.toString());
        for (String section : List.of("Overview", "Statements", "Errors", "Locks", "Temp files", "Checkpoints",
                "Vacuum and analyze", "Connections and sessions")) {
            assertTrue(text.out().contains("\n" + section + "  "), () -> section + " missing:\n" + text.out());
        }
        assertFalse(text.out().contains("\u001b"), "no colour or escape sequence without a terminal");
    }

    /**
     * Runs and total time as pgBadger counts queries (its execute total; parse and bind apart), and each normalised
     * statement's count and total: the groups compared as the sorted list of "count x total", since pgBadger keys them by
     * its normalised text and pglogs by fingerprint. pglogs folds every form of literal where pgBadger folds only
     * '...': its e?, u&? and dollar-quoted strings are folded here too (docs/schema.md).
     */
    private static void statements(JsonNode s, String file) {
        assertEquals(overall().path("queries_number").asLong(), s.path("count").asLong(), "runs");
        JsonNode durations = overall().path("queries_duration");
        if (file.endsWith(".csv")) {
            // pgBadger's csvlog quirk gives a statement logged without a duration the duration some other process
            // logged before it, and which statements it hits depends on how the server's processes interleave: the
            // same workload gave one carried duration in one run and copies of one duration in three groups in the
            // next. Times and groups are compared on stderr and jsonlog, the number of runs on all three
            // (docs/report.md).
            assertTrue(durations.path("execute").decimalValue().compareTo(decimal(s.path("total_ms"))) >= 0,
                    "pgBadger's csvlog total only ever gains carried durations");
            return;
        }
        Map<String, BigDecimal> carried = carriedDurations();
        assertEquals(Map.of(), carried, "pgBadger carries a duration over only in csvlog");
        BigDecimal carriedTotal = carried.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(durations.path("execute").decimalValue().subtract(carriedTotal).stripTrailingZeros(),
                decimal(s.path("total_ms")), "total time");
        assertEquals(durations.path("prepare").decimalValue().add(durations.path("bind").decimalValue())
                .stripTrailingZeros(), decimal(s.path("parse_bind_ms")), "parse and bind time");
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = badger.path("normalyzed_info").path("postgres").fields();
             it.hasNext(); ) {
            Map.Entry<String, JsonNode> q = it.next();
            if (q.getValue().path("count").asInt() > 0) {
                String key = q.getKey().replaceAll("\\$(\\w*)\\$.*?\\$\\1\\$", "?").replaceAll("\\b(e|u&)\\?", "?");
                counts.computeIfAbsent(key, k -> new long[1])[0] += q.getValue().path("count").asInt();
                totals.merge(key, q.getValue().path("duration").decimalValue()
                        .subtract(carried.getOrDefault(q.getKey(), BigDecimal.ZERO)), BigDecimal::add);
            }
        }
        List<String> theirs = new ArrayList<>();
        counts.forEach((k, c) -> theirs.add(c[0] + " x " + totals.get(k).stripTrailingZeros().toPlainString()));
        List<String> ours = new ArrayList<>();
        s.path("by_count").forEach(g -> ours.add(g.path("count").asLong() + " x "
                + decimal(g.path("total_ms")).toPlainString()));
        assertEquals(0, s.path("folded").path("groups").asLong(), "nothing folded");
        theirs.sort(null);
        ours.sort(null);
        assertEquals(theirs, ours, "statement groups (count x total ms)");
    }

    /**
     * pgBadger's csvlog quirk: a statement csvlog logged without a duration ({@code statement: ...}, log_statement) is
     * given the duration of a {@code duration: ...} line logged before it by another process, so that duration counts
     * twice. Its groups whose every sample is such a statement, and whose duration is one logged before by another
     * process, by the group's key; pglogs counts each duration once (docs/report.md).
     */
    private static Map<String, BigDecimal> carriedDurations() {
        Map<String, BigDecimal> carried = new TreeMap<>();
        badger.path("normalyzed_info").path("postgres").fields().forEachRemaining(q -> {
            BigDecimal duration = q.getValue().path("duration").decimalValue();
            if (duration.signum() == 0) {
                return;
            }
            boolean allUntimed = true;
            for (Iterator<JsonNode> it = q.getValue().path("samples").elements(); it.hasNext(); ) {
                String query = it.next().path("query").asText();
                boolean logged = entries.stream().anyMatch(e -> e.message().equals("statement: " + query));
                boolean timed = entries.stream().anyMatch(e -> e.message().startsWith("duration: ")
                        && e.message().endsWith(": " + query));
                allUntimed &= logged && !timed;
            }
            if (allUntimed) {
                int runs = q.getValue().path("count").asInt();
                assertTrue(sumOfLogged(duration, runs), () -> q.getKey() + " has a duration that no " + runs
                        + " logged durations add up to");
                carried.put(q.getKey(), duration);
            }
        });
        return carried;
    }

    /**
     * Whether {@code total} is the sum of {@code runs} durations the log holds ({@code duration: X ms}): each run of
     * a group pgBadger gave carried durations took one logged before it by another process, and one logged duration
     * can be taken by several runs (the csvlog corpus: 103.444 twice and 300.608 for three {@code SET log_statement}),
     * so sums with repetition of up to three are searched; more runs are beyond what the corpus makes.
     */
    private static boolean sumOfLogged(BigDecimal total, int runs) {
        List<BigDecimal> logged = new ArrayList<>();
        for (var e : entries) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^duration: ([0-9.]+) ms").matcher(e.message());
            if (m.find()) {
                logged.add(new BigDecimal(m.group(1)));
            }
        }
        return addsUp(logged, 0, runs, total);
    }

    private static boolean addsUp(List<BigDecimal> logged, int from, int runs, BigDecimal rest) {
        if (runs == 0) {
            return rest.signum() == 0;
        }
        if (runs > 3 || rest.signum() <= 0) {
            return false;
        }
        for (int i = from; i < logged.size(); i++) {
            if (addsUp(logged, i, runs - 1, rest.subtract(logged.get(i)))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Errors per normalised message (pgBadger's own normalisation, severity included). pgBadger also files some LOG
     * lines among its errors, labelled ERROR (its "events": recovery, a killed server process, replication commands,
     * lock waits, changed parameters); pglogs counts a message as an error by its severity alone, so each of those
     * must be a LOG line of the file.
     */
    private static void errors(JsonNode e) {
        Map<String, Long> ours = new TreeMap<>();
        e.path("by_message").forEach(g -> ours.put(g.path("severity").asText() + ":  " + g.path("message").asText(),
                g.path("count").asLong()));
        Map<String, Long> theirs = new TreeMap<>();
        badger.path("error_info").path("postgres").fields().forEachRemaining(f -> theirs.put(f.getKey(),
                f.getValue().path("count").asLong()));
        List<String> logLines = entries.stream().filter(l -> "LOG".equals(l.severity()))
                .map(l -> ErrorMessages.normalise(Rows.firstLine(l.message()))).toList();
        Map<String, Long> events = new TreeMap<>();
        theirs.forEach((k, v) -> {
            if (!ours.containsKey(k)) {
                events.put(k, v);
            }
        });
        theirs.keySet().removeAll(events.keySet());
        events.forEach((k, v) -> assertTrue(k.startsWith("ERROR:  ") && logLines.contains(k.substring(8)),
                () -> "pgBadger's error " + k + " is not in the report, nor a LOG line of the file; report: " + ours));
        assertEquals(theirs, ours, "errors per message");
        long total = overall().path("errors_number").asLong() - events.values().stream().mapToLong(Long::longValue)
                .sum();
        assertEquals(total, e.path("count").asLong(), "errors");
    }

    private static void tempFiles(JsonNode t) {
        JsonNode theirs = badger.path("tempfile_info").path("postgres");
        assertEquals(theirs.path("count").asLong(), t.path("count").asLong(), "temp files");
        assertEquals(theirs.path("size").asLong(), t.path("total_bytes").asLong(), "temp file bytes");
        assertTrue(t.path("count").asLong() > 0);
    }

    private static void checkpoints(JsonNode c) {
        JsonNode theirs = badger.path("checkpoint_info");
        long starting = 0;
        for (Iterator<JsonNode> it = theirs.path("starting").elements(); it.hasNext(); ) {
            starting += it.next().asLong();
        }
        assertEquals(starting, c.path("started").asLong(), "checkpoints started");
        assertEquals(theirs.path("wbuffer").asLong(), c.path("buffers").asLong(), "buffers written");
        for (String[] f : new String[][] {{"write", "write_s"}, {"sync", "sync_s"}, {"total", "total_s"}}) {
            assertEquals(decimal(theirs.path(f[0])), decimal(c.path(f[1])), f[0] + " seconds");
        }
        assertTrue(c.path("completed").asLong() > 0);
    }

    private static void vacuums(JsonNode v) {
        Map<String, Long> ourVacuums = new TreeMap<>();
        Map<String, Long> ourAnalyzes = new TreeMap<>();
        v.path("tables").forEach(t -> {
            if (t.path("vacuums").asLong() > 0) {
                ourVacuums.put(t.path("relation").asText(), t.path("vacuums").asLong());
            }
            if (t.path("analyzes").asLong() > 0) {
                ourAnalyzes.put(t.path("relation").asText(), t.path("analyzes").asLong());
            }
        });
        Map<String, Long> theirVacuums = new TreeMap<>();
        badger.path("autovacuum_info").path("postgres").path("tables").fields().forEachRemaining(f ->
                theirVacuums.put(f.getKey(), f.getValue().path("vacuums").asLong()));
        Map<String, Long> theirAnalyzes = new TreeMap<>();
        badger.path("autoanalyze_info").path("postgres").path("tables").fields().forEachRemaining(f ->
                theirAnalyzes.put(f.getKey(), f.getValue().path("analyzes").asLong()));
        assertFalse(theirVacuums.isEmpty());
        assertEquals(theirVacuums, ourVacuums, "autovacuum per table");
        assertEquals(theirAnalyzes, ourAnalyzes, "autoanalyze per table");
        assertEquals(badger.path("autovacuum_info").path("postgres").path("count").asLong(),
                v.path("vacuums").asLong(), "autovacuums");
    }

    /**
     * Connections (pgBadger leaves "replication connection authorized" out; pglogs counts a replication connection
     * as one: the corpus makes exactly one) and sessions with their time.
     */
    private static void connections(JsonNode c) {
        long replication = entries.stream().filter(l -> "LOG".equals(l.severity())
                && l.message().startsWith("replication connection authorized: ")).count();
        assertEquals(1, replication);
        assertEquals(badger.path("connection_info").path("postgres").path("count").asLong(),
                c.path("authorized").asLong() - replication, "connections");
        JsonNode sessions = badger.path("session_info").path("postgres");
        assertEquals(sessions.path("count").asLong(), c.path("sessions").asLong(), "sessions");
        assertEquals(sessions.path("duration").asLong(), c.path("session_ms").asLong(), "session time, ms");
    }
}
