package io.pglogs.forwarder;

import static io.pglogs.forwarder.Invocations.compactHandler;
import static io.pglogs.forwarder.Invocations.handler;
import static io.pglogs.forwarder.Invocations.invoke;
import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.FaultProxy.Fault;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Summary items (issue 26) through the handler, against moto and the fault proxy: written with the entries in both
 * formats, keyed by their entries, the same after throttling, 5xx, dropped connections and redelivery as after one
 * clean run (nothing counted twice), and a payload that cannot be written fails its invocation.
 */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class SummaryMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static List<LogFileSplitter.RawEntry> entries;
    private static List<LogEvent> events;

    @BeforeAll
    static void start() {
        moto = MotoServer.dedicated();
        ddb = moto.dynamoDb();
        entries = Corpus.fresh("postgresql.log");
        events = Corpus.asEvents(entries, 1);
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    private static BiFunction<String, DynamoDbClient, ForwarderHandler> handlers(String format) {
        return "compact".equals(format) ? Invocations::compactHandler : Invocations::handler;
    }

    private static String table(String format, String prefix) {
        return "compact".equals(format) ? LogTables.createCompact(ddb, prefix) : LogTables.create(ddb, prefix);
    }

    private static String ok(ForwarderHandler handler, String payload) throws Exception {
        String result = invoke(handler, payload, new ByteArrayOutputStream(), 60_000);
        assertTrue(result.startsWith("{\"status\":\"ok\""), result);
        return result;
    }

    private static int field(String result, String name) {
        return Integer.parseInt(result.replaceFirst(".*\"" + name + "\":(\\d+).*", "$1"));
    }

    /** The report of the summaries, merged in the order of their first entries. */
    static Report fromSummaries(List<Map<String, AttributeValue>> summaries) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        summaries.stream().sorted(Comparator.comparing((Map<String, AttributeValue> s) -> s.get(ItemContract.SK).s())
                        .thenComparing(s -> SummaryItem.of(s).stream()))
                .forEach(s -> b.merge(SummaryCodec.decode(SummaryItem.of(s).data(),
                        ReportBuilder.Options.SUMMARY)));
        return b.build();
    }

    /** The report of the entries the table holds (either format). */
    static Report fromEntries(String table) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        List<LogRow> rows = new ArrayList<>();
        LogTables.unpackedByEventId(ddb, table).values().forEach(e -> rows.add(LogRow.of(e)));
        rows.sort(Comparator.comparing(LogRow::ts).thenComparing(ReportBuilder.LOGGED_ORDER));
        rows.forEach(b::add);
        return b.build();
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void bothFormatsWriteTheSameSummariesKeyedByTheirFirstEntryBesideTheEntries() throws Exception {
        List<List<Map<String, AttributeValue>>> byFormat = new ArrayList<>();
        for (String format : List.of("entries", "compact")) {
            String table = table(format, "summaries-" + format);
            ForwarderHandler handler = handlers(format).apply(table, ddb);
            int written = 0;
            int summaries = 0;
            List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 40);
            for (String payload : payloads) {
                String result = ok(handler, payload);
                written += field(result, "written");
                summaries += field(result, "summaries");
            }
            assertEquals(events.size(), written);
            List<Map<String, AttributeValue>> items = LogTables.summaries(ddb, table);
            assertEquals(summaries, items.size(), "the results count the summary items");
            assertTrue(items.size() >= payloads.size(), "at least one per payload");
            Map<String, Map<String, AttributeValue>> stored = LogTables.unpackedByEventId(ddb, table);
            int counted = 0;
            for (Map<String, AttributeValue> s : items) {
                SummaryItem read = SummaryItem.of(s);
                String ts = read.ts();
                String first = read.eventId();
                assertEquals(ItemContract.summaryPartitionKey("corpus-db", ts, first, 4), s.get(ItemContract.PK).s());
                assertEquals(ItemContract.sortKey(ts, first), s.get(ItemContract.SK).s());
                assertEquals(stored.get(first).get(ItemContract.TS).s(), ts, "keyed by a stored entry");
                assertNotNull(stored.get(read.lastEventId()));
                counted += (int) read.entries();
            }
            assertEquals(events.size(), counted, "every entry summarised once");
            // Entries are read as the report reads them: the summaries count the same, but for companion lines
            // whose entry is in the payload before (a link summaries cannot make, docs/report.md).
            Report summarised = fromSummaries(items);
            Report read = fromEntries(table);
            assertEquals(read.overview().entries(), summarised.overview().entries());
            assertEquals(read.statements(), summarised.statements());
            assertEquals(read.checkpoints(), summarised.checkpoints());
            assertEquals(read.vacuums(), summarised.vacuums());
            assertEquals(read.connections(), summarised.connections());
            assertEquals(read.errors().count(), summarised.errors().count());
            assertEquals(read.locks().waits(), summarised.locks().waits());
            assertEquals(read.locks().deadlocks(), summarised.locks().deadlocks());
            byFormat.add(items);
        }
        assertEquals(new HashSet<>(byFormat.get(0)), new HashSet<>(byFormat.get(1)),
                "the same summaries, byte for byte, in both formats");
    }

    @ParameterizedTest
    @Execution(ExecutionMode.SAME_THREAD)
    @ValueSource(strings = {"entries", "compact"})
    void oneWholePayloadSummarisesToTheReportOfItsEntries(String format) throws Exception {
        String table = table(format, "whole-" + format);
        ok(handlers(format).apply(table, ddb), Payloads.lambdaEvent(GROUP, "corpus-db.0", events));
        assertEquals(fromEntries(table), fromSummaries(LogTables.summaries(ddb, table)));
    }

    @ParameterizedTest
    @Execution(ExecutionMode.SAME_THREAD)
    @ValueSource(strings = {"entries", "compact"})
    void faultsAndRedeliveryLeaveTheSummariesOfOneCleanRun(String format) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int stream = 0; stream < 8; stream++) {
            payloads.addAll(Payloads.lambdaEvents(GROUP, "corpus-db." + stream, Corpus.asEvents(entries, stream),
                    100));
        }
        String clean = table(format, "clean-" + format);
        for (String payload : payloads) {
            ok(handlers(format).apply(clean, ddb), payload);
        }
        String table = table(format, "faults-" + format);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.35, List.of(Fault.values()), 26);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = handlers(format).apply(table, viaProxy);
            for (String payload : payloads) {
                ok(handler, payload);
            }
            // Lambda delivers some payloads again (at-least-once): the same keys, the same content.
            for (String payload : payloads.subList(0, payloads.size() / 2)) {
                ok(handler, payload);
            }
            for (Fault f : Fault.values()) {
                assertTrue(proxy.injected(f) > 0, f + " never injected in " + proxy.batchWrites() + " calls");
            }
        }
        List<Map<String, AttributeValue>> expected = LogTables.summaries(ddb, clean);
        List<Map<String, AttributeValue>> got = LogTables.summaries(ddb, table);
        assertEquals(expected.size(), got.size());
        assertEquals(new HashSet<>(expected), new HashSet<>(got));
        Report report = fromSummaries(got);
        assertEquals(fromSummaries(expected), report);
        assertEquals(8L * events.size(), report.overview().entries(), "nothing counted twice");
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aPayloadThatCannotBeWrittenFailsTheInvocationAndItsRetryWritesItsSummaries() throws Exception {
        String payload = Payloads.lambdaEvent(GROUP, "corpus-db.0", events);
        String clean = LogTables.create(ddb, "retry-clean");
        ok(handler(clean, ddb), payload);
        String table = LogTables.create(ddb, "retry");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 7);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = handler(table, viaProxy);
            assertThrows(ForwardingFailedException.class,
                    () -> invoke(handler, payload, new ByteArrayOutputStream(), 4_000));
        }
        assertEquals(0, LogTables.summaries(ddb, table).size());
        ok(handler(table, ddb), payload);
        assertEquals(new HashSet<>(LogTables.summaries(ddb, clean)), new HashSet<>(LogTables.summaries(ddb, table)));
    }

    /** A summary DynamoDB will not take (too large, here: no split) fails the invocation; the entries are stored. */
    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aRefusedSummaryFailsTheInvocation() throws Exception {
        String table = LogTables.create(ddb, "refused-summary");
        StringBuilder big = new StringBuilder();
        java.util.Random random = new java.util.Random(5);
        List<LogEvent> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            big.setLength(0);
            for (int c = 0; c < 9_000; c++) {
                big.append((char) ('a' + random.nextInt(26)));
            }
            // Distinct statements that never repeat: each its own group and sample, 9 KB of entropy apiece.
            long millis = events.get(0).timestamp() + i;
            many.add(new LogEvent(String.format("%019d%05d%032d", millis, 9, i), millis,
                    "2026-12-04 18:21:44 UTC:10.0.0.1(5000):app@appdb:[42]:LOG:  duration: 1.000 ms  statement: "
                            + "SELECT '" + big + "' AS x" + i));
        }
        io.pglogs.forwarder.dynamo.ItemFactory items = new io.pglogs.forwarder.dynamo.ItemFactory(4, 90,
                new io.pglogs.forwarder.parse.Redactor());
        try (io.pglogs.forwarder.dynamo.BatchWriter writer = new io.pglogs.forwarder.dynamo.BatchWriter(ddb, table,
                4)) {
            Forwarder forwarder = new Forwarder(new io.pglogs.forwarder.parse.PostgresLogParser(), items, null, writer,
                    new io.pglogs.forwarder.dynamo.CatalogWriter(ddb, table, items), line -> { },
                    new Summariser(4, Integer.MAX_VALUE));
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class, () -> forwarder.forward(
                    io.pglogs.forwarder.cloudwatch.SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.9", many),
                    io.pglogs.forwarder.dynamo.Deadline.after(java.time.Duration.ofSeconds(30))));
            assertTrue(e.getMessage().contains("the summary of events"), e.getMessage());
        }
        assertEquals(100, LogTables.entries(ddb, table).size(), "the entries are stored");
        assertEquals(0, LogTables.summaries(ddb, table).size());
        // Entries no stored summary counts: the day is read from entries (review of issue 26, finding 1).
        List<Map<String, AttributeValue>> catalog = LogTables.catalog(ddb, table);
        assertEquals(1, catalog.size());
        assertNull(catalog.get(0).get(ItemContract.SUMMARISED), catalog.toString());
    }
}
