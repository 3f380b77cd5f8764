package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.pglogs.cli.RollupReportTest.Window;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The CLI writers roll up the spans they wrote once their run has stored everything (the forwarder's roller looks
 * back only 2 hours): a real server's corpus imported into days long past gets a valid rollup per span (from
 * summaries, or from entries on a summaries-off table, in both storage formats), so a report over it reads rollups
 * and fewer items, and equals the report from every entry; {@code --no-rollup} leaves the bumps' stubs only; spans
 * that are not due yet (ended less than ROLL_AFTER plus the clock skew ago) are left to the forwarder's roller. A
 * backfill of past hours from CloudWatch rolls its spans the same way.
 */
@Tag("integration")
class WriterRollupTest {
    private static final String INSTANCE = "roll-db";
    private static MotoServer moto;
    private static DynamoDbClient ddb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void moto() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    private static TestCli cli(String table) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    private static List<Map<String, AttributeValue>> rollupItems(String table) {
        return ddb.scanPaginator(b -> b.tableName(table)).items().stream().filter(ItemContract::isRollup).toList();
    }

    /** The corpus's pieces (RollupReportTest's: several spans) moved so the last entry is at {@code last}. */
    private static List<List<LogFileSplitter.RawEntry>> endingAt(String file, Instant last, int maxPieces) {
        List<List<LogFileSplitter.RawEntry>> pieces = RollupReportTest.movedPieces(file);
        pieces = pieces.subList(0, Math.min(maxPieces, pieces.size()));
        Instant at = times(pieces).stream().max(Instant::compareTo).orElseThrow();
        Duration by = Duration.ofSeconds(last.getEpochSecond() - at.getEpochSecond());
        List<List<LogFileSplitter.RawEntry>> out = new ArrayList<>();
        for (List<LogFileSplitter.RawEntry> p : pieces) {
            out.add(p.stream().map(e -> RollupReportTest.moved(e, by)).toList());
        }
        return out;
    }

    private static List<Instant> times(List<List<LogFileSplitter.RawEntry>> pieces) {
        return pieces.stream().flatMap(List::stream).map(RollupReportTest::time).filter(Objects::nonNull).toList();
    }

    private static TreeSet<Instant> spans(List<List<LogFileSplitter.RawEntry>> pieces) {
        return times(pieces).stream().map(RollupReportTest::spanStart).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String table(String format, boolean summaries) {
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "wroll") : LogTables.create(ddb, "wroll");
        if (!summaries) {
            String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
            ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("false")));
        }
        return table;
    }

    private TestCli.Result importInto(String table, List<List<LogFileSplitter.RawEntry>> pieces, String... options)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("import", "--instance", INSTANCE));
        args.addAll(List.of(options));
        for (int i = 0; i < pieces.size(); i++) {
            Path piece = tmp.resolve(table + "-part" + i + ".log");
            StringBuilder text = new StringBuilder();
            pieces.get(i).forEach(e -> text.append(e.text()).append('\n'));
            Files.writeString(piece, text, StandardCharsets.UTF_8);
            args.add(piece.toString());
        }
        TestCli.Result r = cli(table).run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return r;
    }

    /** The valid rollups' span starts, and what they were rolled from. */
    private static Map<Instant, String> valid(String table) {
        return rollupItems(table).stream().filter(i -> i.containsKey(ItemContract.SUMMARY)
                && !i.get(ItemContract.STALE).bool()).collect(Collectors.toMap(
                        i -> Instant.parse(i.get(ItemContract.SK).s()), i -> i.get(ItemContract.ROLLED_FROM).s()));
    }

    @ParameterizedTest(name = "{0} stored as {1}, summaries {2}")
    @CsvSource({"postgresql.log, compact, false", "postgresql.log, entries, false", "postgresql.csv, compact, true",
            "postgresql.json, entries, true"})
    void anImportIntoPastDaysRollsUpItsSpansAndTheReportReadsThem(String file, String format, boolean summaries)
            throws Exception {
        // Yesterday: long past the forwarder's 2 hours, one UTC day.
        Instant last = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(2));
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt(file, last, Integer.MAX_VALUE);
        TreeSet<Instant> spans = spans(pieces);
        assertTrue(spans.size() >= 4, "several spans: " + spans);

        String rolled = table(format, summaries);
        TestCli.Result r = importInto(rolled, pieces);
        assertTrue(r.err().contains(String.format("rolling up %,d spans", spans.size())), r.err());
        assertTrue(r.err().contains(String.format("rolled up %,d spans", spans.size())), r.err());
        Map<Instant, String> made = valid(rolled);
        assertEquals(spans, new TreeSet<>(made.keySet()), "a valid rollup per span written");
        String from = summaries ? ItemContract.ROLLED_FROM_SUMMARIES : ItemContract.ROLLED_FROM_ENTRIES;
        assertEquals(Set.of(from), Set.copyOf(made.values()), "the deployment's roller source");

        String plain = table(format, summaries);
        r = importInto(plain, pieces, "--no-rollup");
        assertFalse(r.err().contains("rolling up"), r.err());
        assertTrue(valid(plain).isEmpty(), "--no-rollup: no rollup");
        assertEquals(spans.size(), rollupItems(plain).size(), "the bumps' stubs only");

        Window whole = new Window(spans.first(), spans.last().plusMillis(ItemContract.COMPACT_SPAN_MILLIS - 1));
        JsonNode withRollups = RollupReportTest.assertSameReport(cli(rolled), INSTANCE, whole);
        JsonNode without = RollupReportTest.assertSameReport(cli(plain), INSTANCE, whole);
        assertEquals(spans.size(), RollupReportTest.rollups(withRollups), withRollups.path("overview").toString());
        assertEquals(0, RollupReportTest.rollups(without));
        long read = RollupReportTest.itemsRead(withRollups);
        long readWithout = RollupReportTest.itemsRead(without);
        assertTrue(read < readWithout, read + " items read with rollups, " + readWithout + " without");
        System.out.printf("writer rollups, %s as %s, summaries %s: %d spans; items read %d with rollups, %d with "
                + "--no-rollup%n", file, format, summaries, spans.size(), read, readWithout);
    }

    @Test
    void aBackfillOfPastHoursRollsUpItsSpans() throws Exception {
        Instant last = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(3));
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt("postgresql.log", last, 10);
        TreeSet<Instant> spans = spans(pieces);
        String group = "/aws/rds/instance/" + INSTANCE + "/postgresql";
        var logs = moto.configure(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient.builder())
                .build();
        if (logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().isEmpty()) {
            logs.createLogGroup(b -> b.logGroupName(group));
        }
        String stream = "stream-" + System.nanoTime();
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        List<software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent> events = new ArrayList<>();
        Instant previous = Instant.EPOCH;
        for (LogFileSplitter.RawEntry e : pieces.stream().flatMap(List::stream).toList()) {
            Instant t = RollupReportTest.time(e);
            previous = t == null || t.isBefore(previous) ? previous : t; // companions: their entry's time
            events.add(software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                    .timestamp(previous.toEpochMilli()).message(e.text()).build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
        String table = table("compact", false);
        TestCli.Result r = cli(table).run("backfill", "--instance", INSTANCE, "--since",
                spans.first().toString(), "--until", spans.last().plusMillis(ItemContract.COMPACT_SPAN_MILLIS)
                        .toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains(String.format("rolling up %,d spans", spans.size())), r.err());
        assertEquals(spans, new TreeSet<>(valid(table).keySet()), "a valid rollup per span backfilled");
        Window whole = new Window(spans.first(), spans.last().plusMillis(ItemContract.COMPACT_SPAN_MILLIS - 1));
        JsonNode report = RollupReportTest.assertSameReport(cli(table), INSTANCE, whole);
        assertEquals(spans.size(), RollupReportTest.rollups(report));

        String plain = table("compact", false);
        r = cli(plain).run("backfill", "--no-rollup", "--instance", INSTANCE, "--since", spans.first().toString(),
                "--until", spans.last().plusMillis(ItemContract.COMPACT_SPAN_MILLIS).toString());
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.err().contains("rolling up"), r.err());
        assertTrue(valid(plain).isEmpty(), "--no-rollup: no rollup");
        assertEquals(spans.size(), rollupItems(plain).size(), "the bumps' stubs only");
    }

    @Test
    void spansNotYetDueAreLeftToTheForwarder() throws Exception {
        // The last entry a minute ago: its span (and those ended less than ROLL_AFTER + skew ago) are not due.
        Instant before = Instant.now();
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt("postgresql.log", before.minusSeconds(60), 8);
        TreeSet<Instant> spans = spans(pieces);
        String table = table("compact", false);
        TestCli.Result r = importInto(table, pieces);
        Instant after = Instant.now();
        Set<Instant> made = valid(table).keySet();
        Set<Instant> mustNot = spans.stream().filter(s -> !Roller.dueForWriter(ItemContract.compactSpan(
                ItemContract.isoMillis(s)), after)).collect(Collectors.toSet());
        Set<Instant> must = spans.stream().filter(s -> Roller.dueForWriter(ItemContract.compactSpan(
                ItemContract.isoMillis(s)), before)).collect(Collectors.toSet());
        assertFalse(mustNot.isEmpty(), "spans not due: " + spans);
        assertTrue(mustNot.stream().noneMatch(made::contains), "not due, not rolled: " + made + " of " + spans);
        assertTrue(made.containsAll(must), "due spans rolled: " + made + " of " + must);
        assertTrue(r.err().contains(" ended less than 4 minutes ago (by AWS's clock) and were not rolled up"),
                r.err());
        // Not rolled, not touched: the stubs the import's bumps made stay, one per span not due.
        List<Map<String, AttributeValue>> stubs = rollupItems(table).stream().filter(i -> mustNot.contains(
                Instant.parse(i.get(ItemContract.SK).s()))).toList();
        assertEquals(mustNot.size(), stubs.size(), "a stub per span not due: " + stubs);
        assertTrue(stubs.stream().allMatch(i -> i.get(ItemContract.STALE).bool()
                && !i.containsKey(ItemContract.SUMMARY)), stubs.toString());
    }

    /**
     * Review P6, F1: a file that fails (here not a log at all: nothing written from it) does not hold the others'
     * rollups back; and running the same import again rolls the spans an earlier run left (here --no-rollup), though
     * it writes nothing: the spans of the entries it finds stored are rolled too.
     */
    @Test
    void aFailedFileHoldsNothingBackAndARerunRollsWhatAnEarlierRunLeft() throws Exception {
        Instant last = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(4));
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt("postgresql.csv", last, 8);
        TreeSet<Instant> spans = spans(pieces);
        String table = table("entries", true);
        importInto(table, pieces, "--no-rollup");
        assertTrue(valid(table).isEmpty());

        Path notALog = tmp.resolve("notes.txt");
        Files.writeString(notALog, "shopping list\nmilk\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("import", "--instance", INSTANCE));
        for (int i = 0; i < pieces.size(); i++) {
            args.add(tmp.resolve(table + "-part" + i + ".log").toString());
        }
        args.add(notALog.toString());
        TestCli.Result r = cli(table).run(args.toArray(String[]::new));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is not a PostgreSQL log"), r.err());
        assertTrue(r.err().contains("imported 0 entries"), r.err());
        assertTrue(r.err().contains(String.format("rolling up %,d spans", spans.size())), r.err());
        assertTrue(r.err().contains(String.format("rolled up %,d spans", spans.size())), r.err());
        assertEquals(spans, new TreeSet<>(valid(table).keySet()), "every span the earlier run wrote");
        // Once more: every span valid already costs one (consistent) GetItem and nothing else of the phase.
        Map<Instant, String> before = valid(table);
        args.remove(notALog.toString());
        args.addAll(List.of("--endpoint-url", ""));
        try (io.pglogs.testing.FaultProxy proxy = io.pglogs.testing.FaultProxy.recording(moto.endpoint())) {
            args.set(args.size() - 1, proxy.endpoint().toString());
            r = cli(table).run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.toString());
            assertEquals(spans.size(), proxy.requests("GetItem").size(), "a GetItem a span");
            assertEquals(0, proxy.requests("PutItem").size(), "nothing rewritten");
            System.out.printf("writer rollups, a re-run over %d valid spans: %d GetItem, %d PutItem, %d Query (the "
                    + "import's own look-ups included)%n", spans.size(), proxy.requests("GetItem").size(),
                    proxy.requests("PutItem").size(), proxy.requests("Query").size());
        }
        assertTrue(r.err().contains(String.format("rolled up %,d spans", spans.size())), r.err());
        assertEquals(before, valid(table));
        Window whole = new Window(spans.first(), spans.last().plusMillis(ItemContract.COMPACT_SPAN_MILLIS - 1));
        assertEquals(spans.size(), RollupReportTest.rollups(RollupReportTest.assertSameReport(cli(table), INSTANCE,
                whole)));
    }

    /**
     * Review P6, F4 and F8: a table throttling every read of the phase (here every GetItem) stops it after a few spans
     * in a row, with one line saying what was left; the reasons are the CLI's (at most 10), the run exits 0 (every
     * entry is stored) and no rollup is claimed.
     */
    @Test
    void aThrottledRollupStopsAfterAFewFailuresAndTheRunStillSucceeds() throws Exception {
        Instant last = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(6));
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt("postgresql.log", last, Integer.MAX_VALUE);
        String table = table("compact", false);
        TestCli.Result r;
        try (io.pglogs.testing.FaultProxy proxy = new io.pglogs.testing.FaultProxy(moto.endpoint(), 1.0,
                List.of(io.pglogs.testing.FaultProxy.Fault.THROTTLE), 7, ".GetItem",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException")) {
            r = importInto(table, pieces, "--endpoint-url", proxy.endpoint().toString());
            assertTrue(proxy.injected(io.pglogs.testing.FaultProxy.Fault.THROTTLE) > 0);
        }
        assertTrue(r.err().contains("pglogs: warning: rollup stopped after 5 spans in a row failed (last: "
                + "DynamoDB: "), r.err());
        // The SDK retries the throttled GetItem until the roller's 10-second bound on a call: the cause is a timeout.
        assertTrue(r.err().contains("ProvisionedThroughputExceeded") || r.err().contains("timeout"), r.err());
        long reasons = r.err().lines().filter(l -> l.contains(" not made: DynamoDB: ")).count();
        assertTrue(reasons >= 5 && reasons <= 10, r.err());
        assertFalse(r.err().contains("a later invocation"), r.err());
        assertTrue(r.err().contains("rolled up 0 spans"), r.err());
        assertTrue(valid(table).isEmpty());
    }

    /**
     * Review P6, F2 and F4: the phase's time is AWS's when this machine's clock runs fast (moto's HTTP Date header),
     * and a PROVISIONED table is rolled one span at a time.
     */
    @Test
    void theTimeIsAwssWhenThisClockRunsFastAndAProvisionedTableIsRolledOneSpanAtATime() throws Exception {
        String table = table("compact", false);
        java.time.Clock fast = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(3));
        io.pglogs.cli.ingest.TableClock clock = io.pglogs.cli.ingest.TableClock.of(ddb, table, fast);
        Instant real = Instant.now();
        assertNotNull(clock.aws(), "moto sends a Date header");
        assertFalse(clock.provisioned());
        assertTrue(Duration.between(clock.now(), real).abs().toSeconds() <= 5, clock + " at " + real);
        assertTrue(clock.local().isAfter(real.plusSeconds(170)), clock.toString());

        ddb.updateTable(b -> b.tableName(table).billingMode(
                software.amazon.awssdk.services.dynamodb.model.BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L)));
        assertTrue(io.pglogs.cli.ingest.TableClock.of(ddb, table, fast).provisioned());
        Instant last = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofHours(8));
        List<List<LogFileSplitter.RawEntry>> pieces = endingAt("postgresql.log", last, 6);
        TreeSet<Instant> spans = spans(pieces);
        TestCli.Result r = importInto(table, pieces);
        assertTrue(r.err().contains(String.format("rolling up %,d spans (one at a time)", spans.size())), r.err());
        assertEquals(spans, new TreeSet<>(valid(table).keySet()));
    }
}
