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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** awscli's conventions: global options on either side of the command, help everywhere, no empty values. */
class CliConventionsTest {
    private final TestCli cli = new TestCli();

    @TempDir
    Path tmp;

    @Test
    void awsOptionsWorkBeforeAndAfterTheCommandWithTheSamePrecedence() throws Exception {
        for (String[] args : List.of(
                new String[] {"--region", "eu-west-3", "--profile", "ops", "--endpoint-url", "http://127.0.0.1:4566",
                        "config", "show", "-o", "json"},
                new String[] {"config", "show", "--region", "eu-west-3", "--profile", "ops", "--endpoint-url",
                        "http://127.0.0.1:4566", "--output", "json"},
                new String[] {"--output", "json", "config", "--region", "eu-west-3", "show", "--profile", "ops",
                        "--endpoint-url=http://127.0.0.1:4566"})) {
            cli.env.put("AWS_REGION", "us-west-2"); // a flag beats the variable, wherever it is typed
            TestCli.Result r = cli.run(args);
            assertEquals(0, r.code(), r.toString());
            Map<String, JsonNode> s = settings(r.out());
            assertEquals("eu-west-3", s.get("region").get("value").asText(), String.join(" ", args));
            assertEquals("flag --region", s.get("region").get("source").asText());
            assertEquals("ops", s.get("profile").get("value").asText());
            assertEquals("http://127.0.0.1:4566", s.get("endpoint_url").get("value").asText());
        }
        cli.env.put("AWS_REGION", "us-west-2");
        assertEquals("env AWS_REGION", settings(cli.run("config", "show", "-o", "json").out()).get("region")
                .get("source").asText());
        // Given on both sides, the later one wins, as when an option is repeated.
        assertEquals("ap-south-1", settings(cli.run("--region", "eu-west-3", "config", "show", "--region",
                "ap-south-1", "-o", "json").out()).get("region").get("value").asText());
    }

    @Test
    void verboseQuietAndNoColorWorkBeforeAndAfterTheCommand() throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.properties"), "regoin = x\n");
        cli.env.put("PGLOGS_CONFIG", file.toString());
        for (String[] args : List.of(new String[] {"-v", "config", "show"}, new String[] {"config", "show", "-v"},
                new String[] {"config", "--verbose", "show"})) {
            TestCli.Result r = cli.run(args);
            assertEquals(3, r.code(), r.toString());
            assertTrue(r.err().contains("\tat io.pglogs.cli"), "a stack trace with -v: " + r);
        }
        assertEquals(1, cli.run("config", "show").err().lines().count());
        cli.env.remove("PGLOGS_CONFIG");
        assertTrue(onTerminal("config", "show").contains("\u001b["));
        assertFalse(onTerminal("--no-color", "config", "show").contains("\u001b["));
        assertFalse(onTerminal("config", "show", "--no-color").contains("\u001b["));
    }

    @Test
    void everyCommandTakesHelp() {
        List<String> paths = new ArrayList<>();
        collect(PglogsCli.create(context(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                false), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, paths.toString());
        for (String path : paths) {
            for (String help : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(List.of(path.split(" ")));
                args.remove(0);
                args.add(help);
                TestCli.Result r = cli.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), path + " " + help + ": " + r);
                assertTrue(r.out().startsWith("Usage: " + path), r.out());
                assertTrue(r.out().contains("--region=REGION") && r.out().contains("--no-color"), r.out());
                assertEquals("", r.err());
            }
        }
        assertTrue(cli.run("--version").out().startsWith("pglogs "));
        assertEquals(2, cli.run("query", "--version").code(), "the version is the top command's");
    }

    private static void collect(CommandLine cmd, List<String> prefix, List<String> paths) {
        List<String> here = new ArrayList<>(prefix);
        here.add(cmd.getCommandName());
        paths.add(String.join(" ", here));
        cmd.getSubcommands().values().forEach(sub -> collect(sub, here, paths));
    }

    @Test
    void emptyAndMalformedValuesAreUsageErrorsInOneLine() throws Exception {
        Path log = Files.writeString(tmp.resolve("postgresql.log"), "");
        empty(cli.run("query", "--instance="), "option '--instance'", "query");
        empty(cli.run("query", "-i", "a,,b"), "option '--instance'", "query");
        empty(cli.run("--profile=", "status"), "option '--profile'", "");
        empty(cli.run("status", "--profile", ""), "option '--profile'", "status");
        empty(cli.run("--endpoint-url", " ", "query"), "option '--endpoint-url'", "");
        empty(cli.run("query", "--grep="), "option '--grep'", "query");
        empty(cli.run("start", "devel", "--terraform-dir="), "option '--terraform-dir'", "start");
        empty(cli.run("rds", "configure", "--instance", "db", "--preset", "quiet", "--set", "log_statement="),
                "option '--set'", "rds configure");
        empty(cli.run("import", "--instance=", log.toString()), "option '--instance'", "import");
        empty(cli.run("import", "", "--instance", "db"), "positional parameter at index 0..* (FILE)", "import");
        usage(cli.run("import", log.toString()), "pglogs: Missing required option: '--instance=ID' (see 'pglogs "
                + "import --help')");
        usage(cli.run("import", "-i", "a,b", log.toString()), "pglogs: import takes one --instance, not a, b (see "
                + "'pglogs import --help')");
        usage(cli.run("query", "-i", "orders_db"), "pglogs: Invalid value for option '--instance' (ID): 'orders_db' "
                + "is not an RDS identifier (1 to 63 letters, digits and single hyphens, starting with a letter) "
                + "(see 'pglogs query --help')");
        usage(cli.run("rds", "show", "--cluster", "-x"), "pglogs: Invalid value for option '--cluster' (ID): '-x' "
                + "is not an RDS identifier");
        usage(cli.run("--region", "US East", "status"), "pglogs: Invalid value for option '--region': "
                + "'US East' is not an AWS region (like eu-west-1)");
        usage(cli.run("status", "--endpoint-url", "localhost:4566"), "pglogs: Invalid value for option "
                + "'--endpoint-url': 'localhost:4566' is not an http:// or https:// URL with a host");
        usage(cli.run("backfill", "--since", "1h", "--log-group", "no spaces"), "pglogs: Invalid value for option "
                + "'--log-group' (GROUP): 'no spaces' is not a log group name");
        usage(cli.run("rds", "show"), "pglogs: name one --instance or one --cluster (see 'pglogs rds show --help')");
        usage(cli.run("status", "-o", "csv"), "pglogs: status writes text or json, not csv (see 'pglogs status "
                + "--help')");
        usage(cli.run("tail", "-o", "json"), "pglogs: tail writes text or ndjson, not json (see 'pglogs tail "
                + "--help')");
        usage(cli.run("tail", "-f", "--until", "1m"), "pglogs: --until cannot be combined with --follow");
    }

    @Test
    void theEnvironmentIsAnArgumentOrEnvAlike() throws Exception {
        Path missing = tmp.resolve("none.jar");
        for (String[] args : List.of(new String[] {"start", "prod"}, new String[] {"start", "--env", "prod"},
                new String[] {"start", "-e", "prod"}, new String[] {"start", "prod", "--env", "prod"})) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--lambda-jar", missing.toString()));
            TestCli.Result r = cli.run(all.toArray(String[]::new));
            assertEquals(3, r.code(), r.toString()); // past parsing: the environment was understood
            assertTrue(r.err().contains("forwarder jar"), r.toString());
        }
        usage(cli.run("start", "devel", "--env", "prod"), "pglogs: the environment is devel or prod, not both");
        usage(cli.run("stop", "--env="), "pglogs: Invalid value for option '--env'");
        usage(cli.run("failed", "show"), "pglogs: Missing required parameter: 'ENV' (see 'pglogs failed show "
                + "--help')");
        TestCli.Result r = cli.run("config", "show", "-e", "prod", "-o", "json");
        assertEquals("flag --env", settings(r.out()).get("env").get("source").asText());
        for (String command : new String[] {"status", "query", "tail", "backfill", "import", "retention set",
                "failed show", "failed redrive", "start", "stop", "config show"}) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            assertTrue(cli.run(args.toArray(String[]::new)).out().contains("-e, --env=ENV"), command);
        }
    }

    private static void empty(TestCli.Result r, String what, String command) {
        usage(r, "pglogs: Invalid value for " + what);
        assertTrue(r.err().endsWith("empty: give a value or leave the option out (see 'pglogs"
                + (command.isEmpty() ? "" : " " + command) + " --help')\n"), r.toString());
    }

    private static void usage(TestCli.Result r, String start) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith(start), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertEquals("", r.out());
    }

    private CliContext context() {
        return new CliContext(cli.env, cli.home, new BufferedReader(new StringReader("")), false, false);
    }

    private String onTerminal(String... args) {
        Map<String, String> env = new HashMap<>(cli.env);
        CliContext ctx = new CliContext(env, cli.home, new BufferedReader(new StringReader("")), true, true);
        StringWriter out = new StringWriter();
        assertEquals(0, PglogsCli.execute(ctx, new PrintWriter(out, true), new PrintWriter(new StringWriter()), args));
        return out.toString();
    }

    private static Map<String, JsonNode> settings(String json) throws Exception {
        Map<String, JsonNode> byKey = new HashMap<>();
        new ObjectMapper().readTree(json).get("settings").forEach(s -> byKey.put(s.get("key").asText(), s));
        return byKey;
    }
}
