package io.pglogs.forwarder;

import static io.pglogs.forwarder.Invocations.invoke;
import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redaction;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.BoundedTexts;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.FaultProxy.Fault;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A summary never stands for entries the table does not hold (review of issue 26, findings 1, 2, 7, 8, 9): a payload
 * cut by its deadline, an entry DynamoDB refuses, or summaries that cannot be made leave the payload's instance-day
 * unmarked (readers then read entries); an entry of 370 KB is stored and summarised below the item limit; the
 * catalogue mark is refreshed while it holds and never comes back once removed; summaries can be switched off.
 */
@Tag("integration")
class SummaryFailureMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static List<LogEvent> events;

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        events = Corpus.asEvents(Corpus.fresh("postgresql.log"), 11);
    }

    /** The catalogue's mark by {@code <day> <instance>}: true where summarised, false where catalogued unmarked. */
    private static Map<String, Boolean> marks(String table) {
        Map<String, Boolean> out = new TreeMap<>();
        for (Map<String, AttributeValue> c : LogTables.catalog(ddb, table)) {
            AttributeValue mark = c.get(ItemContract.SUMMARISED);
            out.put(c.get(ItemContract.PK).s().substring(ItemContract.CATALOG_PREFIX.length()) + " "
                    + c.get(ItemContract.SK).s(), mark != null && mark.bool());
        }
        return out;
    }

    private static void assertMarked(String table, boolean marked) {
        Map<String, Boolean> marks = marks(table);
        assertFalse(marks.isEmpty());
        assertTrue(marks.values().stream().allMatch(m -> m == marked), marks.toString());
    }

    /** The report of the entries the table holds (either format), as SummaryMotoTest makes it. */
    private static Report fromEntries(String table) {
        ReportBuilder b = new ReportBuilder(new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS, 100_000), null,
                null);
        List<LogRow> rows = new ArrayList<>();
        LogTables.unpackedByEventId(ddb, table).values().forEach(e -> rows.add(LogRow.of(e)));
        rows.sort(Comparator.comparing(LogRow::ts).thenComparing(ReportBuilder.LOGGED_ORDER));
        rows.forEach(b::add);
        return b.build();
    }

    private static String ok(ForwarderHandler handler, String payload) throws Exception {
        String result = invoke(handler, payload, new ByteArrayOutputStream(), 60_000);
        assertTrue(result.startsWith("{\"status\":\"ok\""), result);
        return result;
    }

    private static ForwarderHandler handler(String format, String table, DynamoDbClient client, boolean summaries) {
        return new ForwarderHandler(new ForwarderConfig(table, 90, 4, Redaction.PASSWORDS, 4, LogTimeZone.NONE,
                StorageFormat.of(format), summaries), client);
    }

    private static String table(String format, String prefix) {
        return "compact".equals(format) ? LogTables.createCompact(ddb, prefix) : LogTables.create(ddb, prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"entries", "compact"})
    void aPayloadCutByItsDeadlineUnmarksItsDayAndWritesNoSummary(String format) throws Exception {
        String table = table(format, "cut-" + format);
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, events.size() / 2 + 1);
        ForwarderHandler direct = handler(format, table, ddb, true);
        ok(direct, payloads.get(0));
        assertMarked(table, true);
        int summaries = LogTables.summaries(ddb, table).size();
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 3);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            assertThrows(ForwardingFailedException.class, () -> invoke(handler(format, table, viaProxy, true),
                    payloads.get(1), new ByteArrayOutputStream(), 4_000));
        }
        assertMarked(table, false);
        assertEquals(summaries, LogTables.summaries(ddb, table).size(), "no summary of the payload cut short");
        // The container that marked the day writes it no more; another one refreshes it unmarked (finding 7).
        ok(direct, payloads.get(1));
        ok(handler(format, table, ddb, true), payloads.get(1));
        assertMarked(table, false);
    }

    @Test
    void anEntryRefusedEvenInReducedFormUnmarksItsDayAndItsPayloadWritesNoSummary() throws Exception {
        String table = LogTables.create(ddb, "refused-entry");
        List<LogEvent> first = events.subList(0, 20);
        List<LogEvent> second = new ArrayList<>(events.subList(20, 45));
        LogEvent bad = second.get(3);
        second.set(3, new LogEvent("POISONID" + bad.id(), bad.timestamp(), bad.message()));
        ok(handler("entries", table, ddb, true), Payloads.lambdaEvent(GROUP, "corpus-db.0", first));
        assertMarked(table, true);
        int summaries = LogTables.summaries(ddb, table).size();
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            proxy.refuseContaining("POISONID", null);
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class, () -> invoke(
                    handler("entries", table, viaProxy, true), Payloads.lambdaEvent(GROUP, "corpus-db.0", second),
                    new ByteArrayOutputStream(), 20_000));
            assertTrue(e.getMessage().contains("their summaries were not written"), e.getMessage());
        }
        assertEquals(44, LogTables.entries(ddb, table).size());
        assertEquals(summaries, LogTables.summaries(ddb, table).size(), "no summary counts the refused entry");
        assertMarked(table, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"entries", "compact"})
    void aHugeErrorLineIsStoredAndItsSummaryStaysFarBelowTheItemLimit(String format) throws Exception {
        byte[] random = new byte[277_500];
        new Random(26).nextBytes(random);
        String base64 = Base64.getEncoder().encodeToString(random);
        assertEquals(370_000, base64.length());
        LogEvent e0 = events.get(0);
        List<LogEvent> payload = new ArrayList<>(events.subList(0, 10));
        payload.add(new LogEvent(String.format("%019d%05d%032d", e0.timestamp(), 7, 1), e0.timestamp(),
                "2026-12-04 18:21:44 UTC:10.0.0.1(5000):app@appdb:[42]:ERROR:  " + base64));
        String table = table(format, "huge-" + format);
        String result = ok(handler(format, table, ddb, true), Payloads.lambdaEvent(GROUP, "corpus-db.0", payload));
        assertTrue(result.contains("\"written\":11,"), result);
        List<Map<String, AttributeValue>> summaries = LogTables.summaries(ddb, table);
        assertFalse(summaries.isEmpty());
        for (Map<String, AttributeValue> s : summaries) {
            assertTrue(ItemSize.bytes(s) < 100_000, "summary item of " + ItemSize.bytes(s) + " bytes");
        }
        assertMarked(table, true);
        Report fromSummaries = SummaryMotoTest.fromSummaries(summaries);
        assertEquals(fromEntries(table), fromSummaries);
        assertTrue(fromSummaries.toString().contains(base64.substring(0, BoundedTexts.MAX_CHARS - 20)));
        assertFalse(fromSummaries.toString().contains(base64.substring(0, BoundedTexts.MAX_CHARS + 1)));
        assertTrue(fromSummaries.toString().contains("more characters not kept"));
    }

    @Test
    void summariesSwitchedOffWriteNoneAndUnmarkADaySummarisedBefore() throws Exception {
        String table = LogTables.create(ddb, "switch-off");
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, events.size() / 2 + 1);
        ok(handler("entries", table, ddb, true), payloads.get(0));
        assertMarked(table, true);
        int summaries = LogTables.summaries(ddb, table).size();
        String result = ok(handler("entries", table, ddb, false), payloads.get(1));
        assertTrue(result.contains("\"summaries\":0,"), result);
        assertEquals(summaries, LogTables.summaries(ddb, table).size());
        assertMarked(table, false);
    }

    /**
     * Second review of issue 26, C: entries no summary counts are written only once their day is unmarked, and when
     * the unmark cannot be made (here every PutItem throttled) the payload fails after its entries are stored, so
     * Lambda's retry unmarks the day; a day still marked would leave them out of every default report.
     */
    @Test
    void anUnmarkThatCannotBeMadeFailsThePayloadAndItsRetryUnmarks() throws Exception {
        String table = LogTables.create(ddb, "unmark-throttled");
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, events.size() / 2 + 1);
        ok(handler("entries", table, ddb, true), payloads.get(0));
        assertMarked(table, true);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 5, ".PutItem",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class, () -> invoke(
                    handler("entries", table, viaProxy, false), payloads.get(1), new ByteArrayOutputStream(), 8_000));
            assertTrue(e.getMessage().contains("not unmarked"), e.getMessage());
            assertTrue(proxy.injected(Fault.THROTTLE) > 0);
        }
        assertEquals(events.size(), LogTables.entries(ddb, table).size(), "the entries are stored all the same");
        assertMarked(table, true);
        ok(handler("entries", table, ddb, false), payloads.get(1));
        assertMarked(table, false);
    }

    /**
     * Second review of issue 26, B: a CLI writer stopped mid-write runs no catch; its shutdown hook calls
     * unflagInFlight, which unmarks the days of the payloads being written while they are still in flight.
     */
    @Test
    void unflagInFlightUnmarksTheDaysOfPayloadsBeingWritten() throws Exception {
        String table = LogTables.create(ddb, "in-flight");
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, events.size() / 2 + 1);
        ok(handler("entries", table, ddb, true), payloads.get(0));
        assertMarked(table, true);
        List<LogEvent> rest = events.subList(events.size() / 2 + 1, events.size());
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 9);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint());
             BatchWriter writer = new BatchWriter(viaProxy, table, 4)) {
            Forwarder forwarder = new Forwarder(new PostgresLogParser(), items, null, writer,
                    new CatalogWriter(viaProxy, table, items), l -> { }, new Summariser(4));
            assertEquals(0, forwarder.unflagInFlight());
            java.util.concurrent.CompletableFuture<ForwardResult> write = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return forwarder.forward(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", rest),
                                    Deadline.after(Duration.ofSeconds(8)));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            long until = System.nanoTime() + 5_000_000_000L;
            while (proxy.injected(Fault.THROTTLE) == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(proxy.injected(Fault.THROTTLE) > 0, "the write is in flight, throttled");
            assertEquals(1, forwarder.unflagInFlight());
            assertFalse(write.isDone(), "still in flight when unmarked");
            assertMarked(table, false);
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    write::get);
            assertInstanceOf(ForwardingFailedException.class, e.getCause());
        }
    }

    /** Second review of issue 26, D: a container unmarks an instance-day once, not once per payload. */
    @Test
    void aContainerUnmarksAnInstanceDayOnce() throws Exception {
        String table = LogTables.create(ddb, "unmark-once");
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 10);
        ok(handler("entries", table, ddb, true), payloads.get(0));
        try (FaultProxy proxy = FaultProxy.recording(moto.endpoint());
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler off = handler("entries", table, viaProxy, false);
            for (String p : payloads.subList(1, payloads.size())) {
                ok(off, p);
            }
            assertMarked(table, false);
            assertTrue(payloads.size() - 1 > LogTables.catalog(ddb, table).size());
            // Counted by key: the roller's PutItems of rollups go by too when the corpus was made under 2 hours ago.
            assertEquals(LogTables.catalog(ddb, table).size(), proxy.requests().stream()
                    .filter(r -> "PutItem".equals(r.action()) && r.body().contains(ItemContract.CATALOG_PREFIX))
                    .count(), "one unmarking PutItem per instance-day");
        }
    }

    @Test
    void aMarkedDayIsRefreshedAndAnUnmarkedOneIsRefreshedUnmarked() {
        String table = LogTables.create(ddb, "refresh");
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        LocalDate day = LocalDate.parse("2026-12-04");
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        LogSource imported = LogSource.of(GROUP, "corpus-db.0");
        assertEquals(1, new CatalogWriter(ddb, table, items).ensure(imported, List.of(day), true, deadline, l -> { }));
        assertMarked(table, true);
        LogSource withCluster = new LogSource(imported.instance(), "corpus-cluster", imported.logGroup(),
                imported.logStream());
        new CatalogWriter(ddb, table, items).ensure(withCluster, List.of(day), true, deadline, l -> { });
        assertMarked(table, true);
        assertEquals("corpus-cluster", LogTables.catalog(ddb, table).get(0).get(ItemContract.CLUSTER).s());

        new CatalogWriter(ddb, table, items).ensure(imported, List.of(day), false, deadline, l -> { });
        assertMarked(table, false);
        new CatalogWriter(ddb, table, items).ensure(withCluster, List.of(day), true, deadline, l -> { });
        assertMarked(table, false);
        assertEquals("corpus-cluster", LogTables.catalog(ddb, table).get(0).get(ItemContract.CLUSTER).s());
    }

    @Test
    void aSummariserThatFailsLeavesTheEntriesStoredAndTheDayUnmarked() throws Exception {
        String table = LogTables.create(ddb, "summariser-fails");
        List<String> payloads = Payloads.lambdaEvents(GROUP, "corpus-db.0", events, events.size() / 2 + 1);
        ok(handler("entries", table, ddb, true), payloads.get(0));
        assertMarked(table, true);
        int summaries = LogTables.summaries(ddb, table).size();
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        List<String> log = new ArrayList<>();
        List<LogEvent> rest = events.subList(events.size() / 2 + 1, events.size());
        Summariser failing = new Summariser(4) {
            @Override
            public Summaries summarise(List<Map<String, AttributeValue>> entryItems, LogSource source) {
                throw new IllegalStateException("a bug on an odd entry");
            }
        };
        try (BatchWriter writer = new BatchWriter(ddb, table, 4)) {
            ForwardResult r = new Forwarder(new PostgresLogParser(), items, null, writer,
                    new CatalogWriter(ddb, table, items), log::add, failing).forward(
                    SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", rest),
                    Deadline.after(Duration.ofSeconds(30)));
            assertEquals(rest.size(), r.written());
            assertEquals(0, r.summaries());
        }
        assertEquals(events.size(), LogTables.entries(ddb, table).size());
        assertEquals(summaries, LogTables.summaries(ddb, table).size());
        assertTrue(String.join("\n", log).contains("ERROR summarising " + rest.size() + " events from " + GROUP
                + " failed (java.lang.IllegalStateException: a bug on an odd entry)"), log.toString());
        assertMarked(table, false);
    }
}
