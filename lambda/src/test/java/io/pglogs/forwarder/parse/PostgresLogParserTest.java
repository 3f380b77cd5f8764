package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.testing.Corpus;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresLogParserTest {
    private final PostgresLogParser parser = new PostgresLogParser();

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "pg16prefix.log", "postgresql.csv", "pg16prefix.csv", "postgresql.json",
            "pg16prefix.json"})
    void everyEntryOfARealServerCorpusParses(String file) {
        for (List<LogFileSplitter.RawEntry> corpus : List.of(Corpus.snapshot(file), Corpus.fresh(file))) {
            // csvlog records fold their continuation lines, so they are fewer than the lines.
            assertTrue(corpus.size() > 70, file + " has only " + corpus.size() + " entries");
            List<String> unparsed = corpus.stream()
                    .filter(e -> parser.parse(e.text()).isUnknown())
                    .map(LogFileSplitter.RawEntry::text)
                    .collect(Collectors.toList());
            assertEquals(List.of(), unparsed, "entries of " + file + " that did not parse");
            for (LogFileSplitter.RawEntry e : corpus) {
                LogEntry entry = parser.parse(e.text());
                assertNotNull(entry.timestamp(), e.text());
                assertNotNull(entry.pid(), e.text());
                assertTrue(Severity.isKnown(entry.severity()), e.text());
            }
        }
    }

    @Test
    void rdsDefaultPrefixFromTheRealServer() {
        LogEntry e = find("postgresql.log", "duplicate key value");
        assertEquals("127.0.0.1", e.client().substring(0, 9));
        assertTrue(e.client().matches("127\\.0\\.0\\.1\\(\\d+\\)"), e.client());
        assertEquals("app", e.user());
        assertEquals("appdb", e.database());
        assertEquals("ERROR", e.severity());
        assertEquals("duplicate key value violates unique constraint \"accounts_pkey\"", e.message());
        assertFalse(e.millisPrecise());
    }

    @Test
    void backgroundProcessesHaveNoClientUserOrDatabase() {
        LogEntry e = find("postgresql.log", "checkpoint starting");
        assertNull(e.client());
        assertNull(e.user());
        assertNull(e.database());
        assertEquals("LOG", e.severity());
    }

    @Test
    void unknownUserAndLocalSocket() {
        LogEntry e = find("postgresql.log", "connection received: host=[local]");
        assertEquals("[local]", e.client());
        assertEquals("[unknown]", e.user());
        assertEquals("[unknown]", e.database());
    }

    @Test
    void continuationLinesStayInTheMessage() {
        LogEntry deadlock = find("postgresql.log", "waits for ShareLock on transaction", "blocked by process");
        assertEquals("DETAIL", deadlock.severity());
        assertTrue(deadlock.message().contains("\n\tProcess "), deadlock.message());
        LogEntry vacuum = find("postgresql.log", "automatic vacuum of table");
        assertTrue(vacuum.message().contains("\n\ttuples: 10000 removed"), vacuum.message());
        LogEntry statement = find("postgresql.log", "WHERE id = 'not a number'");
        assertEquals("STATEMENT", statement.severity());
        assertEquals(4, statement.message().lines().count());
    }

    @Test
    void everyCompanionSeverityOfTheCorpusIsRecognised() {
        List<String> severities = Corpus.snapshot("postgresql.log").stream()
                .map(e -> parser.parse(e.text()).severity()).distinct().sorted().collect(Collectors.toList());
        assertEquals(List.of("CONTEXT", "DETAIL", "ERROR", "FATAL", "HINT", "LOG", "STATEMENT", "WARNING"), severities);
    }

    @Test
    void pg16PrefixCarriesMillisSqlstateSessionAndApplication() {
        LogEntry e = find("pg16prefix.log", "division by zero");
        assertTrue(e.millisPrecise());
        assertEquals("22012", e.sqlstate());
        assertTrue(e.sessionId().matches("[0-9a-f]+\\.[0-9a-f]+"), e.sessionId());
        assertEquals("psql", e.application());
        assertEquals("ERROR", e.severity());
        assertEquals("division by zero", e.message());
        assertEquals("app", e.user());
        LogEntry background = find("pg16prefix.log", "checkpoint complete");
        assertNull(background.application());
        assertEquals("LOG", background.severity());
    }

    @Test
    void csvlogRecordsFoldCompanionFieldsIntoTheMessage() {
        LogEntry e = find("postgresql.csv", "duplicate key value");
        assertEquals("ERROR", e.severity());
        assertEquals("23505", e.sqlstate());
        assertTrue(e.client().matches("127\\.0\\.0\\.1\\(\\d+\\)"), e.client());
        assertTrue(e.message().contains("\nDETAIL:  Key (id)=(1) already exists."), e.message());
        assertTrue(e.message().contains("\nSTATEMENT:  INSERT INTO accounts"), e.message());
        assertTrue(e.millisPrecise());
    }

    /** jsonlog and csvlog of one server run hold the same records: the same fields must come out of both. */
    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "pg16prefix"})
    void jsonlogRecordsGiveWhatTheSameRunsCsvlogGives(String name) {
        for (boolean fresh : new boolean[] {false, true}) {
            List<LogFileSplitter.RawEntry> json =
                    fresh ? Corpus.fresh(name + ".json") : Corpus.snapshot(name + ".json");
            List<LogFileSplitter.RawEntry> csv = fresh ? Corpus.fresh(name + ".csv") : Corpus.snapshot(name + ".csv");
            assertEquals(csv.size(), json.size(), name);
            // Concurrent backends may reach the two files in different orders: match by session and line number.
            java.util.Map<String, LogEntry> fromCsv = new java.util.HashMap<>();
            for (LogFileSplitter.RawEntry e : csv) {
                List<String> f = PostgresLogParser.splitCsv(e.text(), 0);
                fromCsv.put(f.get(5) + "/" + f.get(6), parser.parse(e.text()));
            }
            java.util.regex.Pattern lineNum = java.util.regex.Pattern.compile("\"line_num\":(\\d+)");
            for (LogFileSplitter.RawEntry e : json) {
                LogEntry j = parser.parse(e.text());
                java.util.regex.Matcher m = lineNum.matcher(e.text());
                assertTrue(m.find(), e.text());
                assertEquals(fromCsv.get(j.sessionId() + "/" + m.group(1)), j, e.text());
            }
        }
    }

    @Test
    void jsonlogRecordFromTheRealServer() {
        LogEntry e = find("postgresql.json", "duplicate key value");
        assertEquals("ERROR", e.severity());
        assertEquals("23505", e.sqlstate());
        assertEquals("app", e.user());
        assertEquals("appdb", e.database());
        assertTrue(e.client().matches("127\\.0\\.0\\.1\\(\\d+\\)"), e.client());
        assertTrue(e.message().startsWith("duplicate key value violates unique constraint \"accounts_pkey\"\nDETAIL:  "
                + "Key (id)=(1) already exists.\nSTATEMENT:  INSERT INTO accounts"), e.message());
        assertTrue(e.millisPrecise());
        assertEquals("psql", e.application());
        assertTrue(LogFileSplitter.startsEntry("{\"timestamp\":\"2024-05-01 10:00:00.000 UTC\"}"));
        assertTrue(parser.parse("{\"timestamp\":\"2024-05-01 10:00:00.000 UTC\",\"error_severity\":\"LOG\"} x")
                .isUnknown());
    }

    /** Lines in the format the RDS user guide documents for its default prefix and for PostgreSQL 16+. */
    @Test
    void rdsDocumentedFormats() {
        LogEntry a = parser.parse("2019-03-10 03:54:59 UTC:10.0.0.123(52834):postgres@logtestdb:[20175]:ERROR:  "
                + "column \"wrong_column\" does not exist at character 8");
        assertEquals(Instant.parse("2019-03-10T03:54:59Z"), a.timestamp());
        assertEquals("10.0.0.123(52834)", a.client());
        assertEquals("postgres", a.user());
        assertEquals("logtestdb", a.database());
        assertEquals(20175, a.pid());
        assertEquals("ERROR", a.severity());
        LogEntry b = parser.parse("2023-11-06 19:18:49.161 UTC:10.0.1.12(39562):rdsadmin@rdsadmin:[5120]:3:00000:"
                + "2023-11-06 19:18:49 UTC:3/41:0:654939e9.1400:psqlLOG:  connection authorized: user=rdsadmin");
        assertEquals(Instant.parse("2023-11-06T19:18:49.161Z"), b.timestamp());
        assertEquals("00000", b.sqlstate());
        assertEquals("654939e9.1400", b.sessionId());
        assertEquals("psql", b.application());
        assertEquals("connection authorized: user=rdsadmin", b.message());
    }

    @Test
    void clientForms() {
        assertEquals("::1(5432)", parser.parse("2024-05-01 10:00:00 UTC:::1(5432):u@d:[1]:LOG:  x").client());
        assertEquals("2001:db8::7(40000)",
                parser.parse("2024-05-01 10:00:00 UTC:2001:db8::7(40000):u@d:[1]:LOG:  x").client());
        assertEquals("db-client.example.com(5432)",
                parser.parse("2024-05-01 10:00:00 UTC:db-client.example.com(5432):u@d:[1]:LOG:  x").client());
        assertEquals("app-host", parser.parse("2024-05-01 10:00:00 UTC:app-host:u@d:[1]:LOG:  x").client());
        LogEntry empty = parser.parse("2024-05-01 10:00:00 UTC::@:[77]:LOG:  x");
        assertNull(empty.client());
        assertNull(empty.user());
        assertNull(empty.database());
        assertEquals(77, empty.pid());
    }

    @Test
    void colonsAndBracketsInTheMessageDoNotConfuseTheAnchor() {
        LogEntry e = parser.parse("2024-05-01 10:00:00 UTC:10.0.0.1(1):u@d:[42]:ERROR:  syntax error at "
                + "\":[7]:\" near LOG:  WARNING:  x");
        assertEquals(42, e.pid());
        assertEquals("ERROR", e.severity());
        assertEquals("syntax error at \":[7]:\" near LOG:  WARNING:  x", e.message());
    }

    @Test
    void leadingCloudWatchTimestampIsSkipped() {
        LogEntry e = parser.parse("2024-05-01T10:00:00.250Z 2024-05-01 10:00:00 UTC::@:[9]:LOG:  checkpoint starting");
        assertEquals("LOG", e.severity());
        assertEquals(9, e.pid());
        assertEquals("checkpoint starting", e.message());
    }

    @Test
    void zoneOffsetsAreApplied() {
        assertEquals(Instant.parse("2024-05-01T07:00:00Z"),
                parser.parse("2024-05-01 10:00:00 +03:h(1):u@d:[1]:LOG:  x").timestamp());
        assertEquals(Instant.parse("2024-05-01T15:30:00Z"),
                parser.parse("2024-05-01 10:00:00 -0530::u@d:[1]:LOG:  x").timestamp());
        // An abbreviation we cannot resolve leaves the time to the transport rather than guessing.
        LogEntry cst = parser.parse("2024-05-01 10:00:00 CST:h:u@d:[1]:LOG:  x");
        assertNull(cst.timestamp());
        assertEquals("LOG", cst.severity());
    }

    @Test
    void debugLevelsAndEmptyMessages() {
        assertEquals("DEBUG3", parser.parse("2024-05-01 10:00:00 UTC::@:[1]:DEBUG3:  x").severity());
        LogEntry empty = parser.parse("2024-05-01 10:00:00 UTC::@:[1]:LOG:");
        assertEquals("LOG", empty.severity());
        assertEquals("", empty.message());
    }

    @Test
    void anythingElseIsKeptWholeAsUnknown() {
        for (String line : List.of("", "garbage", "\u0000\u0001binary", "2024-05-01 10:00:00 UTC no anchor here",
                "2024-13-45 99:99:99 UTC::@:[1]:LOG:  bad date", "[12] LOG: another prefix")) {
            LogEntry e = parser.parse(line);
            assertEquals(LogEntry.UNKNOWN, e.severity(), line);
            assertEquals(line, e.message());
            assertNull(e.timestamp());
        }
    }

    /** docs/schema.md: an UNKNOWN line is stored whole; the prefix fields that could be read are kept besides. */
    @Test
    void prefixWithoutSeverityIsStoredWholeWithItsFields() {
        String line = "2024-05-01 10:00:00 UTC:h(1):u@d:[5]:something odd";
        LogEntry e = parser.parse(line);
        assertEquals(LogEntry.UNKNOWN, e.severity());
        assertEquals(5, e.pid());
        assertEquals("u", e.user());
        assertEquals(java.time.Instant.parse("2024-05-01T10:00:00Z"), e.timestamp());
        assertEquals(line, e.message());
        // No space after the colon: not a severity, as for pgBadger (":\s+").
        assertEquals("2024-05-01 10:00:00 UTC:h(1):u@d:[5]:LOG:x", parser.parse(
                "2024-05-01 10:00:00 UTC:h(1):u@d:[5]:LOG:x").message());
    }

    /** pgBadger and pganalyze accept one or more spaces after the severity, as some log pipelines collapse two. */
    @Test
    void oneOrMoreSpacesAfterASeverityRightAfterTheRdsPrefix() {
        for (String spaces : List.of(" ", "  ")) {
            LogEntry e = parser.parse("2024-05-01 10:00:00 UTC:10.0.0.1(5432):app@appdb:[1234]:LOG:" + spaces
                    + "duration: 1.5 ms  statement: SELECT 'a:  b'");
            assertEquals("LOG", e.severity(), spaces);
            assertEquals("duration: 1.5 ms  statement: SELECT 'a:  b'", e.message());
            assertEquals(1234, e.pid());
            assertEquals("app", e.user());
        }
        LogEntry detail = parser.parse("2024-05-01 10:00:00 UTC:[local]:u@d:[7]:DETAIL: Key (id)=(1) already exists.");
        assertEquals("DETAIL", detail.severity());
        assertEquals("Key (id)=(1) already exists.", detail.message());
        // With PostgreSQL's own two spaces there, exactly two are taken, as before: a message may start with spaces.
        assertEquals("  indented", parser.parse("2024-05-01 10:00:00 UTC:[local]:u@d:[7]:LOG:    indented").message());
        assertEquals(" indented", parser.parse("2024-05-01 10:00:00 UTC:[local]:u@d:[7]:LOG:   indented").message());
        assertEquals("   x", parser.parse("2024-05-01 10:00:00 UTC:[local]:u@d:[7]:ERROR:     x").message());
    }

    private LogEntry find(String file, String... needles) {
        return Corpus.snapshot(file).stream()
                .filter(e -> java.util.Arrays.stream(needles).allMatch(e.text()::contains))
                .map(e -> parser.parse(e.text()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry with " + List.of(needles) + " in " + file));
    }
}
