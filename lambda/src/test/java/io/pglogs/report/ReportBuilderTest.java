package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.StatementFingerprint;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregation on rows as LogReader hands them (attributes in the item contract's names). */
class ReportBuilderTest {
    private static final Instant FROM = Instant.parse("2026-05-01T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-05-01T13:00:00Z");
    private static final StatementFingerprint FP = new StatementFingerprint();
    private int ids;

    private LogRow row(String ts, String severity, String kind, String message, Object... more) {
        return rowWithId(ts, "f@" + ++ids * 10, severity, kind, message, more);
    }

    private static LogRow rowWithId(String ts, String eventId, String severity, String kind, String message,
                                    Object... more) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("ts", ts);
        a.put("instance", "db1");
        a.put("severity", severity);
        a.put("user", "app");
        a.put("database", "orders");
        a.put("client", "10.0.0.5(5432)");
        a.put("pid", 42L);
        a.put("message", message);
        a.put("event_id", eventId);
        a.put("kind", kind);
        for (int i = 0; i < more.length; i += 2) {
            a.put((String) more[i], more[i + 1]);
        }
        return new LogRow(ts + "#" + eventId, a);
    }

    private static ReportBuilder builder(int top, int max) {
        return new ReportBuilder(new ReportBuilder.Options(top, max), FROM, UNTIL);
    }

    private LogRow duration(String ts, String ms, String statement) {
        return row(ts, "LOG", "statement_duration", "duration: " + ms + " ms  statement: " + statement,
                "duration_ms", new BigDecimal(ms), "fingerprint", FP.of(statement));
    }

    /** Entries stored before kinds existed carry no kind: classified as the forwarder now would, and counted. */
    @Test
    void rowsWithoutKindLandInTheirSections() {
        ReportBuilder b = builder(3, 10);
        b.add(row("2026-05-01T10:00:01.000Z", "LOG", null, "duration: 12.500 ms  statement: SELECT 1"));
        b.add(row("2026-05-01T10:00:02.000Z", "LOG", null,
                "connection authorized: user=app database=orders application_name=psql"));
        b.add(row("2026-05-01T10:00:03.000Z", "LOG", null, "checkpoint complete: wrote 3 buffers (0.0%); "
                + "0 WAL file(s) added, 0 removed, 0 recycled; write=0.001 s, sync=0.002 s, total=0.010 s; "
                + "sync files=2, longest=0.001 s, average=0.001 s; distance=0 kB, estimate=0 kB"));
        Report r = b.build();
        assertEquals(1, r.statements().count());
        assertEquals(12.5, r.statements().totalMs(), 1e-9);
        assertEquals("select ?", r.statements().byTotal().get(0).text());
        assertEquals(1, r.connections().authorized());
        assertEquals(1, r.checkpoints().completed());
        assertEquals(3, r.overview().reclassified());
        assertTrue(r.overview().kinds().stream().noneMatch(k -> k.name().equals("other")), r.overview().kinds()
                .toString());
    }

    /** Over 32 equal-time rows TimSort checks the order: mixed, missing and numeric ids must sort without throwing. */
    @Test
    void eventIdsOfEqualTimeRowsAreTotallyOrdered() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(switch (i % 5) {
                case 0 -> "f@" + (1000 - i * 7);
                case 1 -> null;
                case 2 -> "f@x" + i;
                case 3 -> "stream/" + i;
                default -> "g@" + i * 13;
            });
        }
        java.util.Collections.shuffle(ids, new java.util.Random(7));
        List<LogRow> rows = new java.util.ArrayList<>();
        for (String id : ids) {
            rows.add(rowWithId("2026-05-01T10:00:00.000Z", id, "LOG", "other", "x"));
        }
        rows.sort(ReportBuilder.LOGGED_ORDER);
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < rows.size(); j++) {
                int ij = Integer.signum(ReportBuilder.LOGGED_ORDER.compare(rows.get(i), rows.get(j)));
                assertEquals(-ij, Integer.signum(ReportBuilder.LOGGED_ORDER.compare(rows.get(j), rows.get(i))));
                if (i < j) {
                    assertTrue(ij <= 0, rows.get(i).text("event_id") + " after " + rows.get(j).text("event_id"));
                }
            }
        }
        assertNull(rows.get(rows.size() - 1).text("event_id"));
        ReportBuilder b = builder(3, 10);
        rows.forEach(b::add);
        assertEquals(40, b.build().overview().entries());
    }

    /** Count-only eviction lost the two-hour statement among ten quick ones (reviewer, issue 25). */
    @Test
    void theSlowestStatementSurvivesFoldingInTotalAndSlowest() {
        ReportBuilder b = builder(3, 3);
        b.add(duration("2026-05-01T10:00:00.000Z", "7200000", "SELECT pg_sleep(7200)"));
        for (int i = 0; i < 10; i++) {
            b.add(duration("2026-05-01T10:01:0" + i + ".000Z", "1", "SELECT " + i + " FROM t" + i));
        }
        Statements s = b.build().statements();
        assertTrue(s.folded().any());
        StatementGroup slowest = s.bySlowest().get(0);
        assertEquals("SELECT pg_sleep(7200)", slowest.sample());
        assertEquals(7200000.0, slowest.maxMs());
        StatementGroup total = s.byTotal().get(0);
        assertEquals("SELECT pg_sleep(7200)", total.sample());
        assertEquals(7200000.0, total.totalMs(), 1e-6);
        assertFalse(total.partial());
        assertTrue(s.byCount().stream().anyMatch(StatementGroup::partial));
    }

    @Test
    void statementsAreGroupedByFingerprintWithExactTotals() {
        ReportBuilder b = builder(10, 100);
        b.add(duration("2026-05-01T10:00:01.000Z", "0.100", "SELECT 1"));
        b.add(duration("2026-05-01T10:00:02.000Z", "0.200", "SELECT 2"));
        b.add(duration("2026-05-01T11:00:03.000Z", "250.001", "UPDATE t SET a = 5 WHERE id = 7"));
        b.add(row("2026-05-01T11:00:04.000Z", "LOG", "statement_duration",
                "duration: 1.5 ms  bind <unnamed>: SELECT 1", "duration_ms", new BigDecimal("1.5")));
        b.add(row("2026-05-01T11:00:05.000Z", "LOG", "statement_duration", "duration: 3.000 ms",
                "duration_ms", new BigDecimal("3.000")));
        b.add(row("2026-05-01T11:00:06.000Z", "LOG", "statement_log", "statement: SELECT 3",
                "fingerprint", FP.of("SELECT 3")));
        Statements s = b.build().statements();
        assertEquals(5, s.count());
        assertEquals(253.301, s.totalMs(), 1e-9);
        assertEquals(1, s.parseBind());
        assertEquals(1.5, s.parseBindMs());
        assertEquals(1, s.withoutText());
        assertEquals(1, s.logged());
        StatementGroup select = s.byCount().get(0);
        assertEquals("select ?", select.text());
        assertEquals(3, select.count());
        assertEquals(2, select.timed());
        assertEquals(0.3, select.totalMs(), 1e-9);
        assertEquals(0.15, select.meanMs(), 1e-9);
        assertEquals(0.2, select.maxMs());
        assertEquals("SELECT 2", select.sample());
        assertEquals(List.of("app"), select.users());
        assertEquals(List.of("orders"), select.databases());
        assertEquals("update t set a = ? where id = ?", s.byTotal().get(0).text());
        assertEquals(250.001, s.bySlowest().get(0).p50Ms(), 1e-9);
        assertEquals(List.of(new Hourly.Count(FROM, 2), new Hourly.Count(FROM.plusSeconds(3600), 3)),
                s.hourly().hours());
        assertEquals(new Hourly.Count(FROM.plusSeconds(3600), 3), s.hourly().busiest());
    }

    @Test
    void theTablesAreBoundedAndSayWhatTheyFolded() {
        ReportBuilder b = builder(2, 3);
        for (int i = 0; i < 10; i++) {
            b.add(duration("2026-05-01T10:00:00.000Z", "1", "SELECT * FROM heavy"));
        }
        for (int i = 0; i < 20; i++) {
            b.add(duration("2026-05-01T10:00:01.000Z", "1", "SELECT * FROM t" + i));
        }
        Statements s = b.build().statements();
        assertEquals(30, s.count());
        assertEquals(30.0, s.totalMs());
        assertEquals(2, s.byCount().size());
        assertEquals("select * from heavy", s.byCount().get(0).text());
        assertEquals(10, s.byCount().get(0).count());
        assertEquals(new Folded(3, 18, 18), s.folded());
    }

    /**
     * In stderr an error's DETAIL and STATEMENT are entries of their own, at the same time and pid; an imported file's
     * event ids ({@code name@offset}) sort "@1000" before "@990", yet the companions must follow their error.
     */
    @Test
    void companionLinesGoToTheirErrorWhateverTheEventIdsLexicalOrder() {
        ReportBuilder b = builder(10, 100);
        String ts = "2026-05-01T10:00:00.000Z";
        b.add(rowWithId(ts, "pg.log@1000", "DETAIL", "other", "Key (id)=(1) already exists."));
        b.add(rowWithId(ts, "pg.log@1090", "STATEMENT", "other", "INSERT INTO t VALUES (1)"));
        b.add(rowWithId(ts, "pg.log@990", "ERROR", "error",
                "duplicate key value violates unique constraint \"t_pkey\"", "sqlstate_class", "23"));
        b.add(rowWithId("2026-05-01T10:00:05.000Z", "pg.log@2000", "ERROR", "error",
                "duplicate key value violates unique constraint \"u_pkey\"", "sqlstate_class", "23"));
        Errors e = b.build().errors();
        assertEquals(2, e.count());
        ErrorGroup g = e.byMessage().get(0);
        assertEquals("duplicate key value violates unique constraint \"...\"", g.message());
        assertEquals(2, g.count());
        assertEquals("Key (id)=(1) already exists.", g.detail());
        assertEquals("INSERT INTO t VALUES (1)", g.statement());
        assertEquals(Instant.parse(ts), g.first());
        assertEquals(Instant.parse("2026-05-01T10:00:05Z"), g.last());
        assertEquals(List.of(new Errors.SqlStateClassCount("23", "Integrity Constraint Violation", 2)), e.byClass());
    }

    /** csvlog and jsonlog fold the companions into the message. */
    @Test
    void foldedFieldsOfCsvlogAndJsonlog() {
        ReportBuilder b = builder(10, 100);
        b.add(row("2026-05-01T10:00:00.000Z", "ERROR", "deadlock", "deadlock detected\nDETAIL:  Process 1 waits "
                + "for ShareLock.\nProcess 2 waits.\nHINT:  See server log.\nSTATEMENT:  UPDATE a SET b = 1",
                "sqlstate_class", "40"));
        b.add(row("2026-05-01T10:00:01.000Z", "LOG", "temp_file", "temporary file: path \"base/x\", size 1024"
                + "\nSTATEMENT:  SELECT * FROM big ORDER BY 1", "temp_bytes", 1024L));
        Report r = b.build();
        Locks.LockEvent d = r.locks().deadlockEvents().get(0);
        assertEquals("Process 1 waits for ShareLock.\nProcess 2 waits.", d.detail());
        assertEquals("UPDATE a SET b = 1", d.statement());
        assertEquals("deadlock detected", d.message());
        assertEquals("deadlock detected", r.errors().byMessage().get(0).message());
        TempFiles t = r.tempFiles();
        assertEquals(1024, t.totalBytes());
        assertEquals("select * from big order by ?", t.byStatement().get(0).text());
    }

    @Test
    void tempFilesAreChargedToTheStatementAfterThem() {
        ReportBuilder b = builder(10, 100);
        b.add(row("2026-05-01T10:00:00.000Z", "LOG", "temp_file", "temporary file: path \"a\", size 100",
                "temp_bytes", 100L));
        b.add(row("2026-05-01T10:00:00.000Z", "STATEMENT", "other", "SELECT g FROM s ORDER BY g",
                "fingerprint", FP.of("SELECT g FROM s ORDER BY g")));
        b.add(row("2026-05-01T10:00:01.000Z", "LOG", "temp_file", "temporary file: path \"b\", size 300",
                "temp_bytes", 300L));
        TempFiles t = b.build().tempFiles();
        assertEquals(2, t.count());
        assertEquals(400, t.totalBytes());
        assertEquals(300, t.maxBytes());
        assertEquals(1, t.byStatement().size());
        assertEquals(100, t.byStatement().get(0).totalBytes());
    }

    @Test
    void checkpointsVacuumsAndConnections() {
        ReportBuilder b = builder(10, 100);
        b.add(row("2026-05-01T10:00:00.000Z", "LOG", "checkpoint_starting", "checkpoint starting: time"));
        b.add(row("2026-05-01T10:01:00.000Z", "LOG", "checkpoint_complete", "checkpoint complete: ...",
                "checkpoint_buffers", 10L, "checkpoint_write_s", new BigDecimal("0.1"),
                "checkpoint_sync_s", new BigDecimal("0.2"), "checkpoint_total_s", new BigDecimal("0.3")));
        b.add(row("2026-05-01T10:02:00.000Z", "LOG", "checkpoint_starting", "checkpoint starting: immediate force wait"));
        b.add(row("2026-05-01T10:02:01.000Z", "LOG", "checkpoint_complete", "checkpoint complete: ...",
                "checkpoint_buffers", 5L, "checkpoint_write_s", new BigDecimal("0.1"),
                "checkpoint_sync_s", new BigDecimal("0.1"), "checkpoint_total_s", new BigDecimal("1.7")));
        b.add(row("2026-05-01T10:03:00.000Z", "LOG", "autovacuum", "automatic vacuum of table \"d.public.t\": "
                + "index scans: 0\npages: 3 removed, 10 remain\ntuples: 500 removed, 20 remain\nsystem usage: CPU: "
                + "user: 0.01 s, system: 0.00 s, elapsed: 0.25 s", "relation", "d.public.t"));
        b.add(row("2026-05-01T10:03:01.000Z", "LOG", "autoanalyze", "automatic analyze of table \"d.public.t\"",
                "relation", "d.public.t"));
        b.add(row("2026-05-01T10:04:00.000Z", "LOG", "connection_authorized", "connection authorized: user=app"));
        b.add(row("2026-05-01T10:04:10.000Z", "FATAL", "authentication_failed",
                "password authentication failed for user \"app\"", "client", "10.0.0.6(1)"));
        b.add(row("2026-05-01T10:05:00.000Z", "LOG", "disconnection", "disconnection: session time: 0:00:01.500",
                "session_ms", 1500L));
        Report r = b.build();
        Checkpoints c = r.checkpoints();
        assertEquals(2, c.started());
        assertEquals(List.of(new NameCount("immediate force wait", 1), new NameCount("time", 1)), c.byCause());
        assertEquals(15, c.buffers());
        assertEquals(0.3, c.syncS(), 1e-12);
        assertEquals(2.0, c.totalS(), 1e-12);
        assertEquals(1.7, c.worst().totalS());
        Vacuums.Table t = r.vacuums().tables().get(0);
        assertEquals(new Vacuums.Table("d.public.t", 1, 1, 3, 500, 0.25, 0.25), t);
        Connections k = r.connections();
        assertEquals(1, k.authorized());
        assertEquals(1, k.authFailures());
        assertEquals(1, k.sessions());
        assertEquals(1500, k.maxSessionMs());
        assertEquals(List.of("10.0.0.5", "10.0.0.6"), k.byClient().stream().map(Connections.Party::name).toList());
        assertEquals(new Connections.Party("app", 1, 1, 1, 1500, 1500), k.byUser().get(0));
        assertEquals(List.of(new Connections.Minute(Instant.parse("2026-05-01T10:04:00Z"), 1)), k.peaks());
        assertEquals(1, r.errors().count());
    }

    @Test
    void anEmptyWindowIsAnEmptyReport() {
        Report r = builder(10, 100).build();
        assertTrue(r.isEmpty());
        assertNull(r.overview().first());
        assertEquals(FROM, r.overview().from());
        assertTrue(r.statements().isEmpty() && r.errors().isEmpty() && r.locks().isEmpty()
                && r.tempFiles().isEmpty() && r.checkpoints().isEmpty() && r.vacuums().isEmpty()
                && r.connections().isEmpty());
        assertNull(r.overview().hourly().busiest());
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ReportBuilder.Options(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReportBuilder.Options(10, 5));
    }
}
