package io.pglogs.forwarder;

import static io.pglogs.forwarder.Invocations.invoke;
import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.Redaction;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Lambda handler with summaries off (PGLOGS_SUMMARIES=false, what {@code auto} gives a compact table) rolls its
 * instance's closed spans from the stored entries (issue 26 part 3), on the system clock, against moto.
 */
@Tag("integration")
class SummariesOffRollupMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;

    @ParameterizedTest
    @EnumSource(StorageFormat.class)
    void aLatePayloadIsRolledUpFromItsEntriesOnceItsSpanIsQuiet(StorageFormat format) throws Exception {
        DynamoDbClient ddb = MotoServer.shared().dynamoDb();
        String table = format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, "summaries-off")
                : LogTables.create(ddb, "summaries-off");
        ForwarderHandler handler = new ForwarderHandler(new ForwarderConfig(table, 90, 4, Redaction.PASSWORDS, 4,
                LogTimeZone.NONE, format, false), ddb);
        try {
            // The newest span the roller takes now (ended at least ROLL_AFTER, 3 minutes, ago): the payload is late, so its
            // writer bumps the span. The same invocation's roller leaves the span alone for QUIET_MILLIS (a backlog
            // would bump it with every payload); an invocation after that makes the rollup from the entries.
            long now = Instant.now().toEpochMilli();
            long span = Math.floorDiv(now - ItemContract.ROLL_AFTER_MILLIS, SPAN) - 1;
            Instant start = ItemContract.spanStart(span);
            List<LogEvent> corpus = Corpus.asEvents(Corpus.fresh("postgresql.log"), 1);
            List<LogEvent> events = Corpus.restamped(corpus.subList(0, Math.min(200, corpus.size())), start,
                    SPAN - 60_000);
            String result = invoke(handler, Payloads.lambdaEvent(GROUP, "corpus-db.0", events),
                    new ByteArrayOutputStream(), 60_000);
            assertTrue(result.startsWith("{\"status\":\"ok\""), result);
            assertEquals(events.size(), field(result, "written"), result);
            assertEquals(0, field(result, "summaries"), result);
            assertEquals(1, field(result, "bumped"), result);
            assertEquals(0, field(result, "rolled"), result);
            assertTrue(LogTables.rollups(ddb, table).stream().noneMatch(r -> r.containsKey(ItemContract.SUMMARY)),
                    "bumped a moment ago: no rollup yet");
            Instant quiet = Instant.ofEpochMilli(now).plusMillis(Roller.QUIET_MILLIS + 1_000);
            Roller later = new Roller(ddb, table, 4, Clock.fixed(quiet, ZoneOffset.UTC), s -> { },
                    Roller.Source.ENTRIES);
            assertEquals(1, later.rollUp("corpus-db", quiet, Deadline.after(Duration.ofSeconds(30))));

            assertTrue(LogTables.summaries(ddb, table).isEmpty());
            List<Map<String, AttributeValue>> rollups = LogTables.rollups(ddb, table);
            assertEquals(1, rollups.size(), rollups.toString());
            Map<String, AttributeValue> r = rollups.get(0);
            assertEquals(ItemContract.rollupKey("corpus-db", span).get(ItemContract.SK), r.get(ItemContract.SK));
            assertEquals(ItemContract.ROLLED_FROM_ENTRIES, r.get(ItemContract.ROLLED_FROM).s());
            assertEquals(Integer.toString(events.size()), r.get(ItemContract.ENTRIES).n());
            assertEquals("1", r.get(ItemContract.GEN).n(), "the put kept the gen of the payload's own bump");
            assertFalse(r.get(ItemContract.STALE).bool());
            assertTrue(r.containsKey(ItemContract.SUMMARY));
        } finally {
            handler.closeWriter();
        }
    }

    private static int field(String result, String name) {
        return Integer.parseInt(result.replaceFirst(".*\"" + name + "\":(\\d+).*", "$1"));
    }
}
