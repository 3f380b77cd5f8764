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
    void sessionTimeInMilliseconds() {
        assertEquals("3723004", EntryClassifier.sessionMillis("1:02:03.004 user=a", 0));
        assertEquals("90061000", EntryClassifier.sessionMillis("25:01:01.000 user=a", 0));
        assertNull(EntryClassifier.sessionMillis("1:02 user=a", 0));
    }
}
