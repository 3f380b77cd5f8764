package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class StatementFingerprintTest {
    private final StatementFingerprint f = new StatementFingerprint();

    private String norm(String s) {
        return f.normalise(s, 0, s.length());
    }

    @Test
    void theDocumentedExampleReadsAsDocumented() {
        assertEquals("select * from t where id in ( ... ) and name = ?",
                norm("SELECT * FROM t WHERE id IN (1, 2) AND name = 'x';"));
        // docs/schema.md gives this hash so another tool can check its own implementation against it; from Python:
        // hashlib.sha256(b'select * from t where id in ( ... ) and name = ?').hexdigest()[:16]
        assertEquals("639fe77b2a6131e1", f.of("SELECT * FROM t WHERE id IN (1, 2) AND name = 'x';"));
        assertEquals(16, f.of("SELECT 1").length());
        assertTrue(f.of("SELECT 1").matches("[0-9a-f]{16}"));
    }

    @Test
    void theSameStatementWithOtherValuesHasTheSameFingerprint() {
        String[][] same = {
                {"SELECT * FROM accounts WHERE id = 1", "select *\n  from ACCOUNTS\twhere id=42"},
                {"UPDATE t SET a = 'x' WHERE b = -5", "update t set a = E'it\\'s' where b = 3.5e10"},
                {"SELECT a FROM t WHERE b IN (1,2,3)", "SELECT a FROM t WHERE b IN ('x')"},
                {"INSERT INTO t VALUES ($1, $2)", "insert into t values (1, 'two')"},
                {"SELECT $$dollar$$, $tag$x$tag$, x'1F', b'01', U&'\\0041'", "SELECT 'a', 'b', 'c', 'd', 'e'"},
                {"SELECT 1 -- a comment\n, /* another /* nested */ one */ 2;", "SELECT 3, 4"},
                {"SELECT a::int FROM t WHERE x = -1", "SELECT a :: int FROM t WHERE x = - 1"},
                {"SELECT 0x1F, .5, 1_000", "SELECT 1, 2, 3"},
        };
        for (String[] pair : same) {
            assertEquals(norm(pair[0]), norm(pair[1]), pair[0]);
            assertEquals(f.of(pair[0]), f.of(pair[1]), pair[0]);
        }
    }

    @Test
    void differentStatementsDiffer() {
        String[][] differ = {
                {"SELECT * FROM accounts WHERE id = 1", "SELECT * FROM accounts WHERE owner = 1"},
                {"SELECT * FROM \"Accounts\"", "SELECT * FROM accounts"},
                {"SELECT a - 1 FROM t", "SELECT a, -1 FROM t"},
                {"SELECT a FROM t WHERE b IN (1, c)", "SELECT a FROM t WHERE b IN (1, 2)"},
                {"DELETE FROM t", "TRUNCATE t"},
        };
        for (String[] pair : differ) {
            assertNotEquals(f.of(pair[0]), f.of(pair[1]), pair[0]);
        }
    }

    @Test
    void aSubtractionIsNotASign() {
        assertEquals("select a - ? from t", norm("SELECT a - 1 FROM t"));
        assertEquals("select ? , ?", norm("SELECT -1, - 2"));
        assertEquals("select a - ? , b - ?", norm("SELECT a -1, \"b\" - 2").replace("\"b\"", "b"));
        assertEquals("select ( ? ) - ?", norm("SELECT (1) - 2"));
    }

    @Test
    void emptyTextHasNoFingerprint() {
        assertNull(f.of("  -- nothing\n ;"));
    }
    /** Fingerprints reused for statements of one outline are those a fresh instance computes, whatever came before. */
    @Test
    void reusedFingerprintsAreTheOnesComputedAfresh() {
        String[] statements = {
                "SELECT * FROM t WHERE a IN (1, 2)", "SELECT * FROM t WHERE a IN (1, 2, 3)", "SELECT 'a' 'b'",
                "SELECT 'it''s'", "SELECT x1 FROM t2", "SELECT x2 FROM t1", "SELECT 1.5e10", "SELECT 2.5e11",
                "SELECT a -1", "SELECT a - 1", "SELECT -1", "UPDATE t SET a = a + -5 WHERE id = 3",
                "UPDATE t SET a = a + -7 WHERE id = 9", "SELECT $1", "SELECT \"A1\" FROM t", "SELECT 0x1F",
                "SELECT 0x2F", "select  1", "SELECT\n1", "SELECT 1 -- c'\n, 2", "SELECT E'\\'' , 1",
                "SELECT 0x10", "SELECT 00x10", "SELECT 0x FROM t", "SELECT 10x FROM t"};
        for (int round = 0; round < 3; round++) {
            for (String s : statements) {
                assertEquals(new StatementFingerprint().of(s), f.of(s), s);
            }
        }
    }

    @Test
    void digitsBeforeAnXAreNotOneOutline() {
        // 0x10 is one number; 00x10 a number and the word x10 (as PostgreSQL 15's lexer reads them).
        assertNotEquals(f.of("SELECT 0x10"), f.of("SELECT 00x10"));
        assertNotEquals(f.of("SELECT 0x FROM t"), f.of("SELECT 10x FROM t"));
        assertNotEquals(f.of("SELECT 10x FROM t"), f.of("SELECT 0x FROM t"));
    }

    @Test
    void onlyAsciiLettersAreFolded() {
        // PostgreSQL in UTF-8 lowercases A-Z only: SELECT * FROM Äpfel reads the table "Äpfel", not "äpfel".
        assertEquals("select * from Äpfel", norm("SELECT * FROM Äpfel"));
        assertNotEquals(f.of("SELECT * FROM Äpfel"), f.of("SELECT * FROM äpfel"));
        // Non-ASCII white space is part of a word to PostgreSQL's lexer.
        assertEquals("select a\u00a0b", norm("SELECT a\u00a0b"));
    }

    @Test
    void bigStatementsAreNotCached() {
        String big = "SELECT " + "a, ".repeat(3000) + "1";
        String same = "SELECT " + "a, ".repeat(3000) + "2";
        assertEquals(new StatementFingerprint().of(big), f.of(big));
        assertEquals(f.of(big), f.of(same));
        assertEquals(new StatementFingerprint().of("SELECT 1"), f.of("SELECT 1"), "small again after a big one");
        assertNotEquals(f.of(big), f.of("SELECT " + "b, ".repeat(3000) + "1"));
    }
}
