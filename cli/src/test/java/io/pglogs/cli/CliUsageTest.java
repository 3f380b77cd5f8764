package io.pglogs.cli;

import io.pglogs.cli.option.CliContext;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliUsageTest {
    private final TestCli cli = new TestCli();

    @TempDir
    Path tmp;

    @Test
    void helpListsTheCommandsAndExitCodes() {
        TestCli.Result r = cli.run("--help");
        assertEquals(0, r.code(), r.toString());
        for (String s : new String[] {"start", "stop", "status", "config", "130  interrupted"}) {
            assertTrue(r.out().contains(s), r.out());
        }
    }

    @Test
    void noCommandPrintsUsageAndExits2() {
        TestCli.Result r = cli.run();
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("Usage: pglogs"), r.err());
    }

    @Test
    void badInputIsOneLineAndExit2() {
        assertOneLineUsageError(cli.run("start", "staging"),
                "pglogs: Invalid value for positional parameter at index 0 (ENV): expected one of [devel, prod] "
                        + "(case-sensitive) but was 'staging' (see 'pglogs start --help')");
        assertOneLineUsageError(cli.run("stop", "--bogus", "devel"),
                "pglogs: Unknown option: '--bogus' (see 'pglogs stop --help')");
        assertOneLineUsageError(cli.run("start"),
                "pglogs: Missing required parameter: 'ENV' (see 'pglogs start --help')");
        assertOneLineUsageError(cli.run("status", "--output", "yaml"),
                "pglogs: Invalid value for option '--output': expected one of [text, json, ndjson, csv, html] "
                        + "(case-sensitive) but was 'yaml' (see 'pglogs status --help')");
        assertOneLineUsageError(cli.run("frobnicate"),
                "pglogs: Unmatched argument at index 0: 'frobnicate' (see 'pglogs --help')");
    }

    private static void assertOneLineUsageError(TestCli.Result r, String expected) {
        assertEquals(2, r.code(), r.toString());
        assertEquals(expected + "\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void startWithoutTheForwarderJarSaysHowToBuildIt() {
        TestCli.Result r = cli.run("start", "devel", "--lambda-jar", tmp.resolve("none.jar").toString());
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: the forwarder jar " + tmp.resolve("none.jar") + " is missing: build it with 'mvn -B "
                + "package -DskipTests' in " + cli.home + "\n", r.err());
    }

    @Test
    void aMissingTerraformBinaryIsAPreconditionWithAnInstallHint() throws Exception {
        Path jar = Files.writeString(tmp.resolve("f.jar"), "x");
        cli.env.put("PATH", tmp.toString());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        TestCli.Result r = cli.run("start", "devel", "--lambda-jar", jar.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: neither tofu nor terraform is on PATH; install OpenTofu"), r.err());
        assertEquals(1, r.err().lines().count());
        cli.env.put("PGLOGS_TERRAFORM", tmp.resolve("no-such-tofu").toString());
        r = cli.run("start", "devel", "--lambda-jar", jar.toString());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("(env PGLOGS_TERRAFORM) is not an executable terraform or tofu"), r.err());
    }

    @Test
    void configShowTellsWhereEachValueCameFrom() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.properties"), """
                region = eu-west-1
                devel.table = logs-from-file
                prod.rds_instances = orders-db, billing-db
                devel.summaries = off
                """);
        cli.env.put("PGLOGS_CONFIG", file.toString());
        cli.env.put("PGLOGS_DEVEL_FUNCTION", "fn-from-env");
        TestCli.Result r = cli.run("config", "show", "--output", "json");
        assertEquals(0, r.code(), r.toString());
        Map<String, JsonNode> byKey = settings(r.out());
        assertEquals("eu-west-1", byKey.get("region").get("value").asText());
        assertEquals("file " + file, byKey.get("region").get("source").asText());
        assertEquals("logs-from-file", byKey.get("devel.table").get("value").asText());
        assertEquals("fn-from-env", byKey.get("devel.function").get("value").asText());
        assertEquals("env PGLOGS_DEVEL_FUNCTION", byKey.get("devel.function").get("source").asText());
        assertEquals("off", byKey.get("devel.summaries").get("value").asText());
        assertEquals("file " + file, byKey.get("devel.summaries").get("source").asText());
        assertEquals("devel", byKey.get("env").get("value").asText());
        assertEquals("default", byKey.get("env").get("source").asText());

        cli.env.put("AWS_REGION", "us-west-2"); // environment beats file
        r = cli.run("config", "show", "--env", "prod", "--output", "json");
        byKey = settings(r.out());
        assertEquals("us-west-2", byKey.get("region").get("value").asText());
        assertEquals("env AWS_REGION", byKey.get("region").get("source").asText());
        assertEquals("flag --env", byKey.get("env").get("source").asText());
        assertEquals("orders-db, billing-db", byKey.get("prod.rds_instances").get("value").asText());
        assertEquals("pglogs-prod", byKey.get("prod.table").get("value").asText());

        r = cli.run("config", "show");
        assertTrue(r.out().contains("devel.table"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("region") && l.contains("us-west-2")
                && l.endsWith("env AWS_REGION")), r.out());
    }

    @Test
    void aTypoInTheConfigFileIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("config.properties"), "regoin = eu-west-1\n");
        cli.env.put("PGLOGS_CONFIG", file.toString());
        TestCli.Result r = cli.run("config", "show");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: unknown setting 'regoin' in " + file + "; known: region, profile"),
                r.err());
        cli.env.put("PGLOGS_CONFIG", tmp.resolve("missing.properties").toString());
        assertEquals(3, cli.run("config", "show").code());
    }

    @Test
    void colourOnATerminalUnlessNoColorOrTheFlag() {
        assertTrue(configShowOnTerminal(Map.of()).contains("\u001b["));
        assertFalse(configShowOnTerminal(Map.of("NO_COLOR", "1")).contains("\u001b["));
        assertFalse(configShowOnTerminal(Map.of(), "--no-color").contains("\u001b["));
        assertTrue(configShowOnTerminal(Map.of("NO_COLOR", "")).contains("\u001b["), "an empty NO_COLOR is unset");
    }

    private String configShowOnTerminal(Map<String, String> extra, String... flags) {
        java.util.Map<String, String> env = new java.util.HashMap<>(cli.env);
        env.putAll(extra);
        CliContext ctx = new CliContext(env, cli.home, new BufferedReader(new StringReader("")), true, true);
        StringWriter out = new StringWriter();
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("config", "show"),
                java.util.Arrays.stream(flags)).toArray(String[]::new);
        assertEquals(0, PglogsCli.execute(ctx, new PrintWriter(out, true), new PrintWriter(new StringWriter()), args));
        return out.toString();
    }

    private static Map<String, JsonNode> settings(String json) throws Exception {
        Map<String, JsonNode> byKey = new java.util.HashMap<>();
        new ObjectMapper().readTree(json).get("settings").forEach(s -> byKey.put(s.get("key").asText(), s));
        return byKey;
    }
}
