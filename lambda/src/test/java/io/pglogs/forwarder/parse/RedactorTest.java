package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "pg16prefix.log", "postgresql.csv", "pg16prefix.csv", "postgresql.json",
            "pg16prefix.json"})
    void noPasswordOfTheRealCorpusSurvivesInAnyStoredAttribute(String file) {
        ItemFactory items = new ItemFactory(4, 90, redactor);
        LogSource source = LogSource.of("/aws/rds/instance/db/postgresql", "db.0");
        PostgresLogParser parser = new PostgresLogParser();
        int redacted = 0;
        int withSecret = 0;
        for (LogEvent e : Corpus.asEvents(Corpus.fresh(file), 1)) {
            withSecret += Corpus.SECRETS.stream().anyMatch(e.message()::contains) ? 1 : 0;
            ItemFactory.Built built = items.build(source, e.id(), e.timestamp(), parser.parse(e.message()));
            built.item().forEach((name, value) -> {
                for (String secret : Corpus.SECRETS) {
                    assertFalse(String.valueOf(value.s()).contains(secret), () -> name + " holds a secret: " + value);
                }
            });
            redacted += built.redacted() ? 1 : 0;
        }
        assertTrue(withSecret >= 20, "only " + withSecret + " entries with a secret in " + file);
        // The original six and the role statements: at least one entry each.
        assertTrue(redacted >= 20, "only " + redacted + " entries redacted in " + file);
    }

    @Test
    void statementForms() {
        assertRedacts("CREATE ROLE app LOGIN PASSWORD 'x y z'", "CREATE ROLE app LOGIN PASSWORD '[redacted]'");
        assertRedacts("alter user app with encrypted password 'it''s'",
                "alter user app with encrypted password '[redacted]'");
        assertRedacts("CREATE USER MAPPING FOR app SERVER s OPTIONS (user 'app', password 'pw')",
                "CREATE USER MAPPING FOR app SERVER s OPTIONS (user '[redacted]', password '[redacted]')");
        assertRedacts("CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', password 'pw')",
                "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', password '[redacted]')");
        assertRedacts("CREATE USER u PASSWORD 'never closed", "CREATE USER u PASSWORD '[redacted]'");
        assertRedacts("CREATE SUBSCRIPTION s CONNECTION 'host=h password=pw dbname=d' PUBLICATION p",
                "CREATE SUBSCRIPTION s CONNECTION 'host=h password=[redacted] dbname=d' PUBLICATION p");
        assertRedacts("SELECT dblink_connect('host=h password = ''quoted pw'' dbname=d')",
                "SELECT dblink_connect('host=h password = [redacted] dbname=d')");
        assertRedacts("connecting to postgresql://app:pw@db:5432/x", "connecting to postgresql://app:[redacted]@db:5432/x");
    }

    @Test
    void inARoleStatementEveryLiteralIsASecretWhateverTheKeyword() {
        assertRedacts("ALTER ROLE bob PASWORD 'x1'; ALTER ROLE bob PASSWORD 'x2'",
                "ALTER ROLE bob PASWORD '[redacted]'; ALTER ROLE bob PASSWORD '[redacted]'");
        assertRedacts("create user bob with encrypted passwd 'a;b' valid until '2030-01-01'; select 'kept'",
                "create user bob with encrypted passwd '[redacted]' valid until '[redacted]'; select 'kept'");
        assertRedacts("ALTER GROUP g PASSWORD 'x'", "ALTER GROUP g PASSWORD '[redacted]'");
        assertRedacts("alter\n\trole \"we;ird\" password 'x'", "alter\n\trole \"we;ird\" password '[redacted]'");
        assertRedacts("ALTER ROLE bob -- it's a comment\n PASSWORD 'x'",
                "ALTER ROLE bob -- it's a comment\n PASSWORD '[redacted]'");
    }

    @Test
    void everyLiteralForm() {
        assertRedacts("ALTER ROLE bob PASSWORD $$do;l'ar$$", "ALTER ROLE bob PASSWORD $$[redacted]$$");
        assertRedacts("ALTER ROLE bob PASSWORD $tag$x$$y$tag$;", "ALTER ROLE bob PASSWORD $tag$[redacted]$tag$;");
        assertRedacts("CREATE ROLE bob PASSWORD U&'d\\0061ta' UESCAPE '!'",
                "CREATE ROLE bob PASSWORD U&'[redacted]' UESCAPE '[redacted]'");
        assertRedacts("ALTER ROLE bob PASSWORD E'it\\'s;x'", "ALTER ROLE bob PASSWORD E'[redacted]'");
        assertRedacts("ALTER ROLE bob PASSWORD $$never closed; more", "ALTER ROLE bob PASSWORD $$[redacted]$$");
        assertRedacts("SELECT 1; ALTER USER bob PASSWORD e'x'", "SELECT 1; ALTER USER bob PASSWORD e'[redacted]'");
        assertRedacts("DO $$BEGIN EXECUTE 'ALTER ROLE bob PASSWORD ''n3sted'''; END$$",
                "DO $$BEGIN EXECUTE 'ALTER ROLE bob PASSWORD ''[redacted]'''[redacted]'");
        assertRedacts("SELECT set_pw(password => $$s3cret$$)", "SELECT set_pw(password => $$[redacted]$$)");
    }

    @Test
    void literalsEchoedByTheLexerAndUriPasswordsWithAtAndSlash() {
        assertRedacts("unterminated dollar-quoted string at or near \"$$s3cret\n\tmore\" at character 25",
                "unterminated dollar-quoted string at or near \"$$[redacted]\" at character 25");
        assertRedacts("syntax error at or near \"'x'\"", "syntax error at or near \"'[redacted]\"");
        assertRedacts("unterminated quoted string at or near \"U&'s3\"", "unterminated quoted string at or near"
                + " \"U&'[redacted]\"");
        assertRedacts("connecting to postgresql://app:p@ss/w0rd@db:5432/x ok",
                "connecting to postgresql://app:[redacted]@db:5432/x ok");
        assertRedacts("dblink_connect('postgres://app:a/b@c@127.0.0.1:1/appdb')",
                "dblink_connect('postgres://app:[redacted]@127.0.0.1:1/appdb')");
    }

    @Test
    void textWithoutSecretsIsUntouched() {
        for (String s : List.of("password authentication failed for user \"app\"", "ALTER ROLE app PASSWORD NULL",
                "postgres is ready", "SELECT 1", "syntax error at or near \"PASWORD\" at character 16",
                "SELECT $1::int, 'a literal', $$another$$", "connection to https://example.com/x failed",
                "CREATE TABLE t (a text DEFAULT 'x')")) {
            Redactor.Result r = redactor.redact(s);
            assertFalse(r.redacted(), s);
            assertSame(s, r.text());
        }
    }

    private void assertRedacts(String in, String expected) {
        assertRedacts(in, expected, true);
    }

    private void assertRedacts(String in, String expected, boolean redacted) {
        Redactor.Result r = redactor.redact(in);
        assertEquals(redacted, r.redacted(), in);
        assertEquals(expected, r.text());
    }
}
