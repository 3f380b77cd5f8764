package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.ChildJvm;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.FaultProxy.Fault;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The handler against a real moto_server, through the real SDK over HTTP. */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class ForwarderMotoTest {
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

    private static ForwarderHandler handler(String table, DynamoDbClient client) {
        return new ForwarderHandler(new ForwarderConfig(table, 90, 4, true, 4), client);
    }

    private static String invoke(ForwarderHandler handler, String lambdaEvent, long timeoutMillis) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(new ByteArrayOutputStream());
        handler.handleRequest(new ByteArrayInputStream(lambdaEvent.getBytes(StandardCharsets.UTF_8)), out,
                new LocalRunner.LocalContext(timeoutMillis, log));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void deliverAll(ForwarderHandler handler, int perPayload) throws Exception {
        for (String event : Payloads.lambdaEvents(GROUP, "corpus-db.0", events, perPayload)) {
            String summary = invoke(handler, event, 60_000);
            assertTrue(summary.startsWith("{\"status\":\"ok\""), summary);
        }
    }

    private static Map<String, Map<String, AttributeValue>> byEventId(String table) {
        return LogTables.entries(ddb, table).stream()
                .collect(Collectors.toMap(i -> i.get("event_id").s(), i -> i));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void everyEntryOfARealServerCorpusLandsWithCorrectFieldsAndTtl() throws Exception {
        String table = LogTables.create(ddb, "corpus");
        deliverAll(handler(table, ddb), 40);
        Map<String, Map<String, AttributeValue>> stored = byEventId(table);
        assertEquals(events.size(), stored.size());
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            String raw = e.message();
            Map<String, AttributeValue> item = stored.get(e.id());
            assertNotNull(item, "missing: " + raw);
            String severity = item.get("severity").s();
            assertTrue(raw.contains(":" + severity + ":  ") || raw.contains("]:" + severity + ":"), raw);
            assertTrue(raw.contains(":[" + item.get("pid").n() + "]:"), raw);
            String ts = item.get("ts").s();
            assertEquals(raw.substring(0, 10) + "T" + raw.substring(11, 19), ts.substring(0, 19), raw);
            assertEquals(Instant.parse(ts).getEpochSecond() + 90L * 86_400, Long.parseLong(item.get("expires_at").n()));
            assertEquals("corpus-db#" + ts.substring(0, 10) + "#", item.get("pk").s().substring(0, 21));
            assertEquals(ts + "#" + e.id(), item.get("sk").s());
            assertEquals("corpus-db", item.get("instance").s());
            assertEquals(GROUP, item.get("log_group").s());
            String message = item.get("message").s();
            item.forEach((name, value) -> Corpus.SECRETS.forEach(secret -> assertFalse(
                    String.valueOf(value.s()).contains(secret), () -> name + " holds a secret: " + value)));
            if (item.containsKey("redacted")) {
                assertTrue(message.contains("[redacted]"), message);
            } else {
                assertTrue(raw.endsWith(message), () -> "message " + message + " not the tail of " + raw);
            }
        }
        List<String> catalog = LogTables.catalog(ddb, table).stream()
                .map(i -> i.get("pk").s() + " " + i.get("sk").s()).sorted().toList();
        List<String> expectedCatalog = stored.values().stream()
                .map(i -> "_instances#" + i.get("ts").s().substring(0, 10) + " corpus-db").distinct().sorted().toList();
        assertEquals(expectedCatalog, catalog);
        long redacted = stored.values().stream().filter(i -> i.containsKey("redacted")).count();
        assertTrue(redacted >= 20, "redacted " + redacted);
        assertEquals(entries.stream().filter(e -> e.text().contains("]:ERROR:  ")).count(),
                stored.values().stream().filter(i -> i.get("severity").s().equals("ERROR")).count());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void theSamePayloadDeliveredTwiceLeavesTheCountUnchanged() throws Exception {
        String table = LogTables.create(ddb, "redelivery");
        ForwarderHandler handler = handler(table, ddb);
        deliverAll(handler, 25);
        Map<String, Map<String, AttributeValue>> first = byEventId(table);
        deliverAll(handler, 60);
        assertEquals(first, byEventId(table));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void throttlingUnprocessedItems5xxAndDroppedConnectionsLoseNothingAndDuplicateNothing() throws Exception {
        // Eight streams' worth of the corpus: enough batches for every kind of fault to happen several times.
        List<String> payloads = new java.util.ArrayList<>();
        for (int stream = 0; stream < 8; stream++) {
            payloads.addAll(Payloads.lambdaEvents(GROUP, "corpus-db." + stream, Corpus.asEvents(entries, stream), 100));
        }
        String clean = LogTables.create(ddb, "clean");
        for (String payload : payloads) {
            invoke(handler(clean, ddb), payload, 60_000);
        }
        String table = LogTables.create(ddb, "faults");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.35, List.of(Fault.values()), 42);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = handler(table, viaProxy);
            for (String payload : payloads) {
                String summary = invoke(handler, payload, 60_000);
                assertTrue(summary.startsWith("{\"status\":\"ok\""), summary);
            }
            for (Fault f : Fault.values()) {
                assertTrue(proxy.injected(f) > 0, f + " never injected in " + proxy.batchWrites() + " calls");
            }
        }
        assertEquals(byEventId(clean), byEventId(table));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void anInvocationThatCannotFinishFailsAndItsRetryCompletesIt() throws Exception {
        String table = LogTables.create(ddb, "deadline");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 7);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            ForwarderHandler handler = handler(table, viaProxy);
            String payload = Payloads.lambdaEvent(GROUP, "corpus-db.0", events);
            long start = System.nanoTime();
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class,
                    () -> invoke(handler, payload, 4_000));
            long took = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().contains("items not written to table " + table), e.getMessage());
            assertTrue(e.getMessage().contains("ProvisionedThroughputExceededException"), e.getMessage());
            assertTrue(took < 4_000, "gave up after " + took + " ms, past the invocation's 4 s");
            assertEquals(0, LogTables.entries(ddb, table).size());

            proxy.setFaults(0, List.of());
            assertTrue(invoke(handler, payload, 60_000).contains("\"written\":" + events.size()));
        }
        assertEquals(events.size(), LogTables.entries(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aMissingTableFailsAtOnceWithTheReason() {
        ForwarderHandler handler = handler("no-such-table", ddb);
        long start = System.nanoTime();
        ForwardingFailedException e = assertThrows(ForwardingFailedException.class,
                () -> invoke(handler, Payloads.lambdaEvent(GROUP, "s", events.subList(0, 3)), 60_000));
        assertTrue(e.getMessage().contains("ResourceNotFoundException"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void validEventsOfAPartlyBadPayloadAreWrittenAndTheInvocationFails() throws Exception {
        String table = LogTables.create(ddb, "partial");
        String json = "{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"" + GROUP + "\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1714557600000,\"message\":\"2024-05-01 10:00:00 UTC::@:"
                + "[1]:LOG:  a\"},{\"timestamp\":1,\"message\":\"no id\"},{\"id\":\"3\",\"timestamp\":1714557600000,"
                + "\"message\":\"b\"}]}";
        ForwardingFailedException e = assertThrows(ForwardingFailedException.class,
                () -> invoke(handler(table, ddb), Payloads.lambdaEvent(json.getBytes(StandardCharsets.UTF_8)), 60_000));
        assertEquals("1 of 3 events from " + GROUP + " rejected (event 1 has no id); the other 2 were written",
                e.getMessage());
        assertEquals(2, LogTables.entries(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void controlMessagesAndEmptyBatchesSucceedWithoutWriting() throws Exception {
        String table = LogTables.create(ddb, "control");
        String control = Payloads.lambdaEvent(("{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\","
                + "\"logGroup\":\"\",\"logStream\":\"\",\"logEvents\":[]}").getBytes(StandardCharsets.UTF_8));
        assertTrue(invoke(handler(table, ddb), control, 60_000).contains("\"messageType\":\"CONTROL_MESSAGE\""));
        assertTrue(invoke(handler(table, ddb), Payloads.lambdaEvent(GROUP, "s", List.of()), 60_000)
                .contains("\"written\":0"));
        assertEquals(0, LogTables.entries(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void duplicateIdsInOneBatchDoNotBreakIt() throws Exception {
        String table = LogTables.create(ddb, "dupes");
        List<LogEvent> doubled = new java.util.ArrayList<>(events.subList(0, 30));
        doubled.addAll(events.subList(0, 30));
        String summary = invoke(handler(table, ddb), Payloads.lambdaEvent(GROUP, "s", doubled), 60_000);
        assertTrue(summary.contains("\"written\":30,\"duplicateKeys\":30"), summary);
        assertEquals(30, LogTables.entries(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void theLocalRunnerInvokesLikeLambdaAndFailsWhenAnInvocationFails() throws Exception {
        String table = LogTables.create(ddb, "runner");
        String input = String.join("\n", Payloads.lambdaEvents(GROUP, "corpus-db.0", events, 50))
                + "\n{\"awslogs\":{\"data\":\"not base64!\"}}\n";
        Map<String, String> env = new java.util.HashMap<>(moto.childEnvironment());
        env.put("PGLOGS_TABLE", table);
        ChildJvm.Result r = ChildJvm.run(env, input, LocalRunner.class);
        String out = r.out();
        String err = r.err();
        assertEquals(1, r.exit(), err);
        List<String> lines = out.lines().toList();
        int payloads = (events.size() + 49) / 50;
        assertEquals(payloads + 1, lines.size(), out);
        lines.subList(0, payloads).forEach(l -> assertTrue(l.startsWith("{\"status\":\"ok\""), l));
        assertTrue(lines.get(payloads).startsWith("{\"status\":\"failed\",\"error\":\"rejected payload: awslogs.data"
                + " is not valid base64"), lines.get(payloads));
        assertTrue(err.contains("invocation " + (payloads + 1) + " failed: rejected payload"), err);
        assertEquals(events.size(), LogTables.entries(ddb, table).size());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void theLocalRunnerRejectsAMissingTableSettingInOneLine() throws Exception {
        ChildJvm.Result r = ChildJvm.run(Map.of("PGLOGS_SHARDS", "4"), "", LocalRunner.class);
        String err = r.err();
        assertEquals(2, r.exit());
        assertEquals("pglogs-forwarder: PGLOGS_TABLE is not set: name the DynamoDB table to write to\n", err);
    }
}
