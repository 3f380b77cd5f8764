package io.pglogs.forwarder;

import static io.pglogs.forwarder.Invocations.handler;
import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The catalogue key `_instances#<day>` is written once per container, instance and day, apart from the entries. */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class CatalogueMotoTest {
    private static final String THROTTLED = "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException";
    /** The entries go in BatchWriteItem calls, the catalogue items (issue 26) in conditional PutItem calls. */
    private static final String WRITES = ".BatchWriteItem|.PutItem";
    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static List<LogEvent> events;

    @BeforeAll
    static void start() {
        moto = MotoServer.dedicated();
        ddb = moto.dynamoDb();
        events = Corpus.asEvents(Corpus.fresh("postgresql.log"), 5);
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /** The real server's lines, dated {@code day} (the corpus is of one day; the catalogue is per day). */
    private static List<LogEvent> on(String day, int stream) {
        List<LogEvent> out = new ArrayList<>();
        for (LogEvent e : events) {
            if (LogFileSplitter.startsEntry(e.message())) {
                out.add(new LogEvent(e.id().substring(0, 19) + String.format("%05d", stream) + e.id().substring(24),
                        e.timestamp(), day + e.message().substring(10)));
            }
        }
        return out;
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void athousandPayloadsOfTwoInstancesOverTwoDaysWriteFourCatalogueItemsAndNoneInTheEntriesBatches()
            throws Exception {
        List<String> payloads = new ArrayList<>();
        int entries = 0;
        for (String instance : List.of("cat-a", "cat-b")) {
            for (int i = 0; i < 500; i++) {
                List<LogEvent> day = on(i % 2 == 0 ? "2024-03-30" : "2024-03-31", i);
                List<LogEvent> some = day.subList(i % (day.size() - 3), i % (day.size() - 3) + 3);
                entries += some.size();
                payloads.add(Payloads.lambdaEvent("/aws/rds/instance/" + instance + "/postgresql", instance + ".0",
                        some));
            }
        }
        String table = LogTables.create(ddb, "catalogue");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1, WRITES, THROTTLED);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler container = handler(table, viaProxy);
            // Four invocations at a time, as four threads of one container: the count is per container either way.
            List<String> summaries = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
            try {
                pool.submit(() -> payloads.parallelStream().forEach(p -> {
                    try {
                        summaries.add(Invocations.invoke(container, p, new ByteArrayOutputStream(), 20_000));
                    } catch (Exception e) {
                        summaries.add(e.toString());
                    }
                })).get();
            } finally {
                pool.shutdown();
            }
            assertEquals(1_000, summaries.size());
            summaries.forEach(summary -> assertTrue(summary.contains("\"written\":3,")
                    && summary.contains("\"summaries\":1,"), summary));
            int catalogue = proxy.callsContaining("_instances#");
            assertEquals(catalogue, proxy.calls(".PutItem"), "the catalogue is written by PutItem");
            int batches = proxy.calls(".BatchWriteItem");
            System.out.printf("catalogue: %d payloads (%d entries) from one container: %d BatchWriteItem calls for the "
                    + "entries, %d catalogue writes (previously one catalogue item per payload and day: %d)%n",
                    payloads.size(), entries, batches, catalogue, payloads.size());
            // Each payload's entries, then its summary in a write of its own once they are stored (review of issue
            // 26, finding 1: a summary never counts an entry the table does not hold).
            assertEquals(2_000, batches);
            assertEquals(4, catalogue);
            assertEquals(0, proxy.callsContaining("_instances#", "\"message\""), "never in an entries' batch");
            assertEquals(1_000, proxy.callsContaining("\"_summary#"), "each payload's summary in a batch");
            assertEquals(0, proxy.callsContaining("\"_summary#", "\"message\""), "never in its entries' batch");

            // A second container writes each once more (idempotent), never more.
            ForwarderHandler another = handler(table, viaProxy);
            for (String p : payloads.stream().filter(p -> payloads.indexOf(p) % 250 < 2).toList()) {
                Invocations.invoke(another, p, new ByteArrayOutputStream(), 20_000);
            }
            assertEquals(8, proxy.callsContaining("_instances#"));
        }
        assertEquals(List.of("_instances#2024-03-30 cat-a", "_instances#2024-03-30 cat-b",
                        "_instances#2024-03-31 cat-a", "_instances#2024-03-31 cat-b"),
                LogTables.catalog(ddb, table).stream().map(i -> i.get("pk").s() + " " + i.get("sk").s()).sorted()
                        .toList());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aThrottledCatalogueKeyNeitherFailsNorHoldsBackTheEntriesAndIsWrittenLater() throws Exception {
        String table = LogTables.create(ddb, "hotkey");
        List<LogEvent> day = on("2024-03-31", 9);
        String group = "/aws/rds/instance/hot/postgresql";
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 3, WRITES, THROTTLED);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            // The catalogue key's partition throttles; the entries' partitions do not.
            proxy.refuseContaining("_instances#", THROTTLED, "Rate exceeded (injected)");
            ForwarderHandler container = handler(table, viaProxy);
            for (int i = 0; i < 5; i++) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                String summary = Invocations.invoke(container, Payloads.lambdaEvent(group, "hot.0",
                        day.subList(i * 10, i * 10 + 10)), log, 20_000);
                assertTrue(summary.contains("\"written\":10,"), summary);
                String logged = log.toString(StandardCharsets.UTF_8);
                assertTrue(logged.contains("catalogue item _instances#2024-03-31 for hot not written "
                        + "(ProvisionedThroughputExceededException: Rate exceeded (injected)); the entries are stored "
                        + "and the next invocation writes it"), logged);
            }
            assertEquals(50, LogTables.entries(ddb, table).size());
            assertEquals(0, LogTables.catalog(ddb, table).size());
            assertTrue(proxy.refused() >= 5);

            proxy.refuseContaining(null, null);
            Invocations.invoke(container, Payloads.lambdaEvent(group, "hot.0", day.subList(50, 51)),
                    new ByteArrayOutputStream(), 20_000);
            int after = proxy.callsContaining("_instances#");
            Invocations.invoke(container, Payloads.lambdaEvent(group, "hot.0", day.subList(51, 52)),
                    new ByteArrayOutputStream(), 20_000);
            assertEquals(after, proxy.callsContaining("_instances#"), "written once, then never again");
        }
        assertEquals(1, LogTables.catalog(ddb, table).size());
    }

    /** A new instance-day is marked summarised; one catalogued before (without the mark) stays unmarked. */
    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aNewDayIsMarkedSummarisedAndADayCataloguedByAnOlderForwarderStaysUnmarked() throws Exception {
        String table = LogTables.create(ddb, "summarised");
        io.pglogs.forwarder.dynamo.ItemFactory items = new io.pglogs.forwarder.dynamo.ItemFactory(4, 90, null);
        // An older forwarder's unconditional put: the day holds entries it did not summarise.
        ddb.putItem(b -> b.tableName(table).item(items.catalogItem("old", null, java.time.LocalDate.parse(
                "2024-03-31"))));
        ForwarderHandler container = handler(table, ddb);
        for (String instance : List.of("old", "new")) {
            String summary = Invocations.invoke(container, Payloads.lambdaEvent("/aws/rds/instance/" + instance
                    + "/postgresql", instance + ".0", on("2024-03-31", 4).subList(0, 10)), new ByteArrayOutputStream(),
                    20_000);
            assertTrue(summary.contains("\"written\":10,") && summary.contains("\"summaries\":1,"), summary);
        }
        java.util.Map<String, java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>>
                byInstance = new java.util.HashMap<>();
        LogTables.catalog(ddb, table).forEach(i -> byInstance.put(i.get("sk").s(), i));
        assertEquals(java.util.Set.of("old", "new"), byInstance.keySet());
        assertEquals(Boolean.TRUE, byInstance.get("new").get(ItemContract.SUMMARISED).bool());
        assertNull(byInstance.get("old").get(ItemContract.SUMMARISED), "catalogued before: not marked");
        // Another container finds the day catalogued (the condition fails): the mark stays, nothing fails.
        ForwarderHandler another = handler(table, ddb);
        String summary = Invocations.invoke(another, Payloads.lambdaEvent("/aws/rds/instance/new/postgresql",
                "new.0", on("2024-03-31", 4).subList(10, 20)), new ByteArrayOutputStream(), 20_000);
        assertTrue(summary.startsWith("{\"status\":\"ok\""), summary);
        assertEquals(Boolean.TRUE, LogTables.catalog(ddb, table).stream().filter(i -> i.get("sk").s().equals("new"))
                .findFirst().orElseThrow().get(ItemContract.SUMMARISED).bool());
    }

    /** A forwarder without summaries (benchmarks) writes the catalogue as before: unconditionally, unmarked. */
    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void withoutSummariesTheCatalogueIsWrittenUnmarked() throws Exception {
        String table = LogTables.create(ddb, "unsummarised");
        io.pglogs.forwarder.dynamo.ItemFactory items = new io.pglogs.forwarder.dynamo.ItemFactory(4, 90,
                new io.pglogs.forwarder.parse.Redactor());
        try (io.pglogs.forwarder.dynamo.BatchWriter writer = new io.pglogs.forwarder.dynamo.BatchWriter(ddb, table,
                2)) {
            Forwarder forwarder = new Forwarder(new io.pglogs.forwarder.parse.PostgresLogParser(), items, null,
                    writer, new io.pglogs.forwarder.dynamo.CatalogWriter(ddb, table, items), line -> { }, null);
            ForwardResult r = forwarder.forward(io.pglogs.forwarder.cloudwatch.SubscriptionPayload.ofEvents(null,
                    "/aws/rds/instance/plain/postgresql", "plain.0", on("2024-03-31", 6).subList(0, 10)),
                    io.pglogs.forwarder.dynamo.Deadline.after(java.time.Duration.ofSeconds(20)));
            assertEquals(10, r.written());
            assertEquals(0, r.summaries());
        }
        assertEquals(0, LogTables.summaries(ddb, table).size());
        assertEquals(1, LogTables.catalog(ddb, table).size());
        assertNull(LogTables.catalog(ddb, table).get(0).get(ItemContract.SUMMARISED));
    }
}
