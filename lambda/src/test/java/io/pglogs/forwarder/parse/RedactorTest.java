package io.pglogs.forwarder.parse;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import io.pglogs.testing.Corpus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
    private final Redactor redactor = new Redactor();

    /** Secrets of scripts/pg-corpus that do not contain "S3cret": an access key id and an md5 verifier. */
    private static final List<String> MORE_SECRETS = List.of("IOSFODNN7EXAMPLE", "a3556571e93b0d20722ba62be61e8c2d");
    /** Values only the literals level removes: bind parameters, an auto_explain plan, a QUERY line's literal. */
    private static final String LITERAL_MARK = "L1teral";
    /** Each form of issue 27 that the fresh corpus must hold, so the test below cannot pass on a corpus without it. */
    private static final List<String> FORMS = List.of("formatS3cret", "doFormatS3cret", "siblingS3cret",
            "afterCommentS3cret", "sessionTokenS3cret", "importTokenS3cret", "exportS3cret", "insertS3cret",
            "comma,S3cret)", "sslS3cret", "quoted S3cret", "escaped S3cret", "S3cretSalt", "keyS3cret",
            "sessionS3cret", "setConfigS3cret", "alterDbS3cret", "hunterS3cret", "bareS3cret", "bindS3cret",
            "bindL1teral", "planL1teral", "contextL1teral", "IOSFODNN7EXAMPLE", "a3556571e93b0d20722ba62be61e8c2d",
            "oddQuoteS3cret", "raiseS3cret", "contextS3cret", "copyValueL1teral", "copyRowL1teral",
            "jsonTokenL1teral", "jsonFoundL1teral", "enumL1teral", "tsL1teral", "secondListS3cret", "quotedNameS3cret",
            "serverOptionS3cret", "cryptS3cret", "hmacKeyS3cret", "pgpS3cret", "digestS3cret");

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> corpusAndLevel() {
        return java.util.stream.Stream.of("postgresql.log", "pg16prefix.log", "postgresql.csv", "pg16prefix.csv",
                        "postgresql.json", "pg16prefix.json")
                .flatMap(f -> java.util.stream.Stream.of(Redaction.PASSWORDS, Redaction.LITERALS)
                        .map(l -> org.junit.jupiter.params.provider.Arguments.of(f, l)));
    }

    /**
     * The real server's corpus through the forwarder's own parsing: no secret in any attribute of any entry, nor in
     * any attribute or the packed text of the compact items made of them.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("corpusAndLevel")
    void noSecretOfTheRealCorpusSurvivesInAnyStoredAttribute(String file, Redaction level) {
        List<String> secrets = new java.util.ArrayList<>(Corpus.SECRETS);
        secrets.addAll(MORE_SECRETS);
        if (level == Redaction.LITERALS) {
            secrets.add(LITERAL_MARK);
        }
        List<LogEvent> events = Corpus.asEvents(Corpus.fresh(file), 1);
        String all = String.join("\n", events.stream().map(LogEvent::message).toList());
        if (!System.getProperty("pglogs.corpus.dir", "").isBlank()) {
            for (String form : FORMS) {
                assertTrue(all.contains(form), () -> file + " does not hold " + form + ": is scripts/pg-corpus's?");
            }
        }
        ItemFactory items = new ItemFactory(4, 90, level.redactor());
        Forwarder forwarder = new Forwarder(new PostgresLogParser(), items, null, null, line -> { });
        Forwarder.Parsed parsed = forwarder.parse(SubscriptionPayload.ofEvents("123456789012",
                "/aws/rds/instance/db/postgresql", "db.0", events));
        List<java.util.Map<String, AttributeValue>> stored = new java.util.ArrayList<>();
        for (ItemFactory.Built b : parsed.items()) {
            stored.add(b.item());
        }
        stored.addAll(new CompactItems(4).pack(stored).items());
        int withSecret = 0;
        for (LogEvent e : events) {
            withSecret += secrets.stream().anyMatch(e.message()::contains) ? 1 : 0;
        }
        for (java.util.Map<String, AttributeValue> item : stored) {
            item.forEach((name, value) -> {
                String text = storedText(value);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), () -> file + " " + level + ": " + name + " holds " + secret
                            + ": " + text);
                }
            });
        }
        assertTrue(withSecret >= 20, "only " + withSecret + " entries with a secret in " + file);
        // The original six and the role statements: at least one entry each.
        assertTrue(parsed.redacted() >= 20, "only " + parsed.redacted() + " entries redacted in " + file);
    }

    /** Every text an attribute stores: strings, string sets, and a compact item's packed entries, decompressed. */
    private static String storedText(AttributeValue v) {
        if (v.s() != null) {
            return v.s();
        }
        if (v.hasSs()) {
            return String.join("\n", v.ss());
        }
        if (v.b() != null) {
            try {
                return new String(new java.util.zip.InflaterInputStream(v.b().asInputStream()).readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return String.valueOf(v.n());
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
        // A template with PASSWORD before a placeholder, whatever its verb; the word at a literal's end opens nothing.
        assertRedacts("SELECT format('ALTER %s %I PASSWORD %L','ROLE','bob','pwB')",
                "SELECT format('ALTER %s %I PASSWORD %L','[redacted]','[redacted]','[redacted]')");
        assertRedacts("SELECT set_config('myapp.password','notsecret', false)",
                "SELECT set_config('myapp.password','[redacted]', false)");
        assertUntouched("SELECT 'no password' || 'kept'");
        // A folded field is read from its own start: an odd quote in the DETAIL before it does not hide the password.
        assertFalse(redactor.redact("ERROR:  x\nDETAIL:  it's\nSTATEMENT:  CREATE SERVER s FOREIGN DATA WRAPPER w "
                + "OPTIONS (host 'h', password 'pwQ7')").text().contains("pwQ7"));
        // A comment naming a role statement makes nothing of an ordinary statement.
        assertUntouched("SELECT 'kept' -- not an ALTER ROLE x PASSWORD y");
    }

    /**
     * Each SQL-bearing part of an entry (the message, a STATEMENT or QUERY field, a CONTEXT's {@code SQL statement
     * "..."}) is lexed from its own start: an odd quote in prose before it (a RAISE's message or DETAIL, a value a
     * DETAIL quotes) does not shift what is literal in it.
     */
    @Test
    void anOddQuoteInProseDoesNotShiftTheStatementsLexing() {
        assertNoneOf(redactor, "ERROR:  x\nDETAIL:  it's\nSTATEMENT:  CREATE USER MAPPING FOR bob SERVER s OPTIONS "
                + "(user 'bob', password 'pwQ7')", "pwQ7");
        assertNoneOf(redactor, "x\nDETAIL:  it's\nCONTEXT:  PL/pgSQL function f() line 1 at RAISE\nSTATEMENT:  "
                + "CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', paswd 'pwT1')", "pwT1");
        // The message itself is the odd one: a RAISE EXCEPTION 'it''s' after a password change in the same DO block.
        assertNoneOf(redactor, "it's\nCONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\nSTATEMENT:  "
                + "DO $$BEGIN ALTER ROLE bob PASSWORD 'pwR2'; RAISE EXCEPTION 'it''s'; END$$", "pwR2");
        assertNoneOf(redactor, "it's\nSTATEMENT:  ALTER USER bob PASSWORD pwB4", "pwB4");
        // A CONTEXT's SQL statement is SQL, not a quoted identifier: a secret setting in it is found.
        assertNoneOf(redactor, "ALTER SYSTEM cannot run inside a transaction block\nCONTEXT:  SQL statement \"ALTER "
                + "SYSTEM SET app.api_token = 'pwC3'\"\nPL/pgSQL function inline_code_block line 1 at SQL statement",
                "pwC3");
        assertNoneOf(redactor, "SQL statement \"SET LOCAL app.secret = pwC4\"\nPL/pgSQL function f() line 2 at "
                + "SQL statement", "pwC4");
        // literals: every literal of the statement, however odd the prose before it.
        assertNoneOf(new Redactor(Redaction.LITERALS), "x\nDETAIL:  it's\nSTATEMENT:  SELECT 'litA', 'litB'",
                "litA", "litB");
        // A label inside the statement's own literal is its text, not a field: STATEMENT is the last field folded in.
        assertNoneOf(redactor, "x\nSTATEMENT:  ALTER ROLE bob PASSWORD 'a\nDETAIL:  pwN5'", "pwN5");
        // The prose itself is left as it was.
        assertEquals("x\nDETAIL:  it's\nSTATEMENT:  ALTER ROLE bob PASSWORD '[redacted]'",
                redactor.redact("x\nDETAIL:  it's\nSTATEMENT:  ALTER ROLE bob PASSWORD 'pw'").text());
    }

    private static void assertNoneOf(Redactor r, String in, String... secrets) {
        String out = r.redact(in).text();
        for (String secret : secrets) {
            assertFalse(out.contains(secret), () -> secret + " kept: " + out);
        }
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
        // Upper case: nothing else in it names a secret, so the quick check before every rule must see _S3.
        assertRedacts("SELECT AWS_S3.TABLE_IMPORT_FROM_S3('t', '', '(format csv)', 'b', 'f.csv', 'us-east-1', "
                        + "'kid', 'pwU3', 'tok')",
                "SELECT AWS_S3.TABLE_IMPORT_FROM_S3('[redacted]', '[redacted]', '[redacted]', '[redacted]', "
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
        assertRedacts("ALTER USER u PASSWORD hunter$2x;", "ALTER USER u PASSWORD [redacted];");
        assertRedacts("ALTER USER u PASSWORD a(b),c%d=e:f\nVALID UNTIL 'x'",
                "ALTER USER u PASSWORD [redacted]\nVALID UNTIL '[redacted]'");
        assertRedacts("SELECT format('ALTER ROLE %I PASSWORD %2$L', 'bob', 'pw')",
                "SELECT format('ALTER ROLE %I PASSWORD %2$L', '[redacted]', '[redacted]')");
        assertRedacts("ALTER USER u WITH ENCRYPTED PASSWORD \"hunter2\" VALID UNTIL 'x'",
                "ALTER USER u WITH ENCRYPTED PASSWORD [redacted] VALID UNTIL '[redacted]'");
        assertUntouched("ALTER ROLE u PASSWORD NULL");
        // csvlog and jsonlog fold the STATEMENT into the ERROR's entry.
        assertRedacts("syntax error at or near \"hunter2\"\nSTATEMENT:  ALTER USER u PASSWORD hunter2",
                "syntax error at or near \"[redacted]\"\nSTATEMENT:  ALTER USER u PASSWORD [redacted]");
        // stderr: the ERROR line is an entry of its own (perhaps in another payload than its STATEMENT): a syntax
        // error's echo of anything but a keyword or an operator goes, whatever the statement was.
        assertRedacts("syntax error at or near \"hunter2\" at character 23",
                "syntax error at or near \"[redacted]\" at character 23");
        assertRedacts("syntax error at or near \"\"hunter2\"\"", "syntax error at or near \"[redacted]\"");
        assertRedacts("syntax error at or near \"123456\" at character 23",
                "syntax error at or near \"[redacted]\" at character 23");
        assertRedacts("trailing junk after numeric literal at or near \"123a\" at character 23",
                "trailing junk after numeric literal at or near \"[redacted]\" at character 23");
        assertUntouched("syntax error at or near \"FROM\" at character 10");
        assertUntouched("syntax error at or near \"where\"");
        assertUntouched("syntax error at or near \")\" at character 10");
        assertUntouched("syntax error at end of input");
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
    void listValuesQuotedNamesAndPgcryptoCalls() {
        // A secret setting's value is its whole list.
        assertRedacts("SET LOCAL x.secret = a, b", "SET LOCAL x.secret = [redacted], [redacted]");
        assertRedacts("SET app.api_key TO 'a', b, 'c'; SELECT 'kept'",
                "SET app.api_key TO '[redacted]', [redacted], '[redacted]'; SELECT 'kept'");
        assertRedacts("ALTER DATABASE d SET app.token = a, b", "ALTER DATABASE d SET app.token = [redacted], [redacted]");
        // A quoted identifier names the password as well as a bare one.
        assertNoneOf(redactor, "ALTER SERVER s OPTIONS (SET \"password\" 'pwA1')", "pwA1");
        assertNoneOf(redactor, "CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', \"password\" 'pwA2')",
                "pwA2");
        assertNoneOf(redactor, "UPDATE logins SET \"password\" = 'pwA3' WHERE id = 1", "pwA3");
        assertNoneOf(redactor, "SELECT connect_to(\"password\" => 'pwA4')", "pwA4");
        assertNoneOf(redactor, "ALTER DATABASE d SET \"app.password\" = 'pwA5'", "pwA5");
        assertNoneOf(redactor, "SET \"app\".\"password\" TO pwA6", "pwA6");
        assertNoneOf(redactor, "ALTER SERVER s OPTIONS (ADD \"sslpassword\" 'pwA7')", "pwA7");
        // pgcrypto: every literal of a statement calling it.
        assertRedacts("SELECT crypt('pwB1', gen_salt('bf'))", "SELECT crypt('[redacted]', gen_salt('[redacted]'))");
        assertRedacts("UPDATE u SET h = crypt('pwB2', h) WHERE name = 'bob'",
                "UPDATE u SET h = crypt('[redacted]', h) WHERE name = '[redacted]'");
        assertRedacts("SELECT hmac('data', 'pwB3', 'sha256')",
                "SELECT hmac('[redacted]', '[redacted]', '[redacted]')");
        assertRedacts("SELECT digest('pwB4', 'sha256')", "SELECT digest('[redacted]', '[redacted]')");
        assertRedacts("SELECT pgp_sym_encrypt('data', 'pwB5', 'cipher-algo=aes256')",
                "SELECT pgp_sym_encrypt('[redacted]', '[redacted]', '[redacted]')");
        assertRedacts("SELECT PGP_SYM_DECRYPT(d, 'pwB6') FROM t",
                "SELECT PGP_SYM_DECRYPT(d, '[redacted]') FROM t");
        assertRedacts("SELECT pgp_pub_decrypt(d, dearmor(k), 'pwB7') FROM t",
                "SELECT pgp_pub_decrypt(d, dearmor(k), '[redacted]') FROM t");
        assertRedacts("SELECT encrypt('data', 'pwB8', 'aes')", "SELECT encrypt('[redacted]', '[redacted]', '[redacted]')");
        assertRedacts("SELECT public.\"crypt\"('pwB9', s)", "SELECT public.\"crypt\"('[redacted]', s)");
        assertRedacts("DO $$BEGIN PERFORM crypt('pwC1', gen_salt('bf')); END$$",
                "DO $$BEGIN PERFORM crypt('[redacted]', gen_salt('[redacted]')); END$$");
        assertUntouched("SELECT 'encrypted by crypt' || 'kept', digest_id FROM t");
        // csvlog and jsonlog fold a sensitive statement's bind parameters in: they go with it.
        assertNoneOf(redactor, "duration: 0.1 ms  execute <unnamed>: SELECT crypt($1, gen_salt('bf'))\nDETAIL:  "
                + "parameters: $1 = 'pwD1'", "pwD1");
        assertNoneOf(redactor, "duration: 0.1 ms  execute <unnamed>: SELECT set_config('app.password', $1, false)"
                + "\nDETAIL:  parameters: $1 = 'pwD2'", "pwD2");
        assertUntouched("duration: 0.1 ms  execute <unnamed>: SELECT $1\nDETAIL:  parameters: $1 = 'kept'");
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
        assertEquals("invalid input syntax for type integer: \"[redacted]\" at character 8\nvalue \"[redacted]\" is out "
                + "of range for type integer", strict.redact("invalid input syntax for type integer: \"abc\" at character"
                + " 8\nvalue \"99999999999\" is out of range for type integer").text());
        assertTrue(strict.redact("SELECT 'x'").redacted());
        assertFalse(strict.redact("checkpoint complete: wrote 3 buffers").redacted());
        // The passwords level leaves ordinary literals alone.
        assertUntouched("SELECT * FROM t WHERE a = 'x'");
    }

    /** The values PostgreSQL 15 quotes from its input in error messages (docs/schema.md lists them), at literals. */
    @Test
    void literalsLevelRemovesTheInputValuesErrorMessagesQuote() {
        Redactor strict = new Redactor(Redaction.LITERALS);
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("invalid input syntax for type integer: \"v1\"\nCONTEXT:  COPY t, line 1, column id: \"v1\"",
                "invalid input syntax for type integer: \"[redacted]\"\nCONTEXT:  COPY t, line 1, column id: "
                        + "\"[redacted]\"");
        cases.put("extra data after last expected column\nCONTEXT:  COPY t, line 2: \"1\tit's \"v2\"\"",
                "extra data after last expected column\nCONTEXT:  COPY t, line 2: \"[redacted]\"");
        cases.put("COPY t, line 3, column note: \"v3\"", "COPY t, line 3, column note: \"[redacted]\"");
        cases.put("invalid input syntax for type json\nDETAIL:  Token \"v21\" is invalid.\nCONTEXT:  JSON data, "
                        + "line 1: {\"k\": v21...",
                "invalid input syntax for type json\nDETAIL:  Token \"[redacted]\" is invalid.\nCONTEXT:  JSON data, "
                        + "line 1: [redacted]");
        cases.put("JSON data, line 1: {\"user\": \"v22\",...", "JSON data, line 1: [redacted]");
        cases.put("DETAIL:  Expected \",\" or \"}\", but found \"v23\".", "DETAIL:  Expected \",\" or \"}\", but "
                + "found \"[redacted]\".");
        cases.put("DETAIL:  Expected end of input, but found \"v24\".",
                "DETAIL:  Expected end of input, but found \"[redacted]\".");
        cases.put("\"1e999v5\" is out of range for type double precision",
                "\"[redacted]\" is out of range for type double precision");
        cases.put("date/time field value out of range: \"v6\"", "date/time field value out of range: \"[redacted]\"");
        cases.put("invalid value \"v7\" for \"YYYY\"\nDETAIL:  Value must be an integer.",
                "invalid value \"[redacted]\" for \"YYYY\"\nDETAIL:  Value must be an integer.");
        cases.put("syntax error in tsquery: \"v8 &\"", "syntax error in tsquery: \"[redacted]\"");
        cases.put("no operand in tsquery: \"v8b &\" at character 8",
                "no operand in tsquery: \"[redacted]\" at character 8");
        cases.put("invalid hexadecimal digit: \"v\"", "invalid hexadecimal digit: \"[redacted]\"");
        cases.put("invalid input value for enum mood: \"v9\"", "invalid input value for enum mood: \"[redacted]\"");
        cases.put("malformed array literal: \"{v10\"\nDETAIL:  Unexpected end of input.",
                "malformed array literal: \"[redacted]\"\nDETAIL:  Unexpected end of input.");
        for (var c : cases.entrySet()) {
            assertEquals(c.getValue(), strict.redact(c.getKey()).text(), c.getKey());
        }
        // The passwords level leaves them.
        assertUntouched("invalid input syntax for type json\nDETAIL:  Token \"v21\" is invalid.");
        assertUntouched("COPY t, line 3, column note: \"v3\"");
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

    /** Text any database user can put in a logged statement, each shape repeated to about a megabyte. */
    static final java.util.Map<String, String> ADVERSARIAL = adversarialShapes(1 << 20);

    static java.util.Map<String, String> adversarialShapes(int size) {
        java.util.Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("uri scheme run", "x://" + "a.".repeat(size / 2));
        shapes.put("set name run", "set " + "key".repeat(size / 3));
        shapes.put("key values", "Key (" + ")=(".repeat(size / 3));
        shapes.put("key (a)=( lines", "key (a)=(".repeat(size / 9));
        shapes.put("uri user:", "x://a:".repeat(size / 6));
        shapes.put("echoed literal", "at or near \"'".repeat(size / 12));
        shapes.put("parameter name run", "parameter \"" + "key".repeat(size / 3));
        shapes.put("syntax echo", "syntax error at or near \"x".repeat(size / 26));
        shapes.put("failing row", "Failing row contains (".repeat(size / 22));
        shapes.put("quoted input", "invalid input syntax for type integer: \"x".repeat(size / 41));
        shapes.put("malformed", "malformed ".repeat(size / 10));
        shapes.put("copy line", "COPY t, line 1: \"x".repeat(size / 18));
        shapes.put("json token", "Token \"x".repeat(size / 8));
        shapes.put("json expected", "Expected x, but found \"".repeat(size / 23));
        shapes.put("odd quotes and labels", "it's\nDETAIL:  \"\nSQL statement \"'".repeat(size / 34));
        StringBuilder mix = new StringBuilder();
        for (String shape : List.copyOf(shapes.values())) {
            mix.append(shape, 0, size / shapes.size()).append(' ');
        }
        shapes.put("mix", mix.toString());
        return shapes;
    }

    /**
     * A guard against hangs only, not a speed target (those live in benchmarks): every shape at both levels must
     * finish, where the quadratic patterns it was written for took seconds on 40 KB and hours on a megabyte. The time
     * of each is printed.
     */
    @Test
    void adversarialTextOfAMegabyteIsRedactedInLinearTime() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
            for (Redaction level : List.of(Redaction.PASSWORDS, Redaction.LITERALS)) {
                Redactor r = new Redactor(level);
                for (var shape : ADVERSARIAL.entrySet()) {
                    long start = System.nanoTime();
                    assertNotNull(r.redact(shape.getValue()).text());
                    System.out.printf("redact %-9s %-20s %6.1f ms%n", level, shape.getKey(),
                            (System.nanoTime() - start) / 1e6);
                }
            }
        });
    }

    @Test
    void textWithoutSecretsIsUntouched() {
        for (String s : List.of("password authentication failed for user \"app\"", "ALTER ROLE app PASSWORD NULL",
                "postgres is ready", "SELECT 1", "syntax error at or near \"PASSWORD\" at character 16",
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

    @Test
    void anUpdatesSecretColumnLosesItsLiteralOnlyNotTheRestOfTheStatement() {
        assertRedacts("UPDATE users SET password = 'x' WHERE id = 1",
                // The connection string rule (password=...) takes the quotes with the value, as it did.
                "UPDATE users SET password = [redacted] WHERE id = 1");
        assertRedacts("UPDATE t SET token_count = token_count + 1 WHERE user_id = 42 RETURNING id",
                "UPDATE t SET token_count = token_count + 1 WHERE user_id = 42 RETURNING id", false);
        assertRedacts("UPDATE sessions SET token = $1, last_seen = now() WHERE id = $2",
                "UPDATE sessions SET token = $1, last_seen = now() WHERE id = $2", false);
        assertRedacts("UPDATE sessions SET last_seen = now(), api_token = 'tk9' WHERE id = 'a'",
                "UPDATE sessions SET last_seen = now(), api_token = '[redacted]' WHERE id = 'a'");
        assertRedacts("INSERT INTO kv VALUES (1, 'k') ON CONFLICT (id) DO UPDATE SET key = excluded.key WHERE kv.id > 0",
                "INSERT INTO kv VALUES (1, 'k') ON CONFLICT (id) DO UPDATE SET key = excluded.key WHERE kv.id > 0",
                false);
        // A SET command still loses its whole value list.
        assertRedacts("SET app.secret = a, b", "SET app.secret = [redacted], [redacted]");
        assertRedacts("statement: ALTER DATABASE d SET app.api_key = abc",
                "statement: ALTER DATABASE d SET app.api_key = [redacted]");
    }

    @Test
    void aLabelLineInsideTheStatementsLiteralOrCommentIsNoField() {
        assertNoneOf(redactor, "statement: SET app.secret = 'abc\nDETAIL: hunter2'", "hunter2");
        Redactor strict = new Redactor(Redaction.LITERALS);
        assertNoneOf(strict, "statement: SELECT 'a\nSQL statement \"x' AS q, 'hunter2' AS v", "hunter2");
        String comment = "statement: /*\nHINT: don't log this\n*/ SELECT crypt('hunter2', gen_salt('bf'))";
        assertNoneOf(redactor, comment, "hunter2");
        assertNoneOf(strict, comment, "hunter2");
    }

    @Test
    void aQuotedIdentifierWithAQuoteStartsNoLiteral() {
        assertEquals("SELECT \"col\"\"x\", '[redacted]' FROM t WHERE \"it's\" = '[redacted]'",
                new Redactor(Redaction.LITERALS).redact("SELECT \"col\"\"x\", 'abc' FROM t WHERE \"it's\" = 'x'")
                        .text());
        // Inside double quotes that are no identifier (a JSON plan), literals still go.
        assertEquals("{\"Filter\": \"(name = '[redacted]'::text)\"}",
                new Redactor(Redaction.LITERALS).redact("{\"Filter\": \"(name = 'bob'::text)\"}").text());
    }

    /**
     * stderr logs a statement's bind parameters as the entry after it: those after a sensitive statement of the same
     * process go, those after another process's or an ordinary statement stay, and the same payload always comes out
     * the same.
     */
    @Test
    void stderrParametersAfterASensitiveStatementOfTheSameProcessGo() {
        String p = "2024-05-01 10:00:00 UTC:10.0.0.1(5):app@db:";
        List<LogEvent> events = List.of(
                new LogEvent("1", 0, p + "[7]:LOG:  execute S_1: SELECT crypt($1, gen_salt('bf'))"),
                new LogEvent("2", 0, p + "[8]:LOG:  execute S_2: SELECT $1"),
                new LogEvent("3", 0, p + "[8]:DETAIL:  parameters: $1 = 'keptA'"),
                new LogEvent("4", 0, p + "[7]:DETAIL:  parameters: $1 = 'hunter2'"),
                new LogEvent("5", 0, p + "[7]:DETAIL:  parameters: $1 = 'keptB'"));
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        Forwarder forwarder = new Forwarder(new PostgresLogParser(), items, null, null, line -> { });
        for (int run = 0; run < 2; run++) {
            Forwarder.Parsed parsed = forwarder.parse(SubscriptionPayload.ofEvents("123456789012",
                    "/aws/rds/instance/db/postgresql", "db.0", events));
            String all = String.join("\n", parsed.items().stream().flatMap(b -> b.item().values().stream())
                    .map(RedactorTest::storedText).toList());
            assertFalse(all.contains("hunter2"), all);
            assertTrue(all.contains("parameters: $1 = '[redacted]'"), all);
            assertTrue(all.contains("keptA") && all.contains("keptB"), all);
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
