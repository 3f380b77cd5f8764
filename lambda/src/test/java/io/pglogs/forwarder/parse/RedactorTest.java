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
                "DO $$BEGIN EXECUTE 'ALTER ROLE bob PASSWORD ''[redacted]'''; END$$");
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
    void keywordsInsideLiteralsAndCommentsDoNotThrowTheScanOff() {
        assertRedacts("SELECT format('ALTER ROLE %I PASSWORD %L', 'bob', 'pw')",
                "SELECT format('ALTER ROLE %I PASSWORD %L', '[redacted]', '[redacted]')");
        assertRedacts("COMMENT ON ROLE b IS 'made by create user b'; ALTER ROLE b PASSWORD 'pw'",
                "COMMENT ON ROLE b IS 'made by create user b'; ALTER ROLE b PASSWORD '[redacted]'");
        assertRedacts("SELECT 'it''s -- alter role'; ALTER ROLE b /* it's */ PASSWORD 'pw'",
                "SELECT 'it''s -- alter role'; ALTER ROLE b /* it's */ PASSWORD '[redacted]'");
        assertRedacts("SELECT $f$ALTER USER x$f$, 'pw2'", "SELECT $f$ALTER USER x$f$, '[redacted]'");
        assertRedacts("EXECUTE format(E'ALTER ROLE %I PASSWORD %L', r, E'it\\'s')",
                "EXECUTE format(E'ALTER ROLE %I PASSWORD %L', r, E'[redacted]')");
        // A comment naming a role statement makes nothing of an ordinary statement.
        assertUntouched("SELECT 'kept' -- not an ALTER ROLE x PASSWORD y");
    }

    @Test
    void rdsCredentialFunctionsAndAccessKeys() {
        assertRedacts("SELECT aws_commons.create_aws_credentials('AKIAIOSFODNN7EXAMPLE', "
                        + "'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'tok')",
                "SELECT aws_commons.create_aws_credentials('[redacted]', '[redacted]', '[redacted]')");
        assertRedacts("SELECT aws_s3.table_import_from_s3('t', '', '(format csv)', 'bucket', 'f.csv', 'us-east-1', "
                        + "'k', 's', 'tok')",
                "SELECT aws_s3.table_import_from_s3('[redacted]', '[redacted]', '[redacted]', '[redacted]', "
                        + "'[redacted]', '[redacted]', '[redacted]', '[redacted]', '[redacted]')");
        assertRedacts("SELECT * FROM \"aws_s3\".\"query_export_to_s3\"('select 1', uri, options := 'x', "
                        + "credentials := aws_commons.create_aws_credentials($1, $2, ''))",
                "SELECT * FROM \"aws_s3\".\"query_export_to_s3\"('[redacted]', uri, options := '[redacted]', "
                        + "credentials := aws_commons.create_aws_credentials($1, $2, '[redacted]'))");
        assertRedacts("DETAIL:  parameters: $1 = 'AKIAIOSFODNN7EXAMPLE', $2 = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
                "DETAIL:  parameters: $1 = '[redacted]', $2 = '[redacted]'");
        assertRedacts("keys ASIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here",
                "keys [redacted] [redacted] here");
        assertRedacts("INSERT INTO creds VALUES ('AKIAIOSFODNN7EXAMPLE', 'short secret')",
                "INSERT INTO creds VALUES ('[redacted]', '[redacted]')");
    }

    @Test
    void conninfoValuesAsLibpqReadsThem() {
        assertRedacts("SELECT dblink_connect('host=h password=ab,cd) user=u')",
                "SELECT dblink_connect('host=h password=[redacted] user=u')");
        assertRedacts("SELECT dblink_connect('host=h sslpassword=k3y password=''a b\\'' c'' user=u')",
                "SELECT dblink_connect('host=h sslpassword=[redacted] password=[redacted] user=u')");
        assertRedacts("CREATE SUBSCRIPTION s CONNECTION 'password=it''s dbname=d' PUBLICATION p",
                "CREATE SUBSCRIPTION s CONNECTION 'password=[redacted] dbname=d' PUBLICATION p");
        assertRedacts("SELECT dblink_connect(E'password=\\'q w\\' host=h')",
                "SELECT dblink_connect(E'password=[redacted] host=h')");
        assertRedacts("could not connect: host=h PassWord='x y' port=1",
                "could not connect: host=h PassWord=[redacted] port=1");
    }

    @Test
    void bareAndFailedPasswordsWithTheLexersEcho() {
        assertRedacts("ALTER USER u PASSWORD hunter2;", "ALTER USER u PASSWORD [redacted];");
        assertRedacts("ALTER USER u WITH ENCRYPTED PASSWORD \"hunter2\" VALID UNTIL 'x'",
                "ALTER USER u WITH ENCRYPTED PASSWORD [redacted] VALID UNTIL '[redacted]'");
        assertUntouched("ALTER ROLE u PASSWORD NULL");
        // csvlog and jsonlog fold the STATEMENT into the ERROR's entry.
        assertRedacts("syntax error at or near \"hunter2\"\nSTATEMENT:  ALTER USER u PASSWORD hunter2",
                "syntax error at or near \"[redacted]\"\nSTATEMENT:  ALTER USER u PASSWORD [redacted]");
        // stderr: the ERROR line is an entry of its own; the STATEMENT line after it decides.
        assertEquals("syntax error at or near \"[redacted]\" at character 23", redactor.redactEcho(
                "syntax error at or near \"hunter2\" at character 23", "ALTER USER u PASSWORD hunter2"));
        assertNull(redactor.redactEcho("syntax error at or near \"FORM\" at character 10", "SELECT * FORM t"));
        assertNull(redactor.redactEcho("syntax error at or near \"PASWORD\"", "ALTER ROLE u PASWORD 'x'"));
    }

    @Test
    void verifiersAndSecretSettings() {
        assertRedacts("UPDATE t SET v = 'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVk:c2VydmVy' -- copy",
                "UPDATE t SET v = '[redacted]' -- copy");
        assertRedacts("verifier md5a3556571e93b0d20722ba62be61e8c2d in it", "verifier [redacted] in it");
        assertRedacts("SET app.api_key = abc123", "SET app.api_key = [redacted]");
        assertRedacts("SET SESSION my.secret TO 'x y'", "SET SESSION my.secret TO '[redacted]'");
        assertRedacts("ALTER DATABASE d SET app.token = 'tok'; SELECT 'kept'",
                "ALTER DATABASE d SET app.token = '[redacted]'; SELECT 'kept'");
        assertRedacts("ALTER SYSTEM SET app.password TO 'pw'", "ALTER SYSTEM SET app.password TO '[redacted]'");
        assertRedacts("SELECT set_config('app.api_token', 'tok', false)",
                "SELECT set_config('app.api_token', '[redacted]', false)");
        assertRedacts("parameter \"app.api_token\" changed to \"tok\"", "parameter \"app.api_token\" changed to"
                + " \"[redacted]\"");
        assertUntouched("SELECT set_config('search_path', 'public', false)");
        assertUntouched("parameter \"work_mem\" changed to \"64kB\"");
    }

    @Test
    void literalsLevelReplacesEveryLiteralAndKeepsTheShape() {
        Redactor strict = new Redactor(Redaction.LITERALS);
        assertEquals("SELECT * FROM t WHERE a = '[redacted]' AND b = E'[redacted]' AND c = $$[redacted]$$ AND d = 42",
                strict.redact("SELECT * FROM t WHERE a = 'x' AND b = E'y\\'z' AND c = $$w$$ AND d = 42").text());
        assertEquals("duration: 1.2 ms  execute <unnamed>: SELECT $1\nDETAIL:  parameters: $1 = '[redacted]'",
                strict.redact("duration: 1.2 ms  execute <unnamed>: SELECT $1\nDETAIL:  parameters: $1 = 'bob'")
                        .text());
        assertEquals("SQL statement \"SELECT '[redacted]'\"\nPL/pgSQL function f() line 3 at PERFORM",
                strict.redact("SQL statement \"SELECT 'x'\"\nPL/pgSQL function f() line 3 at PERFORM").text());
        assertEquals("Filter: (owner = '[redacted]'::text)", strict.redact("Filter: (owner = 'bob'::text)").text());
        assertEquals("Key (email)=([redacted]) already exists.",
                strict.redact("Key (email)=(bob@example.com) already exists.").text());
        assertEquals("Failing row contains ([redacted]).", strict.redact("Failing row contains (1, bob, null).")
                .text());
        assertTrue(strict.redact("SELECT 'x'").redacted());
        assertFalse(strict.redact("checkpoint complete: wrote 3 buffers").redacted());
        // The passwords level leaves ordinary literals alone.
        assertUntouched("SELECT * FROM t WHERE a = 'x'");
    }

    @Test
    void levelsReadTheirOldBooleanSpellings() {
        assertEquals(Redaction.PASSWORDS, Redaction.of(null));
        assertEquals(Redaction.PASSWORDS, Redaction.of("true"));
        assertEquals(Redaction.PASSWORDS, Redaction.of(" Passwords "));
        assertEquals(Redaction.NONE, Redaction.of("false"));
        assertEquals(Redaction.NONE, Redaction.of("0"));
        assertEquals(Redaction.LITERALS, Redaction.of("LITERALS"));
        assertThrows(IllegalArgumentException.class, () -> Redaction.of("all"));
        assertEquals("true", Redaction.PASSWORDS.tagValue());
        assertNull(Redaction.NONE.redactor());
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

    private void assertUntouched(String in) {
        Redactor.Result r = redactor.redact(in);
        assertFalse(r.redacted(), in);
        assertSame(in, r.text());
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
