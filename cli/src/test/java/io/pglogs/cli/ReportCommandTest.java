package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** report against moto: entries written by the forwarder's own code, read back through the command. */
@Tag("integration")
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    private static final ItemFactory ITEMS = new ItemFactory(4, 90, new Redactor());
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static String table;
    private static Instant t0;
    private static int ids;

    @BeforeAll
    static void table() throws Exception {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        table = LogTables.create(ddb, "report");
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        LogSource single = LogSource.of(LogSource.instanceLogGroup("solo-db"), "solo-db.0");
        LogSource aurora = LogSource.of(LogSource.clusterLogGroup("orders"), "orders-1.0");
        for (int i = 0; i < 30; i++) {
            items.add(item(single, t0.plusSeconds(i), "LOG", "duration: " + (i + 1) + ".5 ms  statement: SELECT * "
                    + "FROM t" + i % 3 + " WHERE id = " + i));
        }
        items.add(item(single, t0.plusSeconds(40), "ERROR", "relation \"\u001b[31mgone\" does not exist"));
        items.add(item(aurora, t0.plusSeconds(50), "LOG", "duration: 9.000 ms  statement: SELECT 1"));
        items.add(item(aurora, t0.plusSeconds(51), "LOG", "checkpoint starting: time"));
        LocalDate day = LocalDate.ofInstant(t0, ZoneOffset.UTC);
        items.add(ITEMS.catalogItem("solo-db", null, day));
        items.add(ITEMS.catalogItem("orders-1", "orders", day));
        LocalDate end = LocalDate.ofInstant(t0.plusSeconds(60), ZoneOffset.UTC);
        if (!end.equals(day)) {
            items.add(ITEMS.catalogItem("solo-db", null, end));
            items.add(ITEMS.catalogItem("orders-1", "orders", end));
        }
        try (BatchWriter writer = new BatchWriter(ddb, table, 4)) {
            writer.write(items, Deadline.after(Duration.ofSeconds(60)));
        }
    }

    private static Map<String, AttributeValue> item(LogSource source, Instant t, String severity, String message) {
        String line = t.toString().replace("T", " ").replace("Z", "").substring(0, 19) + " UTC:10.0.0.9(5000):app@shop:"
                + "[4242]:" + severity + ":  " + message;
        return ITEMS.forSource(source).build(String.format("%056d", ++ids), t.toEpochMilli(), PARSER.parse(line))
                .item();
    }

    private TestCli.Result run(String... args) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        List<String> all = new ArrayList<>(List.of("report", "--since", t0.minusSeconds(10).toString(), "--until",
                t0.plusSeconds(120).toString()));
        all.addAll(List.of(args));
        return cli.run(all.toArray(String[]::new));
    }

    @Test
    void everyInstanceByDefaultAsJson() throws Exception {
        TestCli.Result r = run("-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(33, doc.path("overview").path("entries").asLong());
        assertEquals(2, doc.path("read").path("instances").asInt());
        // Items written without summaries (as before them): every entry read, and the overview says why.
        assertEquals(33, doc.path("overview").path("sources").path("read").asLong());
        assertEquals("not summarised", doc.path("overview").path("sources").path("reasons").path(0).path("name")
                .asText());
        JsonNode s = doc.path("statements");
        assertEquals(31, s.path("count").asLong());
        // 1.5 + 2.5 + ... + 30.5, and 9.
        assertEquals(489.0, s.path("total_ms").asDouble());
        assertEquals("select * from t2 where id = ?", s.path("by_total").get(0).path("text").asText());
        assertEquals(10, s.path("by_total").get(0).path("count").asLong());
        assertFalse(r.out().contains("\u001b"), "the escape character is written as \\u001B");
        assertEquals("relation \"...\" does not exist",
                doc.path("errors").path("by_message").get(0).path("message").asText());
    }

    @Test
    void oneClusterFromTheCatalogue() throws Exception {
        TestCli.Result r = run("--cluster", "orders", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(2, doc.path("overview").path("entries").asLong());
        assertEquals("orders-1", doc.path("overview").path("instances").get(0).path("name").asText());
        assertEquals(1, doc.path("checkpoints").path("started").asLong());
    }

    @Test
    void textFoldsWhatTheTableCannotHold() {
        TestCli.Result r = run("--instance", "solo-db", "--top", "1", "--max-fingerprints", "2");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Statements  30 runs"), r.out());
        assertTrue(r.out().contains("folded: "), r.out());
        assertTrue(r.out().contains("\\x1b[31mgone") || r.out().contains("relation \"...\" does not exist"), r.out());
        assertFalse(r.out().contains("\u001b"), r.out());
    }

    @Test
    void anEmptyWindowSaysSoAndSucceeds() {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        TestCli.Result r = cli.run("report", "--since", t0.minusSeconds(7200).toString(), "--until",
                t0.minusSeconds(3600).toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("No entries between "), r.out());
    }

    @Test
    void anInstanceTheTableNeverSawIsAnError() {
        TestCli.Result r = run("--instance", "solo-bd");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("no instance solo-bd in the table") && r.err().contains("solo-db"), r.err());
    }

    @Test
    void aClusterTheTableNeverSawIsAnError() {
        TestCli.Result r = run("--cluster", "ordres");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("no cluster ordres in the table") && r.err().contains("closest known: orders"),
                r.err());
    }

    /**
     * A summary keeps 100 of each event list, so a longer list is read from entries, whatever the days hold, and the
     * overview says why; with a filter the filter is the reason, as before.
     */
    @Test
    void aTopAboveWhatSummariesKeepReadsEntries() throws Exception {
        TestCli.Result r = run("--top", "101", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode sources = JSON.readTree(r.out()).path("overview").path("sources");
        assertEquals(33, sources.path("read").asLong(), sources.toString());
        assertEquals(0, sources.path("summaries").asLong(), sources.toString());
        assertEquals("top above 100", sources.path("reasons").path(0).path("name").asText(), sources.toString());
        TestCli.Result text = run("--top", "500");
        assertEquals(0, text.code(), text.toString());
        assertTrue(text.out().contains("33 entries read: top above 100 33"), text.out());
        JsonNode filtered = JSON.readTree(run("--top", "101", "-u", "app", "-o", "json").out());
        assertEquals("filtered", filtered.path("overview").path("sources").path("reasons").path(0).path("name")
                .asText(), filtered.toString());
        JsonNode asked = JSON.readTree(run("--top", "100", "--no-summaries", "-o", "json").out());
        assertEquals("no summaries asked", asked.path("overview").path("sources").path("reasons").path(0).path("name")
                .asText(), asked.toString());
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("--top", "0").code());
        assertEquals(2, run("--top", "10", "--max-fingerprints", "5").code());
        assertEquals(0, run("--top", "101", "--no-summaries").code());
        assertEquals(2, run("--cluster", "orders", "--instance", "solo-db").code());
        TestCli.Result csv = run("-o", "csv");
        assertEquals(2, csv.code());
        assertTrue(csv.err().contains("report writes text or json or html, not csv"), csv.err());
    }
}
