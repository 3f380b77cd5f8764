package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/cli.md: a format a command does not write is a usage error; the others write text or json. */
class OutputFormatTest {
    private final TestCli cli = new TestCli();

    @TempDir
    Path tmp;

    @Test
    void commandsThatWriteOnlyTextRefuseEveryOtherFormatBeforeCallingAnything() throws Exception {
        Path log = Files.writeString(tmp.resolve("postgresql.log"), "x\n");
        for (String format : new String[] {"json", "csv", "ndjson", "html"}) {
            assertUsage(cli.run("backfill", "-i", "orders-db", "--since", "1h", "-o", format),
                    "pglogs: backfill writes text, not " + format + " (see 'pglogs backfill --help')");
            assertUsage(cli.run("-o", format, "import", "-i", "orders-db", log.toString()),
                    "pglogs: import writes text, not " + format + " (see 'pglogs import --help')");
            assertUsage(cli.run("start", "devel", "--output", format),
                    "pglogs: start writes text, not " + format + " (see 'pglogs start --help')");
        }
        assertUsage(cli.run("instances", "-o", "csv"),
                "pglogs: instances writes text or json, not csv (see 'pglogs instances --help')");
        assertUsage(cli.run("state", "show", "devel", "-o", "ndjson"),
                "pglogs: state show writes text or json, not ndjson (see 'pglogs state show --help')");
        // html is the report's alone: the commands that write several formats each name theirs.
        assertUsage(cli.run("status", "-o", "html"),
                "pglogs: status writes text or json, not html (see 'pglogs status --help')");
        assertUsage(cli.run("query", "-i", "orders-db", "-o", "html"),
                "pglogs: query writes text or json or ndjson or csv, not html (see 'pglogs query --help')");
        assertUsage(cli.run("tail", "-i", "orders-db", "-o", "html"),
                "pglogs: tail writes text or ndjson, not html (see 'pglogs tail --help')");
        assertUsage(cli.run("report", "-o", "ndjson"),
                "pglogs: report writes text or json or html, not ndjson (see 'pglogs report --help')");
        assertEquals(0, cli.run("import", "--help", "-o", "json").code(), "help is help in any format");
    }

    @Test
    void stateShowWritesJson() throws Exception {
        cli.env.put("AWS_REGION", "eu-west-1");
        cli.env.put("PGLOGS_TERRAFORM_DIR", tmp.toString());
        // Local states live in the state directory, under the account: known from the setting, no AWS call made.
        cli.env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
        cli.env.put("PGLOGS_PROD_ACCOUNT_ID", "123456789012");
        TestCli.Result r = cli.run("state", "show", "prod", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode state = new ObjectMapper().readTree(r.out());
        assertEquals("prod", state.get("env").asText(), r.out());
        assertFalse(state.get("shared").asBoolean(), r.out());
        assertEquals(2, state.get("roots").size(), r.out());
        JsonNode data = state.get("roots").get(0);
        assertEquals("persistent_data", data.get("root").asText(), r.out());
        assertTrue(data.get("where").asText().contains(tmp.resolve("state/pglogs/123456789012/eu-west-1/prod")
                .toString()), r.out());
        assertFalse(data.get("initialised").asBoolean(), r.out());
        assertEquals("", r.err());
    }

    private static void assertUsage(TestCli.Result r, String line) {
        assertEquals(2, r.code(), r.toString());
        assertEquals(line + "\n", r.err());
        assertEquals("", r.out());
    }
}
