package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.LogTable;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import io.pglogs.testing.FaultProxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The failure queue: status counts it, stop guards it, failed show and redrive read and replay it, against moto. */
@Tag("integration")
class FailedPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "/aws/rds/instance/orders-db/postgresql";

    private final MotoServer moto = MotoServer.shared();
    private final Region region = Region.of("us-west-1");
    private final DynamoDbClient ddb = moto.configure(DynamoDbClient.builder()).region(region).build();
    private final SqsClient sqs = moto.configure(SqsClient.builder()).region(region).build();

    /** A Lambda on-failure destination record around a Lambda event, as Lambda writes it to SQS. */
    private static String record(String lambdaEvent, String condition, String error) throws Exception {
        ObjectNode r = JSON.createObjectNode();
        r.put("version", "1.0");
        r.put("timestamp", Instant.now().minusSeconds(3600).toString());
        ObjectNode context = r.putObject("requestContext");
        context.put("requestId", java.util.UUID.randomUUID().toString());
        context.put("functionArn", "arn:aws:lambda:us-west-1:123456789012:function:pglogs-forwarder-devel:$LATEST");
        context.put("condition", condition);
        context.put("approximateInvokeCount", 3);
        r.set("requestPayload", JSON.readTree(lambdaEvent));
        ObjectNode response = r.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        ObjectNode payload = r.putObject("responsePayload");
        payload.put("errorMessage", error);
        payload.put("errorType", "io.pglogs.forwarder.ForwardingFailedException");
        return JSON.writeValueAsString(r);
    }

    private long depth(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return a.values().stream().mapToLong(Long::parseLong).sum();
    }

    private Set<Map<String, AttributeValue>> stored(String table) {
        return Set.copyOf(LogTables.entries(ddb, table));
    }

    @Test
    void aGoodAndAPoisonPayloadRedrivenTwiceNothingDuplicatedThePoisonStays() throws Exception {
        String table = "failed-" + ProcessHandle.current().pid();
        LogTable.create(ddb, table, 4);
        String url = sqs.createQueue(b -> b.queueName("pglogs-forwarder-devel-failed")).queueUrl();
        long now = System.currentTimeMillis();
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(new LogEvent(String.format("%056d", 1000 + i), now - 60_000 + i,
                    "2024-05-01 10:00:" + String.format("%02d", i) + " UTC:10.0.0.1(5000):app@orders:[42]:ERROR:  "
                            + "failure number " + i));
        }
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(uncheck(() -> record(
                Payloads.lambdaEvent(GROUP, "orders-db.0", events), "RetriesExhausted",
                "BatchWriteItem incomplete after 12 attempts (/aws/rds/instance/orders-db/postgresql); Lambda will "
                        + "retry"))));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(uncheck(() -> record(
                "{\"awslogs\":{\"data\":\"bm90IGd6aXA=\"}}", "RetriesExhausted",
                "rejected payload: awslogs.data is not gzip (7 bytes without the gzip magic)"))));

        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("AWS_REGION", region.id());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);

        TestCli.Result r = cli.run("status", "devel", "-o", "json");
        assertEquals(1, r.code(), r.toString());
        JsonNode status = JSON.readTree(r.out());
        assertEquals(2, status.at("/function/failed_payloads").asInt(), r.out());
        assertTrue(status.get("problems").toString().contains("2 payload(s) the forwarder could not store wait in "
                + "pglogs-forwarder-devel-failed (pglogs failed show devel; pglogs failed redrive devel)"), r.out());

        r = cli.run("stop", "devel");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: the failure queue pglogs-forwarder-devel-failed holds 2 payload(s) that were never "
                + "stored, and stopping deletes it: replay them with 'pglogs failed redrive devel' first, or pass "
                + "--discard-failed to lose them; nothing was changed\n", r.err());

        r = cli.run("failed", "show", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("failure queue pglogs-forwarder-devel-failed: 2 payload(s) not stored\n"),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(GROUP) && l.endsWith(" 1")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("(undecodable payload)") && l.endsWith(" 1")),
                r.out());
        assertTrue(r.out().contains("first error    RetriesExhausted: "), r.out());
        assertTrue(r.out().contains("1 of them cannot be redriven (awslogs.data is not gzip"), r.out());
        assertTrue(r.out().contains("to stop devel without them: pglogs stop devel --discard-failed\n"), r.out());
        assertTrue(r.out().contains("Replay them: pglogs failed redrive devel"), "the other one can be: " + r.out());
        assertTrue(r.out().contains("(1h 0m ago)") || r.out().contains("(59m ago)"), r.out());
        TestCli.Result shownJson = cli.run("failed", "show", "devel", "-o", "json");
        JsonNode shown = JSON.readTree(shownJson.out());
        assertNotNull(shown.get("count"), shownJson.toString());
        assertEquals(2, shown.get("count").asInt());
        assertEquals(2, shown.get("payloads").size());
        assertEquals(2, depth(url), "show removed something");

        try (FaultProxy proxy = FaultProxy.recording(moto.endpoint())) {
            r = cli.run("failed", "redrive", "devel", "--endpoint-url", proxy.endpoint().toString());
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.out().startsWith("still fails ")
                    && r.out().contains(" (undecodable payload): awslogs.data is not gzip"), r.out());
            assertTrue(r.out().contains("stored 1 payload(s), 25 entries, into " + table + "; 1 still fail and stay "
                    + "in pglogs-forwarder-devel-failed"), r.out());
            List<String> actions = proxy.requests().stream().map(FaultProxy.Request::action).toList();
            int lastWrite = actions.lastIndexOf("BatchWriteItem");
            int delete = actions.indexOf("DeleteMessage");
            assertTrue(lastWrite >= 0 && delete > lastWrite, "deleted before its entries were written: " + actions);
            assertEquals(1, actions.stream().filter("DeleteMessage"::equals).count(), actions.toString());
            // An undecodable payload wrote nothing: it does not hold back the rollup of what was stored (review P6,
            // F1), the span of 2024-05-01 10:00, long past the forwarder's 2-hour look-back.
            assertTrue(r.err().contains("rolled up 1 spans"), r.err());
        }
        assertEquals(1, validRollups(ddb, table), "the redriven span rolled up");
        Set<Map<String, AttributeValue>> first = stored(table);
        assertEquals(25, first.size());
        assertEquals(Set.of("failure number 0"), first.stream().map(i -> i.get("message").s())
                .filter(m -> m.endsWith(" 0")).collect(Collectors.toSet()));
        assertEquals(1, depth(url), "the poison payload stays");

        r = cli.run("failed", "redrive", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("stored 0 payload(s), 0 entries"), r.out());
        assertEquals(first, stored(table), "a second redrive changed or duplicated entries");
        assertEquals(1, depth(url), "the poison payload stays after a second redrive");

        JsonNode left = JSON.readTree(cli.run("failed", "show", "devel", "-o", "json").out());
        assertEquals(1, left.get("count").asInt());
        assertEquals("(undecodable payload)", left.at("/payloads/0/log_group").asText());
        assertTrue(left.at("/payloads/0/error").asText().contains("not gzip"), left.toString());
    }

    @Test
    void withoutAQueueShowSaysSoAndRedriveIsAPrecondition() {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("AWS_REGION", "af-south-1");
        TestCli.Result r = cli.run("failed", "show", "prod");
        assertEquals(0, r.code(), r.toString());
        assertEquals("no failure queue pglogs-forwarder-prod-failed (is prod started?)\n", r.out());
        r = cli.run("failed", "redrive", "prod");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: no failure queue pglogs-forwarder-prod-failed in af-south-1 (is prod started?)\n",
                r.err());
        assertEquals(2, cli.run("failed").code());
    }

    private static long validRollups(DynamoDbClient client, String table) {
        return LogTables.rollups(client, table).stream().filter(i -> i.containsKey("summary")
                && !i.get("stale").bool()).count();
    }

    /** 25 entries of orders-db logged at {@code hour}:00 on 2024-05-01, event ids from {@code idPrefix}. */
    private static List<LogEvent> hourOf(int hour, String idPrefix, String text) {
        long now = System.currentTimeMillis();
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            events.add(new LogEvent(idPrefix + String.format("%048d", 1000 + i), now - 60_000 + i,
                    String.format("2024-05-01 %02d:00:%02d UTC:10.0.0.1(5000):app@orders:[42]:ERROR:  %s %d", hour,
                            i, text, i)));
        }
        return events;
    }

    /**
     * Review P6, F12: {@code --no-rollup} leaves a redrive's spans to their stubs; a payload that failed part-way (one
     * entry refused by DynamoDB, the rest stored) skips the phase, said in one line; the next redrive rolls up.
     */
    @Test
    void aRedriveRollsUpUnlessToldNotToOrAPayloadWasCutShort() throws Exception {
        Region other = Region.of("eu-west-3");
        DynamoDbClient ddb = moto.configure(DynamoDbClient.builder()).region(other).build();
        SqsClient sqs = moto.configure(SqsClient.builder()).region(other).build();
        String table = "failed-roll-" + ProcessHandle.current().pid();
        LogTable.create(ddb, table, 4);
        String url = sqs.createQueue(b -> b.queueName("pglogs-forwarder-devel-failed")).queueUrl();
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("AWS_REGION", other.id());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        String failure = "BatchWriteItem incomplete after 12 attempts; Lambda will retry";

        sqs.sendMessage(b -> b.queueUrl(url).messageBody(uncheck(() -> record(Payloads.lambdaEvent(GROUP,
                "orders-db.0", hourOf(10, "00000000", "first")), "RetriesExhausted", failure))));
        TestCli.Result r = cli.run("failed", "redrive", "devel", "--no-rollup");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.err().contains("rolling up") || r.err().contains("rolled up"), r.err());
        assertEquals(1, LogTables.rollups(ddb, table).size(), "the bump's stub");
        assertEquals(0, validRollups(ddb, table));

        sqs.sendMessage(b -> b.queueUrl(url).messageBody(uncheck(() -> record(Payloads.lambdaEvent(GROUP,
                "orders-db.0", hourOf(11, "00000000", "second")), "RetriesExhausted", failure))));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(uncheck(() -> record(Payloads.lambdaEvent(GROUP,
                "orders-db.0", hourOf(12, "POISONID", "third")), "RetriesExhausted", failure))));
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1)) {
            proxy.refuseContaining("POISONID" + String.format("%048d", 1011), null);
            r = cli.run("failed", "redrive", "devel", "--endpoint-url", proxy.endpoint().toString());
            assertTrue(proxy.refused() > 0);
        }
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("stored 1 payload(s), 25 entries"), r.out());
        assertTrue(r.err().contains("pglogs: no rollup this run: 1 payloads failed part-way"), r.err());
        assertFalse(r.err().contains("rolling up"), r.err());
        assertTrue(LogTables.rollups(ddb, table).size() >= 2, "10:00's stub and 11:00's");
        assertEquals(0, validRollups(ddb, table));

        // Stored whole now: this redrive rolls up what it wrote (12:00; the earlier spans are another run's).
        r = cli.run("failed", "redrive", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("rolled up 1 spans"), r.err());
        assertEquals(1, validRollups(ddb, table));
    }

    private interface Body {
        String get() throws Exception;
    }

    private static String uncheck(Body body) {
        try {
            return body.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
