package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.ForwarderHandler;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * docs/operator-guide.md "Choosing the storage format": moving devel from an entries table to a new compact one, as
 * written there, with the real roots applied by pglogs with HashiCorp's AWS provider against moto. The old table
 * leaves Terraform's state and is never deleted: it keeps its entries, stays readable with --table, and no later start
 * or stop touches it.
 */
// Beside the other classes: it has a moto of its own, and most of its time is the provider waiting, not work.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class TableMoveTest {
    private static final Path JAR = Path.of("../lambda/target/pglogs-forwarder.jar").toAbsolutePath().normalize();
    private static final String GROUP = "/aws/rds/instance/orders-db/postgresql";
    private static final String OLD = "pglogs-devel";
    private static final String NEW = "pglogs-devel-compact";

    @TempDir
    Path tmp;

    private MotoRegion region;
    private DynamoDbClient ddb;
    private TestCli cli;
    private Path data;

    private String function() {
        return "pglogs-forwarder-devel-" + region.region.id();
    }

    @AfterEach
    void stopMoto() {
        if (region != null) {
            region.moto.close();
        }
    }

    @Test
    void devel_moves_to_a_compact_table_and_the_old_one_stays_readable_and_is_never_deleted() throws IOException {
        // InterruptTest deploys devel with these names (orders-db, pglogs-devel) in the shared moto: a server of its own.
        region = new MotoRegion(io.pglogs.testing.MotoServer.dedicated(), "ap-southeast-3");
        ddb = region.moto.configure(DynamoDbClient.builder()).region(region.region).build();
        region.logs.createLogGroup(b -> b.logGroupName(GROUP));
        Path terraform = DeploymentTest.copyTerraform(tmp.resolve("terraform"));
        data = terraform.resolve("persistent_data/manage_devel");
        cli = region.cli().withTerraform();
        cli.terraformDir(terraform);
        cli.env.put("PGLOGS_LAMBDA_JAR", JAR.toString());
        cli.env.put("PGLOGS_DEVEL_FUNCTION", function());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");

        // devel as first started: an entries table, and entries the forwarder as deployed wrote to it.
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals("entries", tag(OLD, ItemContract.FORMAT_TAG));
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(40 * 60);
        List<String> corpus = restamped(base);
        Set<String> before = deliver("orders-db.0", corpus.subList(0, 40), base);
        int oldItems = ddb.scan(b -> b.tableName(OLD)).count();
        List<Map<String, AttributeValue>> summaries = ddb.scan(b -> b.tableName(OLD)).items().stream()
                .filter(ItemContract::isSummary).toList();
        assertFalse(summaries.isEmpty(), "the payloads' summary items (issue 26)");
        // Rollup items (issue 26 part 2): the live path bumps or rolls the spans of entries
        // whose two-minute unit ended 2 minutes ago or more (ROLL_AFTER less the clock skew).
        long rollups = ddb.scan(b -> b.tableName(OLD)).items().stream().filter(ItemContract::isRollup).count();
        assertEquals(before.size() + 1, oldItems - summaries.size() - rollups,
                "one item per entry and the catalogue's");

        // The guide's step: name a new table with the other format.
        cli.env.put("PGLOGS_DEVEL_TABLE", NEW);
        cli.env.put("PGLOGS_DEVEL_STORAGE", "compact");
        r = cli.run("start", "devel", "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("    devel moves to another table: " + OLD + " -> " + NEW), r.out());
        assertTrue(r.out().contains(OLD + " (entries, about "), r.out());
        assertTrue(r.out().contains("its entries expire by their TTL (90 days after each entry's time). Read it with: "
                + "pglogs query --env devel --table " + OLD), r.out());
        assertTrue(r.out().contains("Move shown for devel; nothing was changed."), r.out());
        assertFalse(r.out().contains("==> [2/2]"), r.out());
        assertInState(OLD);
        assertFalse(exists(NEW), "a dry run makes nothing");

        // Without a terminal, even with --yes (a CI runner's), with another table named, or answered no: exit 3 and
        // nothing changed.
        String needsConfirmation = "pglogs: moving devel from " + OLD + " to " + NEW + " needs a confirmation: run at "
                + "a terminal, or pass --move-table-from " + OLD + " (--yes is not enough); nothing was changed\n";
        r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertEquals(needsConfirmation, r.err());
        r = cli.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertEquals(needsConfirmation, r.err());
        r = cli.run("start", "devel", "--yes", "--move-table-from", "pglogs-other");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: --move-table-from pglogs-other does not name the table devel's Terraform state manages, "
                + OLD + "; nothing was changed\n", r.err());
        assertInState(OLD);
        cli.interactive = true;
        cli.stdin = "no\n";
        r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("not confirmed: devel still writes to " + OLD + "; nothing was changed"), r.err());
        assertInState(OLD);
        assertFalse(exists(NEW));

        // A stop meanwhile stops the collectors of the table they write to, though devel.table names another.
        cli.interactive = false;
        r = cli.run("stop", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("devel.table names " + NEW + ", which does not exist; the function " + function()
                + " writes to " + OLD + ": stopping the collectors of that table"), r.out());
        assertInState(OLD);

        // A plan that fails once the old table left the state: never "nothing was changed", but what the move left
        // and the two ways on; the old table is tagged only once the new one is made.
        Path failing = data.resolve("zz_failing_plan.tf");
        Files.writeString(failing, "output \"unreadable\" {\n  value = file(\"/nonexistent/pglogs\")\n}\n");
        r = cli.run("start", "devel", "--move-table-from", OLD);
        Files.delete(failing);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains(" plan failed in "), r.err());
        assertTrue(r.err().endsWith("; later steps were not run; but the move of devel is half done: " + OLD + " left "
                + "persistent_data/manage_devel's state (it is still in AWS, untouched, and the collectors still write "
                + "to it), and " + NEW + " was not made. To finish the move: pglogs start devel. To undo it: set "
                + "devel.table = " + OLD + " and run 'pglogs start devel', which adopts " + OLD + " back into the "
                + "state\n"), r.err());
        assertFalse(r.err().contains("nothing was changed"), r.err());
        assertEquals("", TerraformFixtures.run(data, cli.env, "state", "list").strip());
        assertNull(tag(OLD, "pglogs:replaced_by"));
        assertFalse(exists(NEW));

        // Undone as said: devel.table back to the old table, which start adopts.
        TestCli undo = copy(cli);
        undo.env.put("PGLOGS_DEVEL_TABLE", OLD);
        undo.env.remove("PGLOGS_DEVEL_STORAGE");
        r = undo.run("start", "devel", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("adopting table " + OLD), r.out());
        assertInState(OLD);
        assertEquals(oldItems, ddb.scan(b -> b.tableName(OLD)).count());

        cli.interactive = true;
        cli.stdin = "yes\n";
        r = cli.run("start", "devel");
        cli.interactive = false;
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Move devel to " + NEW + ", keeping " + OLD + "? Type 'yes' to go ahead:"),
                r.out());
        assertTrue(r.out().contains("forgetting module.table.aws_dynamodb_table.this[0]"), r.out());
        assertFalse(r.out().contains("Destroying..."), r.out());
        assertInState(NEW);
        assertEquals("compact", tag(NEW, ItemContract.FORMAT_TAG));
        assertEquals(oldItems, ddb.scan(b -> b.tableName(OLD)).count(), "the old table keeps every item");
        assertEquals("entries", tag(OLD, ItemContract.FORMAT_TAG), "the old table keeps its layout tags");
        assertEquals("90", tag(OLD, ItemContract.TTL_DAYS_TAG));
        assertEquals(NEW, tag(OLD, "pglogs:replaced_by"));
        Map<String, String> forwarder = functionEnvironment();
        assertEquals(NEW, forwarder.get("PGLOGS_TABLE"));
        assertEquals("compact", forwarder.get("PGLOGS_FORMAT"));

        // What the forwarder writes from now on goes to the new table, packed.
        Set<String> after = deliver("orders-db.1", corpus.subList(40, 80), base.plusSeconds(40 * 13));
        assertEquals(oldItems, ddb.scan(b -> b.tableName(OLD)).count(), "nothing more was written to the old table");
        // Beside them, the summary items of the same payloads (issue 26).
        List<Map<String, AttributeValue>> packed = ddb.scan(b -> b.tableName(NEW)).items().stream()
                .filter(i -> !ItemContract.isCatalog(i) && !ItemContract.isSummary(i) && !ItemContract.isRollup(i))
                .toList();
        assertTrue(packed.stream().allMatch(ItemContract::isCompact), "the new table holds packed items only");
        assertTrue(packed.size() < after.size() / 4, packed.size() + " items for " + after.size() + " entries");

        // Each table reads by its own layout: the environment's the new entries, --table the old ones.
        String window = "--since=" + base.minusSeconds(60);
        String until = "--until=" + base.plusSeconds(80 * 13 + 60);
        assertEquals(after, eventIds(cli.run("query", "--no-color", window, until, "-o", "ndjson")));
        assertEquals(before, eventIds(cli.run("query", "--no-color", window, until, "-o", "ndjson", "--table", OLD)));
        r = cli.run("tail", "--no-color", window, until, "-o", "ndjson", "--table", OLD);
        assertEquals(before, eventIds(r));

        // A table that is not a pglogs one, or none at all: one line, exit 2.
        ddb.createTable(b -> b.tableName("orders").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
                .keySchema(k -> k.attributeName("id").keyType("HASH")));
        r = cli.run("query", "--table", "orders");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: --table orders is not a pglogs table (no pglogs:* tags and pk/sk keys): pglogs reads "
                + "only tables persistent_data made\n", r.err());
        r = cli.run("query", "--table", "nosuch");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: --table nosuch: no such table in ap-southeast-3 (devel's own is " + NEW + ")\n",
                r.err());

        // A later start leaves both tables alone; one whose settings predate the move is refused, not moved back.
        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(), r.out());
        assertFalse(r.out().contains("moves to another table"), r.out());
        TestCli colleague = copy(cli);
        colleague.env.remove("PGLOGS_DEVEL_TABLE");
        colleague.env.remove("PGLOGS_DEVEL_STORAGE");
        r = colleague.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: table " + OLD + " is tagged pglogs:replaced_by=" + NEW + ": devel "
                + "moved from it to " + NEW + ". Set devel.table = " + NEW), r.err());
        assertInState(NEW);

        // Without the tag (lost, or never written), settings that leave devel.table out still never move devel to
        // the default name, even when the move is named.
        String oldArn = ddb.describeTable(b -> b.tableName(OLD)).table().tableArn();
        ddb.untagResource(b -> b.resourceArn(oldArn).tagKeys("pglogs:replaced_by"));
        r = colleague.run("start", "devel", "--yes", "--move-table-from", NEW);
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: devel's Terraform state manages the table " + NEW + ", but devel.table is not set (its "
                + "default is " + OLD + "): set devel.table = " + NEW + " (a start never moves devel to the default "
                + "table name; to move, set devel.table to the new table's name); nothing was changed\n", r.err());
        assertInState(NEW);
        assertTrue(exists(NEW));

        // Nor does a stop with those settings destroy the live table, tagged or not.
        r = colleague.run("stop", "devel", "--include-data", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: --include-data destroys the table devel's Terraform state manages, " + NEW + ", but "
                + "devel.table names " + OLD + ": set devel.table = " + NEW + " if that is the table to destroy; "
                + "nothing was changed\n", r.err());
        ddb.tagResource(b -> b.resourceArn(oldArn).tags(t -> t.key("pglogs:replaced_by").value(NEW)));
        r = colleague.run("stop", "devel", "--include-data", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(exists(NEW));
        assertInState(NEW);
        assertEquals(NEW, functionEnvironment().get("PGLOGS_TABLE"), "the collectors were left alone");

        // stop works, and even destroying devel's data destroys only the new table.
        r = cli.run("stop", "devel");
        assertEquals(0, r.code(), r.toString());
        try (LambdaClient lambda = lambda()) {
            assertThrows(software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.class,
                    () -> lambda.getFunction(b -> b.functionName(function())));
        }
        r = cli.run("stop", "devel", "--include-data", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertFalse(exists(NEW));
        assertEquals(oldItems, ddb.scan(b -> b.tableName(OLD)).count(), "the old table was never deleted");
        assertEquals(before, eventIds(cli.run("query", "--no-color", window, until, "-o", "ndjson", "--table", OLD)));
    }

    /** The corpus's entries restamped 13 s apart from {@code base}, as the server would have written them. */
    private static List<String> restamped(Instant base) {
        List<LogFileSplitter.RawEntry> corpus = Corpus.fresh("postgresql.log");
        assertTrue(corpus.size() >= 80, corpus.size() + " entries");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String text = corpus.get(i).text();
            String stamp = base.plusSeconds(13L * i).toString().replace("T", " ").substring(0, 19);
            lines.add(text.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC.*") ? stamp + text.substring(19)
                    : text);
        }
        return lines;
    }

    /**
     * The lines put to the group's stream and delivered as CloudWatch would, to the forwarder configured as the
     * deployed function is (its environment); returns their event ids.
     */
    private Set<String> deliver(String stream, List<String> lines, Instant from) throws IOException {
        region.logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            events.add(InputLogEvent.builder().timestamp(from.plusSeconds(13L * i).toEpochMilli())
                    .message(lines.get(i)).build());
        }
        region.logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(stream).logEvents(events));
        List<LogEvent> stored = region.logs.filterLogEventsPaginator(b -> b.logGroupName(GROUP)
                        .logStreamNames(stream)).events().stream()
                .map(e -> new LogEvent(e.eventId(), e.timestamp(), e.message())).toList();
        assertEquals(lines.size(), stored.size());
        ForwarderHandler handler = new ForwarderHandler(ForwarderConfig.fromEnvironment(functionEnvironment()), ddb);
        for (String payload : Payloads.lambdaEvents(GROUP, stream, stored, 25)) {
            handler.handleRequest(new ByteArrayInputStream(payload.getBytes()), new ByteArrayOutputStream(),
                    new BackfillImportTest.TestContext());
        }
        Set<String> ids = new HashSet<>();
        stored.forEach(e -> ids.add(e.id()));
        return ids;
    }

    private static Set<String> eventIds(TestCli.Result r) {
        assertEquals(0, r.code(), r.toString());
        Set<String> ids = new HashSet<>();
        try {
            for (String line : r.out().lines().toList()) {
                ids.add(new ObjectMapper().readTree(line).get(ItemContract.EVENT_ID).asText());
            }
        } catch (IOException e) {
            throw new AssertionError(r.out(), e);
        }
        assertFalse(ids.isEmpty(), r.toString());
        return ids;
    }

    private Map<String, String> functionEnvironment() {
        try (LambdaClient lambda = lambda()) {
            return lambda.getFunctionConfiguration(b -> b.functionName(function())).environment().variables();
        }
    }

    private LambdaClient lambda() {
        return region.moto.configure(LambdaClient.builder()).region(region.region).build();
    }

    private String tag(String table, String key) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        return ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().stream().filter(t -> t.key().equals(key))
                .map(t -> t.value()).findFirst().orElse(null);
    }

    private boolean exists(String table) {
        try {
            ddb.describeTable(b -> b.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** persistent_data's state manages exactly one table, this one. */
    private void assertInState(String table) {
        assertEquals(List.of("module.table.aws_dynamodb_table.this[0]"),
                TerraformFixtures.run(data, cli.env, "state", "list").lines().toList());
        try {
            assertEquals(table, new ObjectMapper().readTree(TerraformFixtures.run(data, cli.env, "show", "-json"))
                    .path("values").path("root_module").path("child_modules").get(0).path("resources").get(0)
                    .path("values").path("name").asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TestCli copy(TestCli from) {
        TestCli to = new TestCli();
        to.env.putAll(from.env);
        to.home = from.home;
        return to;
    }
}
