package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.ForwarderHandler;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** backfill and import against moto, on a log from a real PostgreSQL 15 server. */
@Tag("integration")
class BackfillImportTest {
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static CloudWatchLogsClient logs;
    private static Path corpus;
    private static List<LogFileSplitter.RawEntry> entries;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        logs = moto.configure(CloudWatchLogsClient.builder()).build();
        String dir = System.getProperty("pglogs.corpus.dir", "");
        corpus = !dir.isBlank() && Files.isRegularFile(Path.of(dir, "postgresql.log")) ? Path.of(dir, "postgresql.log")
                : Path.of("../lambda/src/test/resources/corpus/postgresql.log").toAbsolutePath();
        entries = Corpus.split(Files.newInputStream(corpus));
    }

    private TestCli cli(String table) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    private static String table(String prefix) {
        return LogTables.create(ddb, prefix);
    }

    /**
     * How many entries of each kind (docs/schema.md "Kinds"), and that every one has a kind; the corpus read by the
     * forwarder's own parser and item factory gives the expected counts.
     */
    private static Map<String, Long> kinds(java.util.Collection<Map<String, AttributeValue>> items) {
        return items.stream().collect(Collectors.groupingBy(i -> i.get("kind").s(), java.util.TreeMap::new,
                Collectors.counting()));
    }

    private static Map<String, Long> corpusKinds() {
        io.pglogs.forwarder.dynamo.ItemFactory.ForSource f = new io.pglogs.forwarder.dynamo.ItemFactory(4, 90,
                new io.pglogs.forwarder.parse.Redactor()).forSource(io.pglogs.forwarder.cloudwatch.LogSource.of("g", "s"));
        io.pglogs.forwarder.parse.PostgresLogParser parser = new io.pglogs.forwarder.parse.PostgresLogParser();
        List<Map<String, AttributeValue>> built = new ArrayList<>();
        for (LogFileSplitter.RawEntry e : entries) {
            built.add(f.build("id" + built.size(), 0, parser.parse(e.text())).item());
        }
        return kinds(built);
    }

    private static List<Map<String, AttributeValue>> stored(String table, String instance) {
        return LogTables.entries(ddb, table).stream().filter(i -> i.get("instance").s().equals(instance)).toList();
    }

    /** Puts the corpus into a log group over two streams, stamped with the last minutes. */
    private static int putIntoCloudWatch(String group) {
        logs.createLogGroup(b -> b.logGroupName(group));
        long now = System.currentTimeMillis();
        int put = 0;
        for (int s = 0; s < 2; s++) {
            String stream = "stream-" + s;
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> events = new ArrayList<>();
            for (int i = s; i < entries.size(); i += 2) {
                events.add(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                        .timestamp(now - 600_000 + i * 100L).message(entries.get(i).text()).build());
            }
            logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
            put += events.size();
        }
        return put;
    }

    @Test
    void backfillStoresEveryEventOnceEvenOverlappingWhatTheLambdaDelivered() throws Exception {
        String table = table("backfill");
        String group = "/aws/rds/instance/bf-db/postgresql";
        int put = putIntoCloudWatch(group);

        // The Lambda already delivered part of the window, with the same event ids CloudWatch gives FilterLogEvents.
        List<FilteredLogEvent> delivered = logs.filterLogEventsPaginator(b -> b.logGroupName(group)
                .logStreamNames("stream-0")).events().stream().limit(20).toList();
        ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4), ddb);
        handler.handleRequest(new ByteArrayInputStream(Payloads.lambdaEvent(group, "stream-0", delivered.stream()
                        .map(e -> new LogEvent(e.eventId(), e.timestamp(), e.message())).toList())
                .getBytes()), new ByteArrayOutputStream(), new TestContext());
        assertEquals(20, stored(table, "bf-db").size());

        TestCli cli = cli(table);
        TestCli.Result r = cli.run("backfill", "--instance", "bf-db", "--since", "1h");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(String.format("%s: %,d entries", group, put)), r.err());
        assertTrue(r.err().contains(String.format("backfilled %,d entries", put)), r.err());
        List<Map<String, AttributeValue>> first = stored(table, "bf-db");
        assertEquals(put, first.size(), "every event once, the Lambda's 20 not twice");
        assertEquals(corpusKinds(), kinds(first), "kinds survive the backfill");
        assertTrue(kinds(first).containsKey("deadlock"), kinds(first).toString());

        r = cli.run("backfill", "--instance", "bf-db", "--since", "1h");
        assertEquals(0, r.code(), r.toString());
        assertEquals(Set.copyOf(first), Set.copyOf(stored(table, "bf-db")), "a second run changes nothing");
    }

    @Test
    void backfillRidesOutThrottling() throws Exception {
        String table = table("backfill-throttled");
        String group = "/aws/rds/instance/bf-throttled/postgresql";
        int put = putIntoCloudWatch(group);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(FaultProxy.Fault.THROTTLE), 3,
                ".FilterLogEvents", "ThrottlingException")) {
            proxy.limit(3); // the first three FilterLogEvents calls are throttled
            TestCli cli = cli(table);
            TestCli.Result r = cli.run("backfill", "--log-group", group, "--since", "1h", "--endpoint-url",
                    proxy.endpoint().toString());
            assertEquals(0, r.code(), r.toString());
            assertEquals(3, proxy.injected(FaultProxy.Fault.THROTTLE));
        }
        assertEquals(put, stored(table, "bf-throttled").size());
    }

    @Test
    void backfillOfAMissingGroupWritesNothing() {
        String table = table("backfill-missing");
        TestCli.Result r = cli(table).run("backfill", "--instance", "nowhere", "--since", "1d");
        assertEquals(1, r.code(), r.toString());
        assertEquals("pglogs: log group /aws/rds/instance/nowhere/postgresql does not exist; nothing was written\n",
                r.err());
        assertUsage(cli(table).run("backfill", "--since", "1d"), "pglogs: name what to backfill");
        assertUsage(cli(table).run("backfill", "--instance", "x"), "pglogs: Missing required option: '--since=TIME'");
    }

    /** The CLI writes as the deployment does: TTL, shards and redaction from the table's tags, not built-in values. */
    @Test
    void backfillWritesWithTheDeployedTtlShardsAndRedaction() throws Exception {
        String table = "deployed-" + ProcessHandle.current().pid();
        ddb.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"))
                .tags(t -> t.key("pglogs:shards").value("2"), t -> t.key("pglogs:ttl_days").value("30"),
                        t -> t.key("pglogs:redact").value("false")));
        String group = "/aws/rds/instance/deployed-db/postgresql";
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String ts = java.time.Instant.ofEpochMilli(now - 60_000 + i * 1000L).toString().replace("T", " ")
                    .substring(0, 19);
            String message = i == 7 ? "statement: ALTER ROLE app PASSWORD 'Kept-As-Logged-7'" : "checkpoint " + i;
            events.add(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                    .timestamp(now - 60_000 + i * 1000L).message(ts + " UTC:10.0.0.1(1):app@db:[7]:LOG:  " + message)
                    .build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(events));

        TestCli.Result r = cli(table).run("backfill", "--log-group", group, "--since", "1h");
        assertEquals(0, r.code(), r.toString());
        List<Map<String, AttributeValue>> items = stored(table, "deployed-db");
        assertEquals(20, items.size());
        for (Map<String, AttributeValue> item : items) {
            long ts = java.time.Instant.parse(item.get("ts").s()).getEpochSecond();
            assertEquals(ts + 30 * 86_400L, Long.parseLong(item.get("expires_at").n()), "TTL from pglogs:ttl_days");
            String shard = item.get("pk").s().substring(item.get("pk").s().lastIndexOf('#') + 1);
            assertTrue(Set.of("0", "1").contains(shard), "shards from pglogs:shards: " + item.get("pk").s());
        }
        assertTrue(items.stream().anyMatch(i -> i.get("message").s().contains("'Kept-As-Logged-7'")),
                "pglogs:redact=false: stored as logged");
        assertEquals(2, items.stream().map(i -> i.get("pk").s()).distinct().count(), "both shards used");
    }

    /** pglogs:redact = literals: backfill removes every literal and bind parameter value, as the Lambda would. */
    @Test
    void backfillRedactsEveryLiteralWhenTheTableSaysLiterals() throws Exception {
        String table = "literals-" + ProcessHandle.current().pid();
        ddb.createTable(b -> b.tableName(table).billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"))
                .tags(t -> t.key("pglogs:redact").value("literals")));
        String group = "/aws/rds/instance/literals-db/postgresql";
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("s"));
        long now = System.currentTimeMillis();
        List<String> messages = List.of("LOG:  statement: SELECT * FROM customers WHERE email = 'ann@example.com'",
                "LOG:  duration: 1.2 ms  execute <unnamed>: SELECT * FROM customers WHERE email = $1",
                "DETAIL:  parameters: $1 = 'bob@example.com'", "LOG:  checkpoint starting: time");
        List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String ts = java.time.Instant.ofEpochMilli(now - 60_000 + i * 1000L).toString().replace("T", " ")
                    .substring(0, 19);
            events.add(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                    .timestamp(now - 60_000 + i * 1000L).message(ts + " UTC:10.0.0.1(1):app@db:[7]:" + messages.get(i))
                    .build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(events));

        TestCli.Result r = cli(table).run("backfill", "--log-group", group, "--since", "1h");
        assertEquals(0, r.code(), r.toString());
        List<String> stored = stored(table, "literals-db").stream().map(i -> i.get("message").s()).sorted().toList();
        assertEquals(4, stored.size(), stored.toString());
        assertTrue(stored.stream().noneMatch(m -> m.contains("example.com")), stored.toString());
        assertTrue(stored.contains("statement: SELECT * FROM customers WHERE email = '[redacted]'"), stored.toString());
        assertTrue(stored.contains("parameters: $1 = '[redacted]'"), stored.toString());
        assertTrue(stored.contains("checkpoint starting: time"), stored.toString());
    }

    /** Error messages carry names and AWS answers: their control characters come out escaped, never raw. */
    @Test
    void errorMessagesNeverCarryRawControlCharacters() {
        String table = table("escaped-errors");
        TestCli.Result r = cli(table).run("backfill", "--log-group", "/evil\u001b]0;owned\u0007\u001b[2J", "--since",
                "1d");
        assertEquals(2, r.code(), r.toString()); // not a log group name: a usage error, quoting it escaped
        assertEquals("pglogs: Invalid value for option '--log-group' (GROUP): '/evil\\x1b]0;owned\\x07\\x1b[2J' is "
                + "not a log group name (up to 512 of a-z, A-Z, 0-9, '.', '_', '/', '#', '-') (see 'pglogs backfill "
                + "--help')\n", r.err());

        TestCli cli = cli("no-such\u001b[31m-table");
        r = cli.run("query", "-i", "x", "--since", "1h");
        assertNotEquals(0, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: "), r.err());
        assertTrue(r.err().contains("\\x1b[31m"), r.err());
        assertFalse(r.err().contains("\u001b"), "a raw escape from an AWS answer reached the terminal: " + r.err());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        r = cli.run("-v", "backfill", "--log-group", "/evil\u001b[2J", "--since", "1d");
        assertFalse(r.err().contains("\u001b"), "verbose printed a raw escape: " + r.err());
    }

    @Test
    void importOfARealLogMatchesTheParsersCountPlainOrGzippedAndAgain() throws Exception {
        String table = table("import");
        TestCli cli = cli(table);
        // --no-rollup: what the bumps leave (by default the import then rolls those spans up: WriterRollupTest).
        TestCli.Result r = cli.run("import", "--no-rollup", "--instance", "imp-db", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(entries.size(), stored(table, "imp-db").size());
        assertTrue(r.err().contains(String.format("imported %,d entries", entries.size())), r.err());
        Set<Map<String, AttributeValue>> first = Set.copyOf(stored(table, "imp-db"));
        assertEquals(corpusKinds(), kinds(first), "kinds survive the import");
        // Off the live path, every span written is bumped (issue 26 part 2): a stub per span of the summaries.
        Set<String> spans = LogTables.summaries(ddb, table).stream().map(s -> ItemContract.isoMillis(
                ItemContract.spanStart(ItemContract.compactSpan(io.pglogs.forwarder.dynamo.SummaryItem.of(s).ts())))).collect(
                Collectors.toSet());
        List<Map<String, AttributeValue>> stubs = LogTables.rollups(ddb, table);
        assertFalse(spans.isEmpty());
        assertEquals(spans, stubs.stream().map(i -> i.get(ItemContract.SK).s()).collect(Collectors.toSet()));
        assertTrue(stubs.stream().allMatch(i -> i.get(ItemContract.STALE).bool() && !i.containsKey(
                ItemContract.SUMMARY) && i.get(ItemContract.PK).s().startsWith("_rollup#imp-db#")), stubs.toString());
        // Stubs leave with the entries that made them (review 26c, L1): no stub outlives the import's TTL.
        long latestEntry = first.stream().mapToLong(i -> Long.parseLong(i.get(ItemContract.EXPIRES_AT).n())).max()
                .orElseThrow();
        assertTrue(stubs.stream().allMatch(i -> i.containsKey(ItemContract.EXPIRES_AT)
                && Long.parseLong(i.get(ItemContract.EXPIRES_AT).n()) <= latestEntry), stubs.toString());
        assertTrue(first.stream().anyMatch(i -> i.containsKey("duration_ms") && i.containsKey("fingerprint")));

        Path gz = tmp.resolve(corpus.getFileName() + ".gz");
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(corpus, out);
        }
        r = cli.run("import", "--instance", "imp-db", gz.toString());
        assertEquals(0, r.code(), r.toString());
        r = cli.run("import", "--instance", "imp-db", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertEquals(first, Set.copyOf(stored(table, "imp-db")), "re-imports (plain or gzipped) duplicate nothing");

        // Multi-line statements keep their continuation lines.
        assertTrue(first.stream().anyMatch(i -> i.get("message").s().contains("\n\t")));
        Set<String> ids = first.stream().map(i -> i.get("event_id").s()).collect(Collectors.toSet());
        assertTrue(ids.contains("postgresql.log@0"), ids.toString());
    }

    /**
     * The collectors stored the first half of the file's hours from CloudWatch, under CloudWatch's ids and with
     * milliseconds; importing the downloaded file adds the other half once and skips what is there.
     */
    @Test
    void importSkipsWhatTheCollectorsAlreadyStored() throws Exception {
        String table = table("import-overlap");
        String group = "/aws/rds/instance/ovl-db/postgresql";
        List<LogEvent> events = Corpus.asEvents(entries, 7).stream()
                .map(e -> new LogEvent(e.id(), e.timestamp() + 250, e.message())).toList();
        // The collectors delivered everything before the second of two identical lines (same second, pid and
        // message, as PostgreSQL logs a deadlock's context), so the import must still add that second copy.
        int half = events.size() / 2;
        Map<String, Integer> seen = new java.util.HashMap<>();
        io.pglogs.forwarder.parse.PostgresLogParser parser = new io.pglogs.forwarder.parse.PostgresLogParser();
        for (int i = 0; i < entries.size(); i++) {
            var e = parser.parse(entries.get(i).text());
            String key = e.timestamp() + " " + e.pid() + " " + e.message();
            if (e.timestamp() != null && seen.putIfAbsent(key, i) != null) {
                half = i;
                break;
            }
        }
        assertTrue(half < events.size() && half > 0, "no repeated line in the corpus to split at");
        ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4), ddb);
        for (String event : Payloads.lambdaEvents(group, "ovl-db.0", events.subList(0, half), 50)) {
            handler.handleRequest(new ByteArrayInputStream(event.getBytes()), new ByteArrayOutputStream(),
                    new TestContext());
        }
        assertEquals(half, stored(table, "ovl-db").size());

        TestCli.Result r = cli(table).run("import", "--instance", "ovl-db", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(String.format("imported %,d entries", entries.size() - half)), r.err());
        assertTrue(r.err().contains(String.format("; %,d already stored (same second, pid and message) skipped",
                half)), r.err());
        List<Map<String, AttributeValue>> after = stored(table, "ovl-db");
        assertEquals(entries.size(), after.size(), "every entry once: the collectors' half was not imported again");
        // PostgreSQL logs some lines twice in a second (a deadlock's context): each as often as the file has it.
        String reference = table("import-reference");
        assertEquals(0, cli(reference).run("import", "--instance", "ovl-db", corpus.toString()).code());
        assertEquals(copies(stored(reference, "ovl-db")), copies(after));
        assertEquals(half, after.stream().filter(i -> !i.get("event_id").s().contains("@")).count(),
                "the collectors' entries keep their CloudWatch ids");

        r = cli(table).run("import", "--instance", "ovl-db", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(String.format("imported 0 entries")), r.err());
        assertEquals(Set.copyOf(after), Set.copyOf(stored(table, "ovl-db")), "a second import changed something");
    }

    /** How often each entry (second, pid, message) is stored. */
    private static Map<String, Long> copies(List<Map<String, AttributeValue>> items) {
        return items.stream().collect(Collectors.groupingBy(i -> i.get("ts").s().substring(0, 19) + " "
                + (i.containsKey("pid") ? i.get("pid").n() : "-") + " " + i.get("message").s(), Collectors.counting()));
    }

    /** A corpus file of this run (scripts/test), else its snapshot. */
    private static Path corpusFile(String name) {
        String dir = System.getProperty("pglogs.corpus.dir", "");
        return !dir.isBlank() && Files.isRegularFile(Path.of(dir, name)) ? Path.of(dir, name)
                : Path.of("../lambda/src/test/resources/corpus/" + name).toAbsolutePath();
    }

    @Test
    void importTakesZoneAbbreviationsAcrossADaylightSavingChangeAtTheirTrueTime() throws Exception {
        String table = table("import-tz");
        // The corpus's clock is fixed on a past day: a TTL long enough that its entries are not expired yet.
        longTtl(table);
        TestCli cli = cli(table);
        // America/New_York falling back: 01:xx local happens twice, first as EDT then as EST.
        Path file = corpusFile("tz-newyork-autumn.log");
        TestCli.Result r = cli.run("import", "--instance", "ny-db", file.toString());
        assertEquals(0, r.code(), r.toString());
        List<Map<String, AttributeValue>> items = stored(table, "ny-db");
        assertEquals(Corpus.split(Files.newInputStream(file)).size(), items.size());
        java.util.regex.Pattern clock = java.util.regex.Pattern.compile("^clock epoch=(\\d+)\\.");
        int checked = 0;
        for (Map<String, AttributeValue> item : items) {
            java.util.regex.Matcher m = clock.matcher(item.get("message").s());
            if (m.find()) {
                long truth = Long.parseLong(m.group(1));
                long stored = java.time.Instant.parse(item.get("ts").s()).getEpochSecond();
                assertTrue(stored >= truth && stored <= truth + 1, item.toString());
                checked++;
            }
        }
        assertTrue(checked >= 20, "checked " + checked);
    }

    @Test
    void anAmbiguousZoneAbbreviationNeedsTheServersLogTimezone() throws Exception {
        String table = table("import-cst");
        Path file = corpusFile("tz-chicago.log");
        TestCli.Result r = cli(table).run("import", "--instance", "chi-db", file.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("pglogs: " + file + " line 1: the time zone 'CST' names more than one UTC "
                + "offset"), r.err());
        assertTrue(r.err().contains("pass --log-timezone with the server's log_timezone"), r.err());
        assertEquals(0, stored(table, "chi-db").size());

        r = cli(table).run("import", "--instance", "chi-db", "--log-timezone", "America/Chicago", file.toString());
        assertEquals(0, r.code(), r.toString());
        int entries = Corpus.split(Files.newInputStream(file)).size();
        assertEquals(entries, stored(table, "chi-db").size());

        TestCli withSetting = cli(table);
        withSetting.env.put("PGLOGS_DEVEL_LOG_TIMEZONE", "America/Chicago");
        assertEquals(0, withSetting.run("import", "--dry-run", "--instance", "chi-db", file.toString()).code());

        r = cli(table).run("import", "--instance", "chi-db", "--log-timezone", "Central", file.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: flag --log-timezone: 'Central' is not a time zone name"), r.err());
    }

    private static void longTtl(String table) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("pglogs:ttl_days").value("3650")));
    }

    /** The README's example file is from 2024: entries past the table's TTL would be stored only to stay hidden. */
    @Test
    void entriesAlreadyPastTheirTtlAreCountedNotWritten() throws Exception {
        String table = table("import-old");
        Path file = tmp.resolve("postgresql.log.2024-05-01-10");
        Files.writeString(file, "2024-05-01 10:00:00 UTC:10.0.0.1(5000):app@orders:[42]:ERROR:  old one\n"
                + "2024-05-01 10:00:01 UTC:10.0.0.1(5000):app@orders:[42]:LOG:  old two\n"
                + java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusMinutes(5).withNano(0).toString()
                .replace('T', ' ') + " UTC:10.0.0.1(5000):app@orders:[42]:LOG:  recent\n");
        TestCli.Result r = cli(table).run("import", "--instance", "old-db", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("imported 1 entries"), r.err());
        assertTrue(r.err().contains("; 2 older than the table's 90-day TTL (before "), r.err());
        assertTrue(r.err().contains(") not written: they would be expired already, hidden from query and deleted"),
                r.err());
        assertEquals(List.of("recent"), stored(table, "old-db").stream().map(i -> i.get("message").s()).toList());
    }

    @Test
    void backfillBeyondTheGroupsRetentionSaysWhatIsGone() {
        String table = table("backfill-old");
        String group = "/aws/rds/instance/kept-db/postgresql";
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(1));
        TestCli.Result r = cli(table).run("backfill", "--instance", "kept-db", "--since", "3d");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("pglogs: warning: " + group + " keeps 1 days of events (since about "), r.err());
        assertTrue(r.err().contains("the window before that is gone from CloudWatch; the instance's own log files "
                + "may still have it (pglogs import)"), r.err());

        r = cli(table).run("backfill", "--instance", "kept-db", "--since", "12h");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void dryRunParsesAndWritesNothingWithoutAws() throws Exception {
        TestCli cli = new TestCli();
        cli.env.put("PGLOGS_DEVEL_TABLE", "no-table-needed");
        TestCli.Result r = cli.run("import", "--dry-run", "--instance", "imp-db", corpus.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(String.format("parsed %,d entries", entries.size())), r.err());
        assertTrue(r.err().contains("(dry run: nothing written)"), r.err());
    }

    @Test
    void malformedFilesSayWhatWasWrittenAndNothingMore() throws Exception {
        String table = table("import-bad");
        TestCli cli = cli(table);
        Path garbage = tmp.resolve("garbage.log");
        byte[] noise = new byte[200_000];
        new java.util.Random(1).nextBytes(noise);
        Files.write(garbage, noise);
        TestCli.Result r = cli.run("import", "--instance", "bad-db", garbage.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("pglogs: " + garbage + " is not a PostgreSQL log: no entry with a timestamp in "),
                r.err());
        assertEquals(0, stored(table, "bad-db").size());

        // A gzip cut in half: the entries before the cut are written and counted, nothing else.
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(whole)) {
            for (int copy = 0; copy < 20; copy++) { // large enough to be cut mid-stream
                out.write(Files.readAllBytes(corpus));
            }
        }
        Path cut = tmp.resolve("postgresql.log.2024-05-01-10.gz");
        byte[] bytes = whole.toByteArray();
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        r = cli.run("import", "--instance", "cut-db", cut.toString());
        assertEquals(1, r.code(), r.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("the gzip data ends early \\(truncated\\) after "
                + "\\d+ bytes; its first (\\d+) entries were written").matcher(r.err());
        assertTrue(m.find(), r.err());
        int reported = Integer.parseInt(m.group(1));
        assertTrue(reported > 0 && reported < entries.size() * 20, r.err());
        assertEquals(reported, stored(table, "cut-db").size(), "written must be exactly what was reported");

        Path notGzip = tmp.resolve("plain.log.gz");
        Files.copy(corpus, notGzip);
        r = cli.run("import", "--instance", "x-db", notGzip.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is named .gz but is not gzip data; nothing was written from it"), r.err());
    }

    private static void assertUsage(TestCli.Result r, String start) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith(start), r.err());
    }

    /** The parts of Lambda's context the handler uses. */
    static final class TestContext implements com.amazonaws.services.lambda.runtime.Context {
        public String getAwsRequestId() {
            return "test";
        }

        public String getLogGroupName() {
            return "/aws/lambda/test";
        }

        public String getLogStreamName() {
            return "test";
        }

        public String getFunctionName() {
            return "test";
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:test";
        }

        public com.amazonaws.services.lambda.runtime.CognitoIdentity getIdentity() {
            return null;
        }

        public com.amazonaws.services.lambda.runtime.ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return 60_000;
        }

        public int getMemoryLimitInMB() {
            return 512;
        }

        public com.amazonaws.services.lambda.runtime.LambdaLogger getLogger() {
            return null;
        }
    }
}
