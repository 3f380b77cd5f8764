package io.pglogs.cli;

import io.pglogs.cli.option.CliContext;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** query against moto: entries written by the forwarder's own code around a UTC midnight. */
@Tag("integration")
class QueryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static String table;
    /** The most recent UTC midnight: the entries straddle it. */
    private static Instant midnight;
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    private static final ItemFactory ITEMS = new ItemFactory(4, 90, new Redactor());
    private static int ids;

    @BeforeAll
    static void table() throws Exception {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        table = LogTables.create(ddb, "query");
        midnight = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        // db-a: 40 entries, 3 s apart from 60 s before midnight; severities cycle; one multi-line statement.
        for (int i = 0; i < 40; i++) {
            Instant t = midnight.minusSeconds(60).plusSeconds(3L * i);
            String severity = List.of("LOG", "ERROR", "WARNING", "FATAL").get(i % 4);
            String user = i % 2 == 0 ? "app" : "report";
            items.add(item("db-a", t, severity, user, i % 3 == 0 ? "orders" : "billing", "message " + i));
        }
        items.add(item("db-a", midnight.plusSeconds(61), "ERROR", "app", "orders",
                "deadlock detected\n\tProcess 1 waits for ShareLock"));
        items.add(item("db-a", midnight.plusSeconds(62), "ERROR", "app", "orders",
                "invalid input syntax for type integer: \"\u001b[31mred\u001b[0m\""));
        // db-b: 5 entries interleaved with db-a's.
        for (int i = 0; i < 5; i++) {
            items.add(item("db-b", midnight.minusSeconds(59).plusSeconds(6L * i), "LOG", "app", "orders", "b" + i));
        }
        // An expired entry DynamoDB has not deleted yet.
        Map<String, AttributeValue> expired = new java.util.HashMap<>(item("db-a", midnight.plusSeconds(63), "ERROR",
                "app", "orders", "expired but not yet deleted"));
        expired.put("expires_at", AttributeValue.fromN(Long.toString(Instant.now().getEpochSecond() - 10)));
        items.add(expired);
        for (String instance : List.of("db-a", "db-b")) {
            for (Instant day : List.of(midnight.minusSeconds(1), midnight)) {
                items.add(ITEMS.catalogItem(instance, null, LocalDate.ofInstant(day, ZoneOffset.UTC)));
            }
        }
        write(items);
    }

    static Map<String, AttributeValue> item(String instance, Instant t, String severity, String user, String db,
                                            String message) {
        String line = t.toString().replace("T", " ").replace("Z", "").substring(0, 19) + " UTC:10.0.0.9(5000):" + user
                + "@" + db + ":[4242]:" + severity + ":  " + message;
        String id = String.format("%056d", ++ids);
        return ITEMS.forSource(LogSource.of(LogSource.instanceLogGroup(instance), instance + ".0"))
                .build(id, t.toEpochMilli(), PARSER.parse(line)).item();
    }

    static void write(List<Map<String, AttributeValue>> items) throws Exception {
        try (BatchWriter writer = new BatchWriter(ddb, table, 4)) {
            writer.write(items, Deadline.after(Duration.ofSeconds(60)));
        }
    }

    private TestCli cli() {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    private String window() {
        return "--since=" + midnight.minusSeconds(120) + " --until=" + midnight.plusSeconds(120);
    }

    private List<JsonNode> ndjson(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(List.of(window().split(" ")));
        all.addAll(List.of("-o", "ndjson"));
        all.addAll(List.of(args));
        TestCli.Result r = cli().run(all.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        List<JsonNode> rows = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void aWindowAcrossMidnightAndShardsComesBackWholeAndInOrder() throws Exception {
        List<JsonNode> rows = ndjson("--instance", "db-a");
        assertEquals(42, rows.size(), "40 + 2 entries of db-a, the expired one hidden");
        Set<String> days = new HashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).get("ts").asText().compareTo(rows.get(i).get("ts").asText()) <= 0);
        }
        rows.forEach(r -> days.add(r.get("ts").asText().substring(0, 10)));
        assertEquals(2, days.size(), "the window crosses midnight");
        assertFalse(rows.stream().anyMatch(r -> r.get("message").asText().contains("expired")));
        assertEquals("db-a", rows.get(0).get("instance").asText());
        assertEquals(4242, rows.get(0).get("pid").asInt());

        List<JsonNode> reversed = ndjson("--instance", "db-a", "--reverse");
        assertEquals(rows.get(0), reversed.get(reversed.size() - 1));
        assertEquals(rows.get(rows.size() - 1), reversed.get(0));
    }

    @Test
    void allInstancesAreFoundWithoutAScanAndMerged() throws Exception {
        List<JsonNode> rows = ndjson();
        assertEquals(47, rows.size());
        assertEquals(5, rows.stream().filter(r -> r.get("instance").asText().equals("db-b")).count());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1).get("ts").asText().compareTo(rows.get(i).get("ts").asText()) <= 0);
        }
        assertEquals(47, ndjson("--all-instances").size());
        assertEquals(5, ndjson("--instance", "db-b").size());
    }

    @Test
    void anInstanceTheTableHasNeverSeenIsNamedWithTheClosestKnownOnes() {
        List<String> args = new ArrayList<>(List.of("query", "-i", "db-c"));
        args.addAll(List.of(window().split(" ")));
        TestCli.Result r = cli().run(args.toArray(String[]::new));
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("pglogs: no instance db-c in the table: it has no entries of it in the days it "
                + "keeps them; closest known: db-a, db-b"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());

        // Named beside a known one: the known one's entries are printed, the unknown one still named (any format).
        args.set(2, "db-b,dbb");
        args.addAll(List.of("-o", "ndjson"));
        r = cli().run(args.toArray(String[]::new));
        assertEquals(1, r.code(), r.toString());
        assertEquals(5, r.out().lines().count(), r.out());
        assertTrue(r.err().startsWith("pglogs: no instance dbb in the table: it has no entries of it in the days it "
                + "keeps them; closest known: db-b, "), r.err());

        // A known instance in a quiet window is no mistake.
        r = cli().run("query", "-i", "db-b", "--since", "2020-01-01", "--until", "2020-01-02");
        assertEquals(0, r.code(), r.toString());
        assertEquals("pglogs: no entries between 2020-01-01T00:00:00Z and 2020-01-02T00:00:00Z\n", r.err());
    }

    @Test
    void everyFilter() throws Exception {
        assertEquals(22, ndjson("-i", "db-a", "--severity", "ERROR,FATAL").size());
        assertEquals(32, ndjson("-i", "db-a", "--min-severity", "WARNING").size(), "WARNING, ERROR, FATAL; not LOG");
        assertEquals(22, ndjson("-i", "db-a", "--user", "app").size());
        assertEquals(16, ndjson("-i", "db-a", "--database", "orders").size());
        assertEquals(1, ndjson("--grep", "dead.*detected").size());
        assertEquals(2, ndjson("-i", "db-a", "--grep", "^message 1[0-1]$").size());
        List<JsonNode> limited = ndjson("--limit", "3", "--reverse", "-i", "db-a");
        assertEquals(3, limited.size());
        assertTrue(limited.get(0).get("message").asText().contains("\u001b"), "newest first");
        assertEquals(4, ndjson("-i", "db-a", "--severity", "log", "--user", "app", "--database", "orders").size(),
                "i % 12 == 0: LOG (i % 4 == 0) is always app; orders is i % 3 == 0");
    }

    @Test
    void escapesFromLogContentNeverReachTheTerminalRaw() throws Exception {
        TestCli.Result text = cli().run(("query " + window() + " -i db-a --grep red").split(" "));
        assertEquals(0, text.code(), text.toString());
        assertFalse(text.out().contains("\u001b"), "a raw escape was printed");
        assertTrue(text.out().contains("\"\\x1b[31mred\\x1b[0m\""), text.out());
        TestCli.Result json = cli().run(("query " + window() + " -i db-a --grep red -o json").split(" "));
        assertFalse(json.out().contains("\u001b"));
        assertEquals("invalid input syntax for type integer: \"\u001b[31mred\u001b[0m\"",
                JSON.readTree(json.out()).get(0).get("message").asText());
        TestCli.Result csv = cli().run(("query " + window() + " -i db-a --grep red -o csv").split(" "));
        assertFalse(csv.out().contains("\u001b"));
        assertTrue(csv.out().startsWith("ts,instance,cluster,severity,user,database,client,pid,"), csv.out());
        assertTrue(csv.out().contains(",\"invalid input syntax for type integer: \"\"\\x1b[31mred\\x1b[0m\"\"\","),
                csv.out());
    }

    @Test
    void csvCellsThatLookLikeFormulasStayText() throws Exception {
        Instant t = midnight.minus(Duration.ofDays(3));
        List<String> messages = List.of("=HYPERLINK(\"http://evil.example\",\"open\")", "+1+1", "-2+3",
                "@SUM(A1:A2)", "plain");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            items.add(item("db-formula", t.plusSeconds(i), "ERROR", "app", "orders", messages.get(i)));
        }
        write(items);
        TestCli.Result csv = cli().run("query", "-i", "db-formula", "--since", t.minusSeconds(10).toString(),
                "--until", t.plusSeconds(10).toString(), "-o", "csv");
        assertEquals(0, csv.code(), csv.toString());
        List<String> rows = csv.out().lines().skip(1).toList();
        assertEquals(5, rows.size(), csv.out());
        assertTrue(rows.get(0).contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\","), rows.get(0));
        assertTrue(rows.get(1).contains(",'+1+1,"), rows.get(1));
        assertTrue(rows.get(2).contains(",'-2+3,"), rows.get(2));
        assertTrue(rows.get(3).contains(",'@SUM(A1:A2),"), rows.get(3));
        assertTrue(rows.get(4).contains(",plain,"), rows.get(4));
        for (String row : rows) {
            for (String cell : row.split(",")) {
                assertFalse(cell.matches("^\"?[=+\\-@].*"), "a cell starts like a formula: " + row);
            }
        }
    }

    @Test
    void textShowsOneEntryPerLineWithContinuationsIndented() {
        TestCli.Result r = cli().run(("query " + window() + " --grep deadlock").split(" "));
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT00:01:01\\.000Z db-a ERROR     app@orders \\[4242\\] "
                + "deadlock detected"), lines.get(0));
        assertEquals("        Process 1 waits for ShareLock", lines.get(1));
    }

    @Test
    void badInputIsOneLineExit2() {
        assertUsage(cli().run("query", "--since", "yesterday-ish"), "pglogs: --since: 'yesterday-ish' is not a time");
        assertUsage(cli().run("query", "--grep", "(unclosed"), "pglogs: --grep '(unclosed' is not a regular "
                + "expression: Unclosed group near index 9");
        assertUsage(cli().run("query", "--severity", "LOUD"), "pglogs: unknown severity 'LOUD': expected one of");
        assertUsage(cli().run("query", "--since", "1h", "--until", "2h"), "pglogs: --since 1h is after --until 2h");
        assertUsage(cli().run("query", "-o", "xml"), "pglogs: Invalid value for option '--output'");
        assertUsage(cli().run("query", "--instance", "a", "--all-instances"), "pglogs: --instance and "
                + "--all-instances cannot be combined");
    }

    private static void assertUsage(TestCli.Result r, String start) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith(start), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void aMissingTableIsNamed() {
        TestCli cli = cli();
        cli.env.put("PGLOGS_DEVEL_TABLE", "no-such-table");
        TestCli.Result r = cli.run("query");
        assertEquals(1, r.code(), r.toString());
        assertEquals("pglogs: table no-such-table (devel) does not exist: pglogs start devel\n", r.err());
    }

    @Test
    void verboseReportsWhatDynamoDbReadAgainstWhatItReturned() {
        TestCli.Result r = cli().run(("query " + window() + " -i db-b -v").split(" "));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("pglogs: 5 entries from 1 instance(s); DynamoDB read 5, returned 5"), r.err());
    }

    @Test
    void tailFollowsNewEntriesEachOnceWithinTwoSeconds() throws Exception {
        TestCli cli = cli();
        java.io.StringWriter out = new java.io.StringWriter();
        CliContext ctx = new CliContext(cli.env, cli.home, new java.io.BufferedReader(new java.io.StringReader("")),
                false, false);
        Thread tail = new Thread(() -> PglogsCli.execute(ctx, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true), "tail", "-f", "-i", "db-c", "--since", "5m",
                "--poll-interval", "200"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        write(List.of(item("db-c", now.minusSeconds(30), "LOG", "app", "orders", "before tail started"),
                ITEMS.catalogItem("db-c", null, LocalDate.now(ZoneOffset.UTC))));
        tail.start();
        waitFor(out, "before tail started", 10_000);
        long written = System.nanoTime();
        write(List.of(item("db-c", Instant.now(), "ERROR", "app", "orders", "arrived while following")));
        waitFor(out, "arrived while following", 10_000);
        long latencyMs = (System.nanoTime() - written) / 1_000_000;
        morePolls(out, "db-c", 3); // each poll re-reads the window: a repeat would show by now
        tail.interrupt();
        tail.join(5_000);
        assertFalse(tail.isAlive());
        String printed = out.toString();
        assertEquals(1, printed.lines().filter(l -> l.contains("before tail started")).count(), printed);
        assertEquals(1, printed.lines().filter(l -> l.contains("arrived while following")).count(), printed);
        assertTrue(latencyMs < 2_000, "shown " + latencyMs + " ms after it was written");
    }

    /** tail -f with these arguments in a thread of its own, printing into {@code out} and {@code err}. */
    private Thread tail(TestCli cli, java.io.StringWriter out, java.io.StringWriter err, String... args) {
        CliContext ctx = new CliContext(cli.env, cli.home, new java.io.BufferedReader(new java.io.StringReader("")),
                false, false);
        List<String> all = new ArrayList<>(List.of("tail", "-f", "--poll-interval", "200"));
        all.addAll(List.of(args));
        Thread tail = new Thread(() -> PglogsCli.execute(ctx, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(err, true), all.toArray(String[]::new)));
        tail.start();
        return tail;
    }

    @Test
    void tailFollowPrintsEveryEntryStoredAfterItStartedWhateverItsTimeOnce() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        write(List.of(item("db-d", now.minusSeconds(20), "LOG", "app", "orders", "stored before tail started"),
                ITEMS.catalogItem("db-d", null, LocalDate.now(ZoneOffset.UTC))));
        java.io.StringWriter out = new java.io.StringWriter();
        Thread tail = tail(cli(), out, new java.io.StringWriter(), "-i", "db-d", "--since", "1m");
        waitFor(out, "stored before tail started", 10_000);

        // Lambda's async retries deliver it half an hour after it was logged: its partition and sort key are old.
        Map<String, AttributeValue> late = item("db-d", now.minus(Duration.ofMinutes(30)), "ERROR", "app", "orders",
                "written thirty minutes late");
        write(List.of(late));
        waitFor(out, "written thirty minutes late", 10_000);
        write(List.of(late)); // redelivered: the same key overwritten, not a new entry
        write(List.of(item("db-e", now, "ERROR", "app", "orders", "another instance"),
                item("db-d", now, "LOG", "report", "orders", "filtered out by user"),
                ITEMS.catalogItem("db-d", null, LocalDate.now(ZoneOffset.UTC).minusDays(3)),
                item("db-d", now.minus(Duration.ofDays(3)), "LOG", "app", "orders", "backfilled three days late")));
        waitFor(out, "backfilled three days late", 10_000);
        morePolls(out, "db-d", 3); // a redelivery or repeat would show by now
        tail.interrupt();
        tail.join(5_000);
        assertFalse(tail.isAlive());
        String printed = out.toString();
        for (String once : List.of("stored before tail started", "written thirty minutes late",
                "backfilled three days late")) {
            assertEquals(1, printed.lines().filter(l -> l.contains(once)).count(), once + " in\n" + printed);
        }
        assertFalse(printed.contains("another instance"), printed);
        assertFalse(printed.contains("_instances"), printed);
        // The first read with -u report would not show it; following applies the same filters.
        java.io.StringWriter filtered = new java.io.StringWriter();
        Thread byUser = tail(cli(), filtered, new java.io.StringWriter(), "-i", "db-d", "-u", "app", "--since", "1s");
        morePolls(filtered, "db-d", 1); // following: what is written now is followed
        write(List.of(item("db-d", now.plusSeconds(1), "LOG", "report", "orders", "report's, not app's"),
                item("db-d", now.plusSeconds(1), "LOG", "app", "orders", "app's own")));
        waitFor(filtered, "app's own", 10_000);
        byUser.interrupt();
        byUser.join(5_000);
        assertFalse(filtered.toString().contains("report's, not app's"), filtered.toString());
    }

    /**
     * The stream carries every item written, not only entries: summary, rollup and slice items (issue 26) are not
     * followed (nor catalogue items; not written here: the other tests list the catalogue). Each is written here with an entry's attributes (instance, time, message) in its own
     * partition, so one that slipped through would be printed.
     */
    @Test
    void tailFollowSkipsTheItemsThatAreNotEntries() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        write(List.of(item("db-g", now.minusSeconds(20), "LOG", "app", "orders", "stored before tail started")));
        java.io.StringWriter out = new java.io.StringWriter();
        Thread tail = tail(cli(), out, new java.io.StringWriter(), "-i", "db-g", "--since", "1m");
        waitFor(out, "stored before tail started", 10_000);
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Map<String, String> partitions = Map.of(
                "summary", ItemContract.summaryPartitionKey("db-g", day, 0),
                "rollup", ItemContract.rollupPartitionKey("db-g", day),
                "slice", ItemContract.slicePartitionKey("db-g", day.toString()));
        List<Map<String, AttributeValue>> notEntries = new ArrayList<>();
        partitions.forEach((kind, pk) -> {
            Map<String, AttributeValue> i = new java.util.HashMap<>(item("db-g", now, "ERROR", "app", "orders",
                    "not an entry: " + kind));
            i.put(ItemContract.PK, AttributeValue.fromS(pk));
            notEntries.add(i);
        });
        write(notEntries);
        write(List.of(item("db-g", now, "LOG", "app", "orders", "an entry after them")));
        waitFor(out, "an entry after them", 10_000);
        morePolls(out, "db-g", 2);
        tail.interrupt();
        tail.join(5_000);
        assertFalse(tail.isAlive());
        assertFalse(out.toString().contains("not an entry"), out.toString());
    }

    @Test
    void tailFollowOnATableWithoutAStreamPollsTheLastMinutesAndSaysSo() throws Exception {
        String plain = "nostream-" + ProcessHandle.current().pid();
        ddb.createTable(b -> b.tableName(plain).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S)));
        TestCli cli = cli();
        cli.env.put("PGLOGS_DEVEL_TABLE", plain);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Thread tail = tail(cli, out, err, "-i", "db-f", "--since", "1m");
        waitFor(err, "has no stream", 10_000); // the first read is done: polling has begun
        try (BatchWriter writer = new BatchWriter(ddb, plain, 1)) {
            writer.write(List.of(item("db-f", Instant.now(), "LOG", "app", "orders", "recent, so polled")),
                    Deadline.after(Duration.ofSeconds(30)));
        }
        waitFor(out, "recent, so polled", 10_000);
        tail.interrupt();
        tail.join(5_000);
        assertTrue(err.toString().contains("pglogs: table " + plain + " has no stream: following the last 5 minutes "
                + "of entry time only; run pglogs start devel to enable it"), err.toString());
    }

    /**
     * Waits, rather than sleeping, until a following tail has printed {@code polls} more entries written one after
     * the other to {@code instance} (user app): each proves another poll went through after everything before it. A
     * marker the tail cannot have seen yet (written before it was following) is followed by another.
     */
    private void morePolls(java.io.StringWriter out, String instance, int polls) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int i = 0; i < polls; ) {
            String marker = "poll marker " + System.nanoTime();
            write(List.of(item(instance, Instant.now(), "LOG", "app", "orders", marker)));
            long seen = System.nanoTime() + 2_000_000_000L;
            while (!out.toString().contains(marker) && System.nanoTime() < seen) {
                Thread.sleep(20);
            }
            assertTrue(System.nanoTime() < deadline, "no poll printed a marker\n" + out);
            if (out.toString().contains(marker)) {
                i++;
            }
        }
    }

    private static void waitFor(java.io.StringWriter out, String text, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!out.toString().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "never printed: " + text + "\n" + out);
            Thread.sleep(20);
        }
    }
}
