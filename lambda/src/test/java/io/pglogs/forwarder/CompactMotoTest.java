package io.pglogs.forwarder;

import static io.pglogs.forwarder.Invocations.compactHandler;
import static io.pglogs.forwarder.Invocations.handler;
import static io.pglogs.forwarder.Invocations.invoke;
import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.FaultProxy.Fault;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The compact format through the handler, against moto and the fault proxy: the entries tests' guarantees. */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class CompactMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
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

    private static String ok(ForwarderHandler handler, String payload) throws Exception {
        String summary = invoke(handler, payload, new ByteArrayOutputStream(), 60_000);
        assertTrue(summary.startsWith("{\"status\":\"ok\""), summary);
        return summary;
    }

    private static List<String> payloads(int streams, int perPayload) {
        List<String> payloads = new ArrayList<>();
        for (int stream = 0; stream < streams; stream++) {
            payloads.addAll(Payloads.lambdaEvents(GROUP, "corpus-db." + stream, Corpus.asEvents(entries, stream),
                    perPayload));
        }
        return payloads;
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void everyEntryIsStoredAsTheEntriesFormatStoresItInAFractionOfTheItems() throws Exception {
        String plain = LogTables.create(ddb, "plain");
        String compact = LogTables.createCompact(ddb, "compact");
        int written = 0;
        for (String payload : Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 100)) {
            ok(handler(plain, ddb), payload);
            String summary = ok(compactHandler(compact, ddb), payload);
            written += Integer.parseInt(summary.replaceFirst(".*\"written\":(\\d+).*", "$1"));
        }
        assertEquals(events.size(), written);
        Map<String, Map<String, AttributeValue>> expected = LogTables.unpackedByEventId(ddb, plain);
        assertEquals(events.size(), expected.size());
        assertEquals(expected, LogTables.unpackedByEventId(ddb, compact));
        List<Map<String, AttributeValue>> items = LogTables.entries(ddb, compact);
        assertTrue(items.size() * 5 <= events.size(), items.size() + " items for " + events.size() + " entries");
        items.forEach(i -> assertTrue(ItemSize.bytes(i) <= 1024
                || Integer.parseInt(i.get(ItemContract.ENTRIES).n()) == 1, i.get(ItemContract.SK).s()));
        // The catalogue is the same in both formats.
        assertEquals(LogTables.catalog(ddb, plain).stream().map(i -> i.get("pk").s() + i.get("sk").s()).sorted()
                .toList(), LogTables.catalog(ddb, compact).stream().map(i -> i.get("pk").s() + i.get("sk").s())
                .sorted().toList());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aRedeliveredPayloadOverwritesItsItemsAndOtherBatchingsOnlyRepeatEntries() throws Exception {
        String table = LogTables.createCompact(ddb, "redelivered");
        ForwarderHandler handler = compactHandler(table, ddb);
        for (String payload : Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 25)) {
            ok(handler, payload);
        }
        List<Map<String, AttributeValue>> first = LogTables.entries(ddb, table);
        Map<String, Map<String, AttributeValue>> entriesFirst = LogTables.unpackedByEventId(ddb, table);
        for (String payload : Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 25)) {
            ok(handler, payload);
        }
        assertEquals(new HashSet<>(first), new HashSet<>(LogTables.entries(ddb, table)));
        // Batched otherwise (a backfill, say), the same entries land in other items: stored twice, read once.
        for (String payload : Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 60)) {
            ok(handler, payload);
        }
        assertEquals(entriesFirst, LogTables.unpackedByEventId(ddb, table));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void throttlingUnprocessedItems5xxAndDroppedConnectionsLoseNothingAndDuplicateNothing() throws Exception {
        List<String> payloads = payloads(16, 100);
        String clean = LogTables.createCompact(ddb, "clean");
        for (String payload : payloads) {
            ok(compactHandler(clean, ddb), payload);
        }
        String table = LogTables.createCompact(ddb, "faults");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.35, List.of(Fault.values()), 42);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = compactHandler(table, viaProxy);
            for (String payload : payloads) {
                ok(handler, payload);
            }
            for (Fault f : Fault.values()) {
                assertTrue(proxy.injected(f) > 0, f + " never injected in " + proxy.batchWrites() + " calls");
            }
        }
        // The same items under the same keys: nothing lost, nothing stored twice.
        assertEquals(new HashSet<>(LogTables.entries(ddb, clean)), new HashSet<>(LogTables.entries(ddb, table)));
        assertEquals(LogTables.entries(ddb, clean).size(), LogTables.entries(ddb, table).size());
        assertEquals(16 * events.size(), LogTables.unpackedByEventId(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void anInvocationThatCannotFinishFailsAndItsRetryCompletesIt() throws Exception {
        String table = LogTables.createCompact(ddb, "deadline");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 7);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = compactHandler(table, viaProxy);
            String payload = Payloads.lambdaEvent(GROUP, "corpus-db.0", events);
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class,
                    () -> invoke(handler, payload, new ByteArrayOutputStream(), 4_000));
            assertTrue(e.getMessage().contains("items not written to table " + table), e.getMessage());
            assertEquals(0, LogTables.entries(ddb, table).size());
            proxy.setFaults(0, List.of());
            assertTrue(invoke(handler, payload, new ByteArrayOutputStream(), 60_000)
                    .contains("\"written\":" + events.size()));
        }
        assertEquals(events.size(), LogTables.unpackedByEventId(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void itemsDynamoDbRefusesAreStoredWithTheirEntriesInReducedForm() throws Exception {
        // The stream name is the one plain text every compact item of the payload carries; its reduced form is ASCII.
        // A summary item carries only the stream's id (docs/schema.md "Summary items"), so it is stored as it is.
        String stream = "corpus-db.\u2620";
        List<LogEvent> some = events.subList(0, 60);
        String payload = Payloads.lambdaEvent(GROUP, stream, some);
        String table = LogTables.createCompact(ddb, "refused");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            proxy.refuseContaining(stream, "com.amazon.coral.validate#ValidationException");
            assertTrue(invoke(compactHandler(table, viaProxy), payload, log, 20_000).contains("\"written\":60"));
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("storing them in reduced form"));
        Map<String, Map<String, AttributeValue>> stored = LogTables.unpackedByEventId(ddb, table);
        assertEquals(60, stored.size());
        for (LogEvent e : some) {
            Map<String, AttributeValue> entry = stored.get(e.id());
            assertEquals("corpus-db.\\u2620", entry.get(ItemContract.LOG_STREAM).s());
            assertTrue(entry.get(ItemContract.REDUCED).s().startsWith("ValidationException"));
        }
        // Entries stored in reduced form are summarised as built (before the reduction): the day is summarised.
        List<Map<String, AttributeValue>> summaries = LogTables.summaries(ddb, table);
        assertFalse(summaries.isEmpty());
        assertEquals(60, summaries.stream().mapToLong(s -> SummaryItem.of(s).entries()).sum());
        assertTrue(LogTables.catalog(ddb, table).stream().allMatch(c -> c.containsKey(ItemContract.SUMMARISED)));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aSummaryDynamoDbRefusesFailsTheInvocationOnceItsEntriesAreStored() throws Exception {
        // Only summary items carry the stream's id; a summary has no reduced form (review of issue 26, finding 8): the
        // invocation fails once every entry is stored, and the day is read from entries.
        List<LogEvent> some = events.subList(0, 60);
        String payload = Payloads.lambdaEvent(GROUP, "corpus-db.0", some);
        String table = LogTables.createCompact(ddb, "summary-refused");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            proxy.refuseContaining(SummaryItem.streamId(GROUP, "corpus-db.0"),
                    "com.amazon.coral.validate#ValidationException");
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class,
                    () -> invoke(compactHandler(table, viaProxy), payload, new ByteArrayOutputStream(), 20_000));
            assertTrue(e.getMessage().startsWith("the 60 events from " + GROUP + " were written; 1 of their summary "
                    + "items not stored"), e.getMessage());
        }
        assertEquals(0, LogTables.summaries(ddb, table).size());
        assertTrue(LogTables.catalog(ddb, table).stream().noneMatch(c -> c.containsKey(ItemContract.SUMMARISED)));
        Map<String, Map<String, AttributeValue>> stored = LogTables.unpackedByEventId(ddb, table);
        assertEquals(60, stored.size());
        assertTrue(stored.values().stream().noneMatch(entry -> entry.containsKey(ItemContract.REDUCED)));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void theFormatSettingIsCheckedInOneLine() {
        ForwarderConfig.InvalidConfigException e = assertThrows(ForwarderConfig.InvalidConfigException.class,
                () -> ForwarderConfig.fromEnvironment(Map.of("PGLOGS_TABLE", "t", "PGLOGS_FORMAT", "packed")));
        assertEquals("PGLOGS_FORMAT=packed is not one of entries, compact", e.getMessage());
        assertEquals(io.pglogs.forwarder.dynamo.StorageFormat.COMPACT, ForwarderConfig.fromEnvironment(
                Map.of("PGLOGS_TABLE", "t", "PGLOGS_FORMAT", "compact")).format());
    }
}
