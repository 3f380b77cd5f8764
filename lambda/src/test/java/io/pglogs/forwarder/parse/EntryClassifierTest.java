package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The kinds a test machine's server cannot be made to log cheaply, on PostgreSQL 15's own message texts (the corpus,
 * KindCorpusTest, covers the rest), and the edges of the numbers.
 */
class EntryClassifierTest {
    private final EntryClassifier c = new EntryClassifier();

    @Test
    void outOfMemoryAndPanic() {
        // src/backend/utils/mmgr/mcxt.c: ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"), ...
        EntryFacts oom = c.classify("ERROR", null, "out of memory");
        assertEquals(EntryKind.OUT_OF_MEMORY, oom.kind());
        assertEquals("53", oom.sqlstateClass());
        assertEquals(EntryKind.OUT_OF_MEMORY, c.classify("FATAL", "53200", "out of memory\nDETAIL:  Failed on request of size 8192.").kind());
        assertEquals(EntryKind.PANIC, c.classify("PANIC", "XX000", "could not locate a valid checkpoint record").kind());
        assertEquals("XX", c.classify("PANIC", "XX000", "could not locate a valid checkpoint record").sqlstateClass());
    }

    @Test
    void unknownMessagesAreOtherAndUnknownErrorsHaveNoGuessedClass() {
        assertEquals(EntryKind.OTHER, c.classify("LOG", null, "duration: soon").kind());
        assertEquals(EntryKind.OTHER, c.classify("LOG", null, "process 12 avoided deadlock for ShareLock").kind());
        assertEquals(EntryKind.OTHER, c.classify("NOTICE", null, "relation \"t\" already exists, skipping").kind());
        assertEquals(EntryKind.OTHER, c.classify("UNKNOWN", null, "whatever").kind());
        assertEquals(EntryKind.OTHER, c.classify("DETAIL", null, "Process 1 waits for ShareLock").kind());
        EntryFacts e = c.classify("ERROR", null, "a message no table lists");
        assertEquals(EntryKind.ERROR, e.kind());
        assertNull(e.sqlstateClass());
        // "relation ... already exists" is 42P07, not the "does not exist" code its first words suggest.
        assertNull(c.classify("ERROR", null, "relation \"t\" already exists").sqlstateClass());
    }

    @Test
    void durationsAndStatements() {
        EntryFacts bare = c.classify("LOG", null, "duration: 12.345 ms");
        assertEquals(EntryKind.STATEMENT_DURATION, bare.kind());
        assertEquals("12.345", bare.durationMs());
        assertNull(bare.fingerprint());
        EntryFacts exec = c.classify("LOG", null, "duration: 0.5 ms  execute <unnamed>: SELECT 1\nDETAIL:  parameters: $1 = '1'");
        assertEquals(new StatementFingerprint().of("SELECT 2"), exec.fingerprint());
        EntryFacts logged = c.classify("LOG", null, "execute S_1: SELECT 1");
        assertEquals(EntryKind.STATEMENT_LOG, logged.kind());
        assertEquals(new StatementFingerprint().of("select 9"), logged.fingerprint());
    }

    @Test
    void autovacuumTableNamesHoldingQuotes() {
        // vacuumlazy.c and analyze.c print "%s.%s.%s" with the names as they are: CREATE TABLE "we""ird" is we"ird.
        EntryFacts vacuum = c.classify("LOG", null, "automatic vacuum of table \"db.public.we\"ird\": index scans: 0\n"
                + "pages: 0 removed, 1 remain, 1 scanned (100.00% of total)");
        assertEquals(EntryKind.AUTOVACUUM, vacuum.kind());
        assertEquals("db.public.we\"ird", vacuum.relation());
        EntryFacts analyze = c.classify("LOG", null, "automatic analyze of table \"db.my \"\"schema.t\"\"\"\n"
                + "avg read rate: 0.000 MB/s, avg write rate: 0.000 MB/s");
        assertEquals(EntryKind.AUTOANALYZE, analyze.kind());
        assertEquals("db.my \"\"schema.t\"\"", analyze.relation());
        EntryFacts wraparound = c.classify("LOG", null, "automatic aggressive vacuum to prevent wraparound of table "
                + "\"db.public.\"\": index scans: 1");
        assertEquals(EntryKind.AUTOVACUUM, wraparound.kind());
        assertEquals("db.public.\"", wraparound.relation());
    }

    @Test
    void raiseLookAlikesInCsvlogAndJsonlogAreNoKind() {
        // RAISE LOG 'duration: 5 ms' in a function: csvlog and jsonlog fold its CONTEXT (pl_exec.c's error callback).
        EntryFacts raised = c.classify("LOG", "00000", "duration: 5 ms\nCONTEXT:  PL/pgSQL function f() line 3 at RAISE");
        assertEquals(EntryKind.OTHER, raised.kind());
        assertNull(raised.durationMs());
        assertEquals(EntryKind.OTHER, c.classify("LOG", "00000", "checkpoint complete: wrote 3 buffers\n"
                + "CONTEXT:  PL/pgSQL function g(integer) line 12 at RAISE\nSQL statement \"SELECT g(1)\"").kind());
        // RAISE EXCEPTION 'deadlock detected' is an error of the function's, not a deadlock; its statement is real.
        EntryFacts error = c.classify("ERROR", "P0001", "deadlock detected\nCONTEXT:  PL/pgSQL function h() line 2 at "
                + "RAISE\nSTATEMENT:  SELECT h()");
        assertEquals(EntryKind.ERROR, error.kind());
        assertEquals("P0", error.sqlstateClass());
        assertEquals(new StatementFingerprint().of("SELECT h()"), error.fingerprint());
        // A statement a function runs, logged by auto_explain, is real: its CONTEXT is not "at RAISE".
        assertEquals(EntryKind.STATEMENT_DURATION, c.classify("LOG", "00000", "duration: 5 ms\nCONTEXT:  PL/pgSQL "
                + "function f() line 3 at SQL statement").kind());
        // In stderr the CONTEXT is an entry of its own: the LOG line alone cannot tell (docs/schema.md).
        assertEquals(EntryKind.STATEMENT_DURATION, c.classify("LOG", null, "duration: 5 ms").kind());
    }

    @Test
    void sessionTimeInMilliseconds() {
        assertEquals("3723004", EntryClassifier.sessionMillis("1:02:03.004 user=a", 0));
        assertEquals("90061000", EntryClassifier.sessionMillis("25:01:01.000 user=a", 0));
        assertNull(EntryClassifier.sessionMillis("1:02 user=a", 0));
    }

    @Test
    void userTextNeverCostsTheEntry() {
        // RAISE LOG prints any text: a session time past a long, a plan with no Query Text after its label.
        EntryFacts huge = c.classify("LOG", null, "disconnection: session time: 99999999999999999999:00:00.000");
        assertEquals(EntryKind.DISCONNECTION, huge.kind());
        assertNull(huge.sessionMs());
        assertNull(c.classify("LOG", null, "disconnection: session time: 9999999999999999:00:00.000").sessionMs(),
                "16 digits of hours overflow a long's milliseconds");
        EntryFacts empty = c.classify("LOG", null, "duration: 1 ms  plan: Query Text: ");
        assertEquals(EntryKind.AUTO_EXPLAIN, empty.kind());
        assertNull(empty.fingerprint());
        assertNull(c.classify("LOG", null, "temporary file: path \"x\", size 1234567890123456789").tempBytes());
        assertEquals("123456789012345678",
                c.classify("LOG", null, "temporary file: path \"x\", size 123456789012345678").tempBytes());
        assertEquals(EntryKind.OTHER, c.classify("LOG", null, "duration: 1234567890123456789 ms").kind());
        assertNull(c.classify("LOG", null, "checkpoint complete: wrote 99999999999999999999 buffers (0.0%)")
                .checkpointBuffers());
    }

    @Test
    void onlyTheFirstLineSaysWhatTheEntryIs() {
        // csvlog and jsonlog fold the statement into the message: its text must not make a kind or a number.
        EntryFacts temp = c.classify("LOG", null, "temporary file: path \"base/pgsql_tmp/t.0\", size 8192\n"
                + "STATEMENT:  SELECT ', size 99'");
        assertEquals("8192", temp.tempBytes());
        EntryFacts lock = c.classify("LOG", null, "process 7 acquired ShareLock on transaction 5 after 1001.5 ms\n"
                + "STATEMENT:  SELECT 'still waiting for' AS x, 'after 3 ms'");
        assertEquals(EntryKind.LOCK_ACQUIRED, lock.kind());
        assertEquals("1001.5", lock.waitMs());
        assertEquals(EntryKind.OTHER, c.classify("LOG", null,
                "some message\nSTATEMENT:  SELECT 'Cannot allocate memory'").kind());
        EntryFacts auth = c.classify("ERROR", "22012", "division by zero\n"
                + "STATEMENT:  SELECT 'password authentication failed for user x', 1/0");
        assertEquals(EntryKind.ERROR, auth.kind());
        // ERROR "role does not exist" is SET ROLE or GRANT; at connection it is FATAL.
        assertEquals(EntryKind.ERROR, c.classify("ERROR", "42704", "role \"nobody\" does not exist").kind());
        assertEquals(EntryKind.AUTHENTICATION_FAILED, c.classify("FATAL", null, "role \"nobody\" does not exist").kind());
        assertEquals(EntryKind.AUTHENTICATION_FAILED,
                c.classify("FATAL", null, "password authentication failed for user \"app\"").kind());
        assertEquals(EntryKind.ERROR,
                c.classify("ERROR", null, "password authentication failed for user \"app\"").kind());
    }

    @Test
    void recoveryConflictsAreClass40() {
        assertEquals("40", c.classify("ERROR", null, "canceling statement due to conflict with recovery").sqlstateClass());
        assertEquals("57", c.classify("ERROR", null, "canceling statement due to user request").sqlstateClass());
        assertEquals("57", c.classify("ERROR", null, "canceling statement due to statement timeout").sqlstateClass());
        assertEquals("55", c.classify("ERROR", null, "canceling statement due to lock timeout").sqlstateClass());
        assertNull(c.classify("ERROR", null, "canceling statement due to something new").sqlstateClass());
    }

    @Test
    void autoExplainFingerprintsOnlyAWholeQueryText() {
        String one = "duration: 0.015 ms  plan:\nQuery Text: SELECT * FROM a\n"
                + "Seq Scan on a  (cost=0.00..2.25 rows=1 width=8)";
        assertEquals(new StatementFingerprint().of("SELECT * FROM a"), c.classify("LOG", null, one).fingerprint());
        String a = "duration: 0.015 ms  plan:\nQuery Text: SELECT *\n FROM a\nSeq Scan on a  (cost=0.00..2.25 rows=1 width=8)";
        String b = "duration: 0.015 ms  plan:\nQuery Text: SELECT *\n FROM b\nSeq Scan on b  (cost=0.00..2.25 rows=1 width=8)";
        assertEquals(EntryKind.AUTO_EXPLAIN, c.classify("LOG", null, a).kind());
        assertNull(c.classify("LOG", null, a).fingerprint());
        assertNull(c.classify("LOG", null, b).fingerprint());
    }
}
