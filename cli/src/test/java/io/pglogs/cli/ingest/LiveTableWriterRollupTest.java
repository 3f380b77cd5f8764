package io.pglogs.cli.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.Redaction;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code pglogs local}'s delivery loop writes through {@link TableWriter#live}: like the Lambda, its roller follows the
 * deployment's summaries switch (issue 26 part 3): from summaries when they are written, from the stored entries
 * when not (auto on a compact table). Against moto, on the system clock.
 */
@Tag("integration")
class LiveTableWriterRollupTest {
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;

    @ParameterizedTest
    @CsvSource({"COMPACT, false, entries", "ENTRIES, false, entries", "COMPACT, true, summaries"})
    void theLiveWritersRollerRollsFromWhatTheDeploymentWrites(StorageFormat format, boolean summaries,
                                                               String rolledFrom) throws Exception {
        DynamoDbClient ddb = MotoServer.shared().dynamoDb();
        String table = format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, "live-writer")
                : LogTables.create(ddb, "live-writer");
        DeployedSettings settings = new DeployedSettings(90, ItemContract.DEFAULT_SHARDS, Redaction.PASSWORDS, format,
                summaries, "test");
        // The newest span a roller takes now: the payload is late and bumps its span; the same call leaves the span
        // alone for Roller.QUIET_MILLIS (a backlog would bump it with every payload).
        long span = Math.floorDiv(Instant.now().toEpochMilli() - ItemContract.ROLL_AFTER_MILLIS, SPAN) - 1;
        List<LogEvent> corpus = Corpus.asEvents(Corpus.fresh("postgresql.log"), 1);
        List<LogEvent> events = Corpus.restamped(corpus.subList(0, Math.min(200, corpus.size())),
                ItemContract.spanStart(span), SPAN - 60_000);
        ForwardResult result = forward(ddb, table, settings, events);
        assertEquals(events.size(), result.written());
        assertEquals(1, result.bumped());
        assertEquals(0, result.rolled(), "bumped a moment ago");
        // Once the span is quiet (its bump stamped long enough ago), another process's payload of entries logged just
        // now (not late: no bump) makes its roller roll the span, from what this deployment writes.
        ddb.updateItem(b -> b.tableName(table).key(ItemContract.rollupKey("corpus-db", span))
                .updateExpression("SET #at = :at").expressionAttributeNames(Map.of("#at", ItemContract.BUMPED_AT))
                .expressionAttributeValues(Map.of(":at", AttributeValue.fromN(Long.toString(
                        Instant.now().toEpochMilli() - Roller.QUIET_MILLIS - 1_000)))));
        List<LogEvent> fresh = Corpus.restamped(corpus.subList(0, 1), Instant.now().minusSeconds(10), 1_000);
        ForwardResult next = forward(ddb, table, settings, fresh);
        assertEquals(0, next.bumped());
        assertEquals(1, next.rolled());
        List<Map<String, AttributeValue>> rollups = LogTables.rollups(ddb, table);
        assertEquals(1, rollups.size(), rollups.toString());
        assertEquals(rolledFrom, rollups.get(0).get(ItemContract.ROLLED_FROM).s());
        assertEquals(Integer.toString(events.size()), rollups.get(0).get(ItemContract.ENTRIES).n());
        assertEquals(summaries, !LogTables.summaries(ddb, table).isEmpty());
    }

    private static ForwardResult forward(DynamoDbClient ddb, String table, DeployedSettings settings,
                                         List<LogEvent> events) throws Exception {
        try (TableWriter writer = TableWriter.live(ddb, table, settings, LogTimeZone.NONE,
                new PrintWriter(new StringWriter()), false)) {
            return writer.forwarder().forward(SubscriptionPayload.ofEvents(null,
                    "/aws/rds/instance/corpus-db/postgresql", "corpus-db.0", events),
                    Deadline.after(Duration.ofSeconds(30)));
        }
    }
}
