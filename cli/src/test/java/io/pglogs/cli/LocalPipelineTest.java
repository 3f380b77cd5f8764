package io.pglogs.cli;

import io.pglogs.cli.config.Host;


import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.local.LocalState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** local up, real PostgreSQL activity, query --local, local down: the whole pipeline on this machine. */
@Tag("integration")
class LocalPipelineTest {
    @TempDir
    Path tmp;

    @Test
    void realActivityIsQueryableWithPasswordsRedactedAndDownLeavesNothingRunning() throws Exception {
        String moto = System.getProperty("pglogs.moto.server", "");
        assertFalse(moto.isBlank(), "pglogs.moto.server is not set: run scripts/test, which installs moto");
        TestCli cli = new TestCli();
        Path dir = tmp.resolve("local");
        cli.env.put("PGLOGS_LOCAL_DIR", dir.toString());
        cli.env.put("PGLOGS_MOTO_SERVER", moto);
        List<Long> pids = new ArrayList<>();
        try {
            TestCli.Result up = cli.run("local", "up");
            assertEquals(0, up.code(), up.toString());
            LocalState state = LocalState.at(dir);
            for (String key : List.of("moto_pid", "postgres_pid", "delivery_pid")) {
                pids.add(state.pid(key));
            }
            String url = state.get("postgres_url");
            assertTrue(up.out().contains(url) && up.out().contains(state.endpoint()), up.out());
            assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(dir));
            assertEquals(0, psql(url, "SELECT 1").code(), "the URL with its password connects");
            String noPassword = url.replaceFirst("postgres:[^@]*@", "postgres@");
            Psql refused = psql(noPassword, "SELECT 1");
            assertNotEquals(0, refused.code(), "PostgreSQL trusted a TCP connection without a password");
            assertTrue(refused.output().contains("password"), refused.output());
            assertEquals(0, cli.run("local", "up").code(), "a second up finds it running");

            logged(url, "SELECT 1/0");
            logged(url, "SELECT pg_sleep(0.25)");
            logged(url, "CREATE ROLE local_test LOGIN PASSWORD 'Sup3r-S3cret'");
            logged(url, "ALTER ROLE local_test PASSWORD 'An0ther-S3cret'");

            List<JsonNode> rows = awaitRows(cli, 4);
            String all = rows.toString();
            assertTrue(rows.stream().anyMatch(r -> r.get("severity").asText().equals("ERROR")
                    && r.get("message").asText().equals("division by zero")), all);
            assertTrue(rows.stream().anyMatch(r -> r.get("message").asText().startsWith("duration: ")
                    && r.get("message").asText().contains("pg_sleep(0.25)")), all);
            assertTrue(rows.stream().anyMatch(r -> r.get("message").asText()
                    .equals("statement: CREATE ROLE local_test LOGIN PASSWORD '[redacted]'")
                    && r.get("redacted").asBoolean()), all);
            assertFalse(all.contains("S3cret"), "a password was stored");
            rows.forEach(r -> assertEquals("local-pg", r.get("instance").asText()));

            // The loop counts a payload once its forward call returns, which rolls up after the entries are stored:
            // the rows may be queryable a moment before they are counted.
            long deadline = System.nanoTime() + 30_000_000_000L;
            long delivered;
            do {
                TestCli.Result status = cli.run("local", "status", "-o", "json");
                assertEquals(0, status.code(), status.toString());
                delivered = new ObjectMapper().readTree(status.out()).get("delivered").asLong();
                if (delivered < rows.size()) {
                    Thread.sleep(300);
                }
            } while (delivered < rows.size() && System.nanoTime() < deadline);
            assertTrue(delivered >= rows.size(), delivered + " delivered, " + rows.size() + " rows");

            // No function runs in the emulator: status says what stands in for it, and counts its absence as nothing.
            TestCli.Result deployment = cli.run("status", "devel", "--local");
            assertTrue(deployment.out().contains("local pipeline: no function pglogs-forwarder-devel runs in the "
                    + "emulator; the delivery loop of 'pglogs local up' reads the log groups"), deployment.toString());
            assertFalse(deployment.out().contains("function pglogs-forwarder-devel does not exist"),
                    deployment.out());
            assertEquals(0, deployment.code(), deployment.toString());
            TestCli.Result failed = cli.run("failed", "show", "devel", "--local");
            assertEquals(0, failed.code(), failed.toString());
            assertTrue(failed.out().startsWith("the local pipeline has no failure queue: its delivery loop retries"),
                    failed.toString());
        } finally {
            TestCli.Result down = cli.run("local", "down");
            assertEquals(0, down.code(), down.toString());
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        assertFalse(Files.exists(dir), "local state left behind");
        assertEquals(1, cli.run("local", "status").code());
        assertEquals(3, cli.run("query", "--local").code(), "query --local without the pipeline is a precondition");
    }

    private static List<JsonNode> awaitRows(TestCli cli, int atLeastErrorsAndStatements) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            TestCli.Result r = cli.run("query", "--local", "--since", "10m", "-o", "ndjson", "--grep",
                    "division|pg_sleep|local_test");
            assertEquals(0, r.code(), r.toString());
            List<JsonNode> rows = new ArrayList<>();
            for (String line : r.out().lines().toList()) {
                rows.add(new ObjectMapper().readTree(line));
            }
            if (rows.size() >= atLeastErrorsAndStatements || System.nanoTime() > deadline) {
                return rows;
            }
            Thread.sleep(300);
        }
    }

    @Test
    void theStateDirectoryIsPrivateAndNeverSomeoneElses() throws Exception {
        TestCli cli = new TestCli();
        cli.env.remove("XDG_RUNTIME_DIR");
        Path home = Path.of(cli.env.get("HOME"));
        assertEquals(home.resolve(".local/state/pglogs/local"), LocalState.directory(
                new Host(cli.env, cli.home)), "not a name guessable under /tmp");

        Path open = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        cli.env.put("PGLOGS_LOCAL_DIR", open.toString());
        Files.writeString(open.resolve("local.properties"), "endpoint=http://127.0.0.1:9/\n");
        TestCli.Result r = cli.run("query", "--local");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: the local state directory " + open + " has mode rwxrwxrwx, not rwx------: refusing to "
                + "use it; remove it or set PGLOGS_LOCAL_DIR\n", r.err());
        r = cli.run("local", "up");
        assertEquals(3, r.code(), r.toString());
        assertTrue(Files.exists(open.resolve("local.properties")), "up acted on a directory it refused");

        if ("root".equals(System.getProperty("user.name"))) {
            Path theirs = Files.createDirectories(tmp.resolve("theirs"));
            Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
            Files.setOwner(theirs, theirs.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres"));
            cli.env.put("PGLOGS_LOCAL_DIR", theirs.toString());
            r = cli.run("local", "down");
            assertEquals(3, r.code(), r.toString());
            assertEquals("pglogs: the local state directory " + theirs + " belongs to postgres, not root: refusing "
                    + "to use it; remove it or set PGLOGS_LOCAL_DIR\n", r.err());
        }
    }

    record Psql(int code, String output) {
    }

    /** A statement for the server to log: it may fail (1/0 does), but psql must have connected. */
    private static void logged(String url, String sql) throws Exception {
        Psql r = psql(url, sql);
        assertNotEquals(2, r.code(), "psql could not connect: " + r.output());
    }

    /** psql with an environment of its own: a PGSSLMODE, PGOPTIONS or ~/.pgpass where the tests run must not count. */
    private static Psql psql(String url, String sql) throws Exception {
        String psql = Files.isExecutable(Path.of("/usr/lib/postgresql/15/bin/psql")) ? "/usr/lib/postgresql/15/bin/psql"
                : "psql";
        Process p = TestCli.process(Map.of("PGPASSFILE", "/dev/null"), List.of(psql, url, "-X", "-q", "-w", "-c", sql))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Psql(p.waitFor(), output);
    }
}
