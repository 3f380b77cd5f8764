package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    /** The passwords scripts/pg-corpus sets; none may survive redaction, in any format. */
    private static final List<String> CORPUS_SECRETS =
            List.of("S3cr3t!pw", "an0ther", "fdwS3cret", "n0tStored", "dbl1nkS3cret");

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "pg16prefix.log", "postgresql.csv", "pg16prefix.csv"})
    void noPasswordOfTheRealCorpusSurvives(String file) {
        int redacted = 0;
        for (LogFileSplitter.RawEntry e : Corpus.fresh(file)) {
            Redactor.Result r = redactor.redact(e.text());
            for (String secret : CORPUS_SECRETS) {
                assertFalse(r.text().contains(secret), () -> "secret left in: " + r.text());
            }
            redacted += r.redacted() ? 1 : 0;
        }
        // CREATE ROLE, ALTER USER, USER MAPPING, failed CREATE USER (statement), dblink (statement + STATEMENT).
        assertTrue(redacted >= 6, "only " + redacted + " entries redacted in " + file);
    }

    @Test
    void statementForms() {
        assertRedacts("CREATE ROLE app LOGIN PASSWORD 'x y z'", "CREATE ROLE app LOGIN PASSWORD '[redacted]'");
        assertRedacts("alter user app with encrypted password 'it''s'",
                "alter user app with encrypted password '[redacted]'");
        assertRedacts("CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password 'pw')",
                "CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password '[redacted]')");
        assertRedacts("CREATE USER u PASSWORD 'never closed", "CREATE USER u PASSWORD '[redacted]'");
        assertRedacts("CREATE SUBSCRIPTION s CONNECTION 'host=h password=pw dbname=d' PUBLICATION p",
                "CREATE SUBSCRIPTION s CONNECTION 'host=h password=[redacted] dbname=d' PUBLICATION p");
        assertRedacts("SELECT dblink_connect('host=h password = ''quoted pw'' dbname=d')",
                "SELECT dblink_connect('host=h password = [redacted] dbname=d')");
        assertRedacts("connecting to postgresql://app:pw@db:5432/x", "connecting to postgresql://app:[redacted]@db:5432/x");
    }

    @Test
    void textWithoutSecretsIsUntouched() {
        for (String s : List.of("password authentication failed for user \"app\"", "ALTER ROLE app PASSWORD NULL",
                "postgres is ready", "SELECT 1")) {
            Redactor.Result r = redactor.redact(s);
            assertFalse(r.redacted(), s);
            assertSame(s, r.text());
        }
    }

    private void assertRedacts(String in, String expected) {
        Redactor.Result r = redactor.redact(in);
        assertTrue(r.redacted(), in);
        assertEquals(expected, r.text());
    }
}
