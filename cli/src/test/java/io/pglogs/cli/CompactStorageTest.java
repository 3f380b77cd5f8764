package io.pglogs.cli;

import io.pglogs.cli.command.ExitCode;
import io.pglogs.cli.option.CliContext;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.ForwarderConfig;
import io.pglogs.forwarder.ForwarderHandler;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The same real-server corpus collected by the Lambda and backfilled over the collected hours, once into a table of
 * each format: every reader prints the same bytes from both, and each entry once although the compact table holds
 * some twice (the backfill packs them otherwise).
 */
@Tag("integration")
class CompactStorageTest {
    private static final String GROUP_A = "/aws/rds/instance/cs-a/postgresql";
    private static final String GROUP_B = "/aws/rds/instance/cs-b/postgresql";
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static String entriesTable;
    private static String compactTable;
    /** The corpus, its entries restamped 13 s apart from 25 minutes before the last UTC midnight. */
    private static List<String> lines;
    private static Instant base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void collectAndBackfill() throws Exception {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        base = LocalDate.now(ZoneOffset.UTC).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(25 * 60);
        lines = new ArrayList<>();
        List<LogFileSplitter.RawEntry> corpus = Corpus.fresh("postgresql.log");
        for (int i = 0; i < corpus.size(); i++) {
            String text = corpus.get(i).text();
            // Every entry of the corpus starts with its %t; the restamped time spans several compact spans and a day.
            String stamp = base.plusSeconds(13L * i).toString().replace("T", " ").substring(0, 19);
            lines.add(text.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC.*") ? stamp + text.substring(19)
                    : text);
        }
        CloudWatchLogsClient logs = moto.configure(CloudWatchLogsClient.builder()).build();
        entriesTable = LogTables.create(ddb, "cs-entries");
        compactTable = LogTables.createCompact(ddb, "cs-compact");
        for (String group : List.of(GROUP_A, GROUP_B)) {
            String stream = group.equals(GROUP_A) ? "cs-a.0" : "cs-b.0";
            logs.createLogGroup(b -> b.logGroupName(group));
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            List<InputLogEvent> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                // cs-b's entries fall 5 s after cs-a's: the instances interleave.
                events.add(InputLogEvent.builder().timestamp(base.plusSeconds(13L * i + (group.equals(GROUP_A) ? 0 : 5))
                        .toEpochMilli()).message(lines.get(i)).build());
            }
            logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
            // The Lambda collected the first 60 % of each stream, in payloads of 40, with CloudWatch's event ids.
            List<FilteredLogEvent> all = logs.filterLogEventsPaginator(b -> b.logGroupName(group)).events().stream()
                    .toList();
            List<LogEvent> collected = all.subList(0, all.size() * 6 / 10).stream()
                    .map(e -> new LogEvent(e.eventId(), e.timestamp(), e.message())).toList();
            for (String table : List.of(entriesTable, compactTable)) {
                ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4,
                        LogTimeZone.NONE, table.equals(compactTable) ? StorageFormat.COMPACT : StorageFormat.ENTRIES),
                        ddb);
                for (String payload : Payloads.lambdaEvents(group, stream, collected, 40)) {
                    handler.handleRequest(new ByteArrayInputStream(payload.getBytes()), new ByteArrayOutputStream(),
                            new BackfillImportTest.TestContext());
                }
            }
        }
        // Then a backfill of the whole window, over what was collected.
        for (String table : List.of(entriesTable, compactTable)) {
            TestCli.Result r = cli(table).run("backfill", "--instance", "cs-a,cs-b", "--since", base.minusSeconds(60)
                    .toString(), "--until", base.plusSeconds(13L * lines.size() + 60).toString());
            assertEquals(0, r.code(), r.toString());
        }
    }

    private static TestCli cli(String table) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    private static String window(int fromSeconds, int untilSeconds) {
        return "--since=" + base.plusSeconds(fromSeconds) + " --until=" + base.plusSeconds(untilSeconds);
    }

    /** The command's output from each table; they must be equal, and not empty unless said. */
    private static String sameFromBoth(boolean mayBeEmpty, String... args) {
        TestCli.Result fromEntries = cli(entriesTable).run(args);
        TestCli.Result fromCompact = cli(compactTable).run(args);
        assertEquals(0, fromEntries.code(), fromEntries.toString());
        assertEquals(fromEntries.out(), fromCompact.out(), String.join(" ", args));
        assertEquals(fromEntries.err(), fromCompact.err(), String.join(" ", args));
        assertTrue(mayBeEmpty || !fromEntries.out().isBlank(), String.join(" ", args) + " printed nothing");
        return fromEntries.out();
    }

    private static String[] args(String command, String window, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "--no-color"));
        all.addAll(List.of(window.split(" ")));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void theCompactTableHoldsSomeEntriesTwiceInFewerItems() {
        Map<String, Integer> copies = new HashMap<>();
        List<Map<String, AttributeValue>> items = LogTables.entries(ddb, compactTable);
        for (Map<String, AttributeValue> item : items) {
            assertTrue(ItemContract.isCompact(item));
            for (Map<String, AttributeValue> e : io.pglogs.forwarder.dynamo.CompactItems.entries(item)) {
                copies.merge(e.get(ItemContract.EVENT_ID).s(), 1, Integer::sum);
            }
        }
        assertEquals(2 * lines.size(), copies.size());
        assertTrue(copies.values().stream().anyMatch(n -> n > 1), "the backfill packed nothing differently");
        assertTrue(items.size() * 4 < LogTables.entries(ddb, entriesTable).size(), items.size() + " items");
    }

    @Test
    void queryPrintsTheSameBytesFromBothFormatsEachEntryOnce() throws Exception {
        String whole = window(-60, 13 * lines.size() + 60);
        String ndjson = sameFromBoth(false, args("query", whole, "-o", "ndjson"));
        assertEquals(2 * lines.size(), ndjson.lines().count());
        List<String> ids = new ArrayList<>();
        for (String l : ndjson.lines().toList()) {
            ids.add(new ObjectMapper().readTree(l).get("event_id").asText());
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "an entry printed twice");
        sameFromBoth(false, args("query", whole));
        sameFromBoth(false, args("query", whole, "-o", "csv"));
        sameFromBoth(false, args("query", whole, "-o", "json", "-r"));
        sameFromBoth(false, args("query", whole, "-r", "-n", "37"));
        sameFromBoth(false, args("query", whole, "-n", "5", "-i", "cs-b"));
        sameFromBoth(false, args("query", whole, "-s", "ERROR,STATEMENT"));
        sameFromBoth(false, args("query", whole, "--min-severity", "WARNING", "-o", "ndjson"));
        sameFromBoth(false, args("query", whole, "-g", "(?i)password|redacted"));
        sameFromBoth(true, args("query", whole, "-s", "PANIC"));
        // Windows that start and end inside a compact item's span and inside items, across midnight.
        for (int[] w : new int[][] {{1201, 2403}, {1499, 1500}, {7, 9}, {600, 600}, {1380, 1620}}) {
            sameFromBoth(true, args("query", window(w[0], w[1]), "-o", "ndjson"));
            sameFromBoth(true, args("query", window(w[0], w[1]), "-r", "-o", "ndjson"));
        }
        String users = sameFromBoth(false, args("query", whole, "-o", "ndjson"));
        String user = null;
        for (String l : users.lines().toList()) {
            JsonNode n = new ObjectMapper().readTree(l);
            if (n.has("user") && n.has("database")) {
                user = n.get("user").asText();
                sameFromBoth(false, args("query", whole, "-u", user, "-d", n.get("database").asText()));
                break;
            }
        }
        assertNotNull(user, "no entry with a user and a database");
    }

    @Test
    void entriesPastTheirTtlStayHiddenThoughTheirItemLives() throws Exception {
        // One item of 60 entries a second apart whose TTL (a day) runs out in the middle of them.
        String table = LogTables.createCompact(ddb, "cs-expiry");
        Instant first = Instant.now().minus(java.time.Duration.ofDays(1)).minusSeconds(30)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var source = new io.pglogs.forwarder.dynamo.ItemFactory(4, 1, null).forSource(
                io.pglogs.forwarder.cloudwatch.LogSource.of("/aws/rds/instance/cs-x/postgresql", "cs-x.0"));
        io.pglogs.forwarder.parse.PostgresLogParser parser = new io.pglogs.forwarder.parse.PostgresLogParser();
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant t = first.plusSeconds(i);
            entries.add(source.build(String.format("%056d", i), t.toEpochMilli(), parser.parse(t.toString()
                    .replace("T", " ").substring(0, 19) + " UTC::@:[7]:LOG:  tick " + i)).item());
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>(
                new io.pglogs.forwarder.dynamo.CompactItems(4).pack(entries).items());
        items.add(new io.pglogs.forwarder.dynamo.ItemFactory(4, 1, null).catalogItem("cs-x", null,
                LocalDate.ofInstant(first, ZoneOffset.UTC)));
        try (io.pglogs.forwarder.dynamo.BatchWriter writer = new io.pglogs.forwarder.dynamo.BatchWriter(ddb, table,
                1)) {
            writer.write(items, io.pglogs.forwarder.dynamo.Deadline.after(java.time.Duration.ofSeconds(30)));
        }
        // The query judges expiry by its own clock, somewhere between these two: on a busy machine seconds apart.
        long before = Instant.now().getEpochSecond();
        TestCli.Result r = cli(table).run("query", "--since", first.minusSeconds(1).toString(), "--until",
                first.plusSeconds(61).toString(), "-o", "ndjson");
        long after = Instant.now().getEpochSecond();
        assertEquals(0, r.code(), r.toString());
        long liveBefore = entries.stream().filter(e -> Long.parseLong(e.get(ItemContract.EXPIRES_AT).n()) > before)
                .count();
        long liveAfter = entries.stream().filter(e -> Long.parseLong(e.get(ItemContract.EXPIRES_AT).n()) > after)
                .count();
        assertTrue(liveAfter > 0 && liveBefore < 60, "the TTL does not fall inside the item: " + liveBefore);
        long printed = r.out().lines().count();
        assertTrue(printed >= liveAfter && printed <= liveBefore, printed + " printed, " + liveAfter + " to "
                + liveBefore + " live\n" + r.out());
        assertFalse(r.out().contains("\"tick 0\""), r.out());
    }

    @Test
    void tailPrintsTheSameBytesFromBothFormats() {
        sameFromBoth(false, args("tail", window(-60, 13 * lines.size() + 60)));
        sameFromBoth(false, args("tail", window(-60, 13 * lines.size() + 60), "-o", "ndjson", "-s", "LOG"));
    }

    @Test
    void tailFollowPrintsTheEntriesOfNewCompactItemsEachOnce() throws Exception {
        String table = LogTables.createCompact(ddb, "cs-follow");
        String group = "/aws/rds/instance/cs-f/postgresql";
        long now = System.currentTimeMillis();
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String stamp = Instant.ofEpochMilli(now).toString().replace("T", " ").substring(0, 19);
            events.add(new LogEvent(String.format("%056d", i), now, stamp + " UTC::@:[77]:LOG:  followed " + i));
        }
        ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4, LogTimeZone.NONE,
                StorageFormat.COMPACT), ddb);
        TestCli cli = cli(table);
        java.io.StringWriter out = new java.io.StringWriter();
        CliContext ctx = new CliContext(cli.env, cli.home, new java.io.BufferedReader(new java.io.StringReader("")),
                false, false);
        Thread tail = new Thread(() -> PglogsCli.execute(ctx, new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(new java.io.StringWriter(), true), "tail", "-f", "-i", "cs-f",
                "--poll-interval", "200"));
        tail.start();
        following(handler, group, out);
        for (int size : new int[] {30, 7}) { // delivered, then backfilled in other packings
            for (String payload : Payloads.lambdaEvents(group, "cs-f.0", events, size)) {
                handler.handleRequest(new ByteArrayInputStream(payload.getBytes()), new ByteArrayOutputStream(),
                        new BackfillImportTest.TestContext());
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!out.toString().contains("followed 29") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        following(handler, group, out); // a later poll: a repeat would show by now
        tail.interrupt();
        tail.join(5_000);
        for (int i = 0; i < 30; i++) {
            String once = "followed " + i;
            assertEquals(1, out.toString().lines().filter(l -> l.endsWith(once)).count(), once + " in\n" + out);
        }
    }

    /**
     * Delivers marker entries until the following tail prints one: it is then following (or has polled once more),
     * waited for rather than slept on.
     */
    private static void following(ForwarderHandler handler, String group, java.io.StringWriter out)
            throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            long now = System.currentTimeMillis();
            String marker = "marker " + System.nanoTime();
            String stamp = Instant.ofEpochMilli(now).toString().replace("T", " ").substring(0, 19);
            List<LogEvent> one = List.of(new LogEvent(String.format("%056d", System.nanoTime()), now,
                    stamp + " UTC::@:[77]:LOG:  " + marker));
            for (String payload : Payloads.lambdaEvents(group, "cs-f.0", one, 1)) {
                handler.handleRequest(new ByteArrayInputStream(payload.getBytes()), new ByteArrayOutputStream(),
                        new BackfillImportTest.TestContext());
            }
            long seen = System.nanoTime() + 2_000_000_000L;
            while (!out.toString().contains(marker) && System.nanoTime() < seen) {
                Thread.sleep(20);
            }
            if (out.toString().contains(marker)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the tail never printed a marker\n" + out);
        }
    }

    @Test
    void importSkipsWhatTheCompactTableHoldsWhateverItsPacking() throws Exception {
        Path file = tmp.resolve("postgresql.log.cs");
        Files.writeString(file, String.join("\n", lines) + "\n");
        TestCli.Result r = cli(compactTable).run("import", "-i", "cs-a", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("imported 0 entries"), r.err());
        assertTrue(r.err().contains(String.format("; %,d already stored (same second, pid and message) skipped",
                lines.size())), r.err());
    }

    @Test
    void statusNamesTheFormatAndWhatAnItemHolds() throws Exception {
        TestCli.Result r = cli(compactTable).run("status", "devel", "-o", "json");
        JsonNode storage = new ObjectMapper().readTree(r.out()).at("/table/storage");
        assertEquals("compact", storage.get("format").asText(), r.out());
        assertTrue(storage.get("entries_per_item").asDouble() > 4, storage.toString());
        assertTrue(storage.get("sampled_items").asInt() > 0, storage.toString());
        r = cli(entriesTable).run("status", "devel");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  storage") && l.contains("entries: 1 entry per item")),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("writes with format") && l.contains("table tag entries")),
                r.out());
    }

    @Test
    void startRefusesToChangeTheFormatOfAnExistingTable() throws Exception {
        TestCli cli = cli(entriesTable).withTerraform();
        Path jar = tmp.resolve("forwarder.jar");
        Files.writeString(jar, "not used");
        cli.env.put("PGLOGS_LAMBDA_JAR", jar.toString());
        cli.env.put("PGLOGS_DEVEL_STORAGE", "compact");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.toString());
        assertEquals("pglogs: table " + entriesTable + " stores its entries as entries but devel.storage = compact: a "
                + "table's storage format is chosen when it is created (readers follow its tag and would miss what was "
                + "written in the other). Keep devel.storage = entries (or unset it), or name a new table (devel.table) for "
                + "compact; nothing was changed\n", r.err());
        cli.env.put("PGLOGS_DEVEL_STORAGE", "packed");
        r = cli.run("start", "devel");
        assertEquals(ExitCode.USAGE, r.code(), r.toString());
        assertEquals("pglogs: devel.storage 'packed' (env PGLOGS_DEVEL_STORAGE) is not a storage format: use entries "
                + "(one item per entry) or compact\n", r.err());
    }

    @Test
    void withoutTheSettingAnExistingTableKeepsItsFormat() throws Exception {
        // A colleague or runner whose configuration leaves devel.storage out is not refused on a compact table: start
        // gets past the format and stops only at the next check (no instances listed here).
        TestCli cli = cli(compactTable).withTerraform();
        Path jar = Files.writeString(tmp.resolve("forwarder.jar"), "not used");
        cli.env.put("PGLOGS_LAMBDA_JAR", jar.toString());
        cli.env.remove("PGLOGS_DEVEL_STORAGE");
        cli.env.remove("PGLOGS_DEVEL_RDS_INSTANCES");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(ExitCode.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: no instances to collect from"), r.err());
    }
    private static List<JsonNode> rows(String ndjson) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String l : ndjson.lines().toList()) {
            rows.add(new ObjectMapper().readTree(l));
        }
        return rows;
    }

    /**
     * Kinds, durations and fingerprints survive the Lambda and the backfill in both formats, and query selects by them
     * alike from both: kinds pushed into the Query's filter (compact: through the items' kinds), durations and
     * fingerprints matched exactly.
     */
    @Test
    void queryByKindDurationAndFingerprintFromBothFormats() throws Exception {
        String whole = window(-60, 13 * lines.size() + 60);
        List<JsonNode> all = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson")));
        assertTrue(all.stream().allMatch(r -> r.has("kind")), "an entry without a kind");
        for (String kind : List.of("deadlock", "lock_wait,lock_acquired", "temp_file", "checkpoint_complete",
                "statement_duration", "too_many_connections,cancel,terminate", "autovacuum")) {
            List<JsonNode> got = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson", "--kind", kind)));
            List<String> wanted = List.of(kind.split(","));
            assertEquals(all.stream().filter(r -> wanted.contains(r.get("kind").asText())).count(), got.size(), kind);
            assertTrue(got.stream().allMatch(r -> wanted.contains(r.get("kind").asText())), kind);
        }
        List<JsonNode> slow = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson", "--min-duration",
                "250ms")));
        assertEquals(all.stream().filter(r -> r.has("duration_ms") && r.get("duration_ms").asDouble() >= 250).count(),
                slow.size());
        assertTrue(slow.stream().allMatch(r -> r.get("duration_ms").asDouble() >= 250));
        assertTrue(slow.stream().anyMatch(r -> r.get("message").asText().contains("pg_sleep")));
        sameFromBoth(true, args("query", whole, "--min-duration", "1h"));
        sameFromBoth(true, args("query", whole, "--kind", "temp_file", "--min-duration", "1ms"));
        JsonNode prepared = all.stream().filter(r -> r.get("message").asText().contains("execute P_0:")).findFirst()
                .orElseThrow();
        String fp = prepared.get("fingerprint").asText();
        List<JsonNode> same = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson", "--fingerprint", fp)));
        assertEquals(all.stream().filter(r -> r.has("fingerprint") && r.get("fingerprint").asText().equals(fp))
                .count(), same.size());
        // pgbench's three runs of the prepared statement, with different values, parse, bind and execute, twice over.
        assertTrue(same.size() >= 2 * 7, same.size() + " entries of " + fp);
        String csv = sameFromBoth(false, args("query", whole, "-o", "csv", "--kind", "checkpoint_complete"));
        assertTrue(csv.lines().findFirst().orElseThrow().contains(",kind,duration_ms,fingerprint,sqlstate_class,"
                + "temp_bytes,wait_ms,session_ms,relation,checkpoint_buffers,checkpoint_write_s,checkpoint_sync_s,"
                + "checkpoint_total_s,context"), csv);
        assertTrue(csv.lines().skip(1).allMatch(l -> l.contains(",checkpoint_complete,")), csv);
        TestCli.Result bad = cli(entriesTable).run(args("query", whole, "--kind", "slow"));
        assertEquals(ExitCode.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("unknown kind 'slow'"), bad.err());
        bad = cli(entriesTable).run(args("query", whole, "--min-duration", "fast"));
        assertEquals(ExitCode.USAGE, bad.code(), bad.toString());
        bad = cli(entriesTable).run(args("query", whole, "--fingerprint", "xyz"));
        assertEquals(ExitCode.USAGE, bad.code(), bad.toString());
    }

    /**
     * --context N: each match with the N entries of its instance and process before and after it, from the whole
     * window's reading, marked; --around: the window centred on a moment. Alike from both formats.
     */
    @Test
    void contextAndAroundShowTheRightNeighboursFromBothFormats() throws Exception {
        String whole = window(-60, 13 * lines.size() + 60);
        List<JsonNode> all = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson")));
        for (int n : new int[] {1, 3}) {
            List<JsonNode> got = rows(sameFromBoth(false, args("query", whole, "-o", "ndjson", "--kind", "deadlock",
                    "--context", Integer.toString(n))));
            List<String> expected = new ArrayList<>();
            for (int m = 0; m < all.size(); m++) {
                JsonNode match = all.get(m);
                if (!match.get("kind").asText().equals("deadlock")) {
                    continue;
                }
                List<String> before = new ArrayList<>();
                for (int j = m - 1; j >= 0 && before.size() < n; j--) {
                    if (sameProcess(all.get(j), match)) {
                        before.add(0, "before " + all.get(j).get("event_id").asText());
                    }
                }
                expected.addAll(before);
                expected.add("match " + match.get("event_id").asText());
                int after = 0;
                for (int j = m + 1; j < all.size() && after < n; j++) {
                    if (sameProcess(all.get(j), match)) {
                        after++;
                        expected.add("after " + all.get(j).get("event_id").asText());
                    }
                }
            }
            List<String> actual = got.stream().map(r -> r.get("context").asText() + " " + r.get("event_id").asText())
                    .toList();
            assertEquals(expected, actual, "--context " + n);
            assertEquals(2, got.stream().filter(r -> r.get("context").asText().equals("match")).count());
        }
        String text = sameFromBoth(false, args("query", whole, "--kind", "deadlock", "-C", "2"));
        assertTrue(text.lines().anyMatch(l -> l.startsWith("> ") && l.contains("deadlock detected")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("- ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("+ ")), text);

        JsonNode deadlock = all.stream().filter(r -> r.get("kind").asText().equals("deadlock")).findFirst()
                .orElseThrow();
        Instant at = Instant.parse(deadlock.get("ts").asText());
        List<JsonNode> around = rows(sameFromBoth(false, args("query", "--around=" + at, "--within", "30s", "-o",
                "ndjson")));
        List<String> expected = all.stream().filter(r -> {
            Instant t = Instant.parse(r.get("ts").asText());
            return !t.isBefore(at.minusSeconds(30)) && !t.isAfter(at.plusSeconds(30));
        }).map(r -> r.get("event_id").asText()).toList();
        assertEquals(expected, around.stream().map(r -> r.get("event_id").asText()).toList());
        assertTrue(expected.size() >= 4, expected.toString());
        TestCli.Result bad = cli(entriesTable).run("query", "--around=" + at, "--since", "1h");
        assertEquals(ExitCode.USAGE, bad.code(), bad.toString());
        assertTrue(bad.err().contains("--around cannot be combined with --since or --until"), bad.err());
    }

    private static boolean sameProcess(JsonNode a, JsonNode b) {
        return a.get("instance").equals(b.get("instance")) && java.util.Objects.equals(a.get("pid"), b.get("pid"));
    }
}
