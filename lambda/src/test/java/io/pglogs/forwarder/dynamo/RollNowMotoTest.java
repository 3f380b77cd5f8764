package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.FaultProxy.Fault;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link Roller#rollNow}, the close pass of a writer off the live path (import, backfill, redrive) over the spans it
 * has just written, against moto: it skips the quiet period after a bump and the 2-hour look-back, and nothing else
 * (a span not due for a writer is left, a bump between its read and its put fails the put); its GetItem is
 * consistent; summaries that overlap (a backfill over delivered events) are rolled from entries instead; DynamoDB's
 * errors are an outcome, not an exception, and it logs nothing of its own.
 */
@Tag("integration")
class RollNowMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final String INSTANCE = "corpus-db";
    private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
    /** The third span (10:20 to 10:30) is due for a writer at 10:34: ROLL_AFTER plus the clock skew. */
    private static final Instant DUE = Instant.parse("2026-05-01T10:34:00Z");
    private static final long FIRST = ItemContract.compactSpan("2026-05-01T10:00:00.000Z");

    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static List<LogEvent> events;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        events = RollupMotoTest.restamped(Corpus.asEvents(Corpus.fresh("postgresql.log"), 1));
    }

    @AfterEach
    void close() {
        writers.forEach(BatchWriter::close);
    }

    /** A forwarder whose bumps are stamped {@code bumpedAt}; {@code live}: it bumps only what may be rolled. */
    private Forwarder forwarder(String table, boolean live, Instant bumpedAt) {
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        BatchWriter writer = new BatchWriter(ddb, table, 4);
        writers.add(writer);
        RollupBumper bumper = new RollupBumper(ddb, table, Clock.fixed(bumpedAt, ZoneOffset.UTC));
        return new Forwarder(new PostgresLogParser(), items, null, writer, new CatalogWriter(ddb, table, items),
                logged::add, new Summariser(4), live ? Rollups.live(bumper, null) : Rollups.always(bumper));
    }

    private static void write(Forwarder forwarder, int size) throws Exception {
        for (List<LogEvent> p : RollupMotoTest.chunks(events, size)) {
            forwarder.forward(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", p),
                    Deadline.after(Duration.ofSeconds(30)));
        }
    }

    private Roller roller(DynamoDbClient client, String table, Roller.Source source) {
        return new Roller(client, table, 4, Clock.fixed(DUE, ZoneOffset.UTC), logged::add, source);
    }

    private static Deadline minute() {
        return Deadline.after(Duration.ofMinutes(1));
    }

    private static Map<Long, Map<String, AttributeValue>> rollups(String table) {
        Map<Long, Map<String, AttributeValue>> out = new TreeMap<>();
        for (Map<String, AttributeValue> r : LogTables.rollups(ddb, table)) {
            out.put(ItemContract.compactSpan(r.get(ItemContract.SK).s()), r);
        }
        return out;
    }

    private static boolean valid(Map<String, AttributeValue> r) {
        return r.containsKey(ItemContract.SUMMARY) && !r.get(ItemContract.STALE).bool();
    }

    @Test
    void aWritersPassRollsWhatItBumpedAMomentAgoAtAnyAgeButNotBeforeItIsDue() throws Exception {
        String table = LogTables.create(ddb, "rollnow");
        // An import written at DUE: every span bumped then.
        write(forwarder(table, false, DUE), 20);
        logged.clear(); // the roller's lines only
        Roller roller = roller(ddb, table, Roller.Source.SUMMARIES);
        // The live roller leaves spans bumped a moment ago (the quiet period) ...
        assertEquals(0, roller.rollUp(INSTANCE, DUE, minute()));
        assertTrue(rollups(table).values().stream().noneMatch(RollNowMotoTest::valid));
        // ... the writer's pass does not; a millisecond before the last span is due for a writer, it is left alone.
        assertEquals(Roller.Outcome.NOT_DUE, roller.rollNow(INSTANCE, FIRST + 2, DUE.minusMillis(1), minute())
                .outcome());
        assertFalse(valid(rollups(table).get(FIRST + 2)));
        // Beyond the forwarder's look-back too (a day later): what an import of past days needs.
        Instant dayAfter = DUE.plus(Duration.ofDays(1));
        assertEquals(0, roller(ddb, table, Roller.Source.SUMMARIES).rollUp(INSTANCE, dayAfter, minute()));
        for (long s = FIRST; s <= FIRST + 2; s++) {
            assertEquals(new Roller.Rolled(Roller.Outcome.ROLLED, null), roller.rollNow(INSTANCE, s, DUE, minute()));
        }
        Map<Long, Map<String, AttributeValue>> made = rollups(table);
        assertTrue(made.values().stream().allMatch(RollNowMotoTest::valid), made.toString());
        assertEquals(events.size(), made.values().stream().mapToLong(r -> Long.parseLong(r.get(ItemContract.ENTRIES)
                .n())).sum(), "every entry in one rollup");
        assertEquals(Roller.Outcome.VALID, roller.rollNow(INSTANCE, FIRST, dayAfter, minute()).outcome());
        assertEquals(Roller.Outcome.NOTHING, roller.rollNow(INSTANCE, FIRST + 6, dayAfter, minute()).outcome(),
                "a span with nothing written");
        assertEquals(made, rollups(table), "nothing rewritten");
        assertTrue(logged.isEmpty(), "nothing logged: " + logged);
    }

    @Test
    void aBumpBetweenItsReadAndItsPutFailsThePut() throws Exception {
        String table = LogTables.create(ddb, "rollnow-race");
        write(forwarder(table, false, DUE), 20);
        Roller roller = roller(ddb, table, Roller.Source.SUMMARIES);
        RollupBumper other = new RollupBumper(ddb, table, Clock.fixed(DUE, ZoneOffset.UTC));
        roller.beforePut(span -> {
            try {
                other.bump(INSTANCE, List.of(span), minute());
            } catch (WriteIncompleteException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(Roller.Outcome.BUMPED, roller.rollNow(INSTANCE, FIRST, DUE, minute()).outcome());
        assertFalse(valid(rollups(table).get(FIRST)), "the other writer's stub only");
        roller.beforePut(null);
        assertEquals(Roller.Outcome.ROLLED, roller.rollNow(INSTANCE, FIRST, DUE, minute()).outcome());
    }

    @Test
    void itsGetItemIsConsistentAndTheLiveRollersIsNot() throws Exception {
        String table = LogTables.create(ddb, "rollnow-read");
        write(forwarder(table, false, BASE), 20);
        try (FaultProxy proxy = FaultProxy.recording(moto.endpoint());
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            roller(viaProxy, table, Roller.Source.SUMMARIES).rollNow(INSTANCE, FIRST, DUE, minute());
            List<FaultProxy.Request> got = proxy.requests("GetItem");
            assertEquals(1, got.size());
            assertTrue(got.get(0).body().contains("\"ConsistentRead\":true"), got.get(0).body());
            roller(viaProxy, table, Roller.Source.SUMMARIES).rollUp(INSTANCE, DUE, minute());
            List<FaultProxy.Request> live = proxy.requests("GetItem");
            assertTrue(live.size() > 1);
            assertFalse(live.get(live.size() - 1).body().contains("\"ConsistentRead\":true"),
                    live.get(live.size() - 1).body());
        }
    }

    @Test
    void summariesOfTheSameEventsBatchedTwiceAreRolledFromEntries() throws Exception {
        String table = LogTables.create(ddb, "rollnow-conflict");
        // The forwarder delivered the hour in payloads of 20; a backfill then wrote the same events in payloads of 30.
        write(forwarder(table, true, BASE), 20);
        write(forwarder(table, false, DUE), 30);
        Roller roller = roller(ddb, table, Roller.Source.SUMMARIES);
        assertEquals(0, roller.rollUp(INSTANCE, DUE.plusMillis(Roller.QUIET_MILLIS), minute()), "the live roller "
                + "gives up on them");
        assertTrue(logged.stream().anyMatch(l -> l.contains("hold the same events twice")), logged.toString());
        for (long s = FIRST; s <= FIRST + 2; s++) {
            assertEquals(Roller.Outcome.ROLLED, roller.rollNow(INSTANCE, s, DUE, minute()).outcome());
        }
        Map<Long, Map<String, AttributeValue>> made = rollups(table);
        assertTrue(made.values().stream().allMatch(RollNowMotoTest::valid), made.toString());
        assertTrue(made.values().stream().allMatch(r -> ItemContract.ROLLED_FROM_ENTRIES.equals(r.get(
                ItemContract.ROLLED_FROM).s())), "rolled from entries: " + made);
        assertEquals(events.size(), made.values().stream().mapToLong(r -> Long.parseLong(r.get(ItemContract.ENTRIES)
                .n())).sum(), "each entry once, though two summaries hold it");
    }

    @Test
    void dynamoDbsErrorsAreAnOutcome() throws Exception {
        String table = LogTables.create(ddb, "rollnow-throttled");
        write(forwarder(table, false, BASE), 20);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 5, ".GetItem",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Roller.Rolled r = roller(viaProxy, table, Roller.Source.SUMMARIES).rollNow(INSTANCE, FIRST, DUE,
                    minute());
            assertEquals(Roller.Outcome.FAILED, r.outcome());
            assertTrue(r.cause().contains("ProvisionedThroughputExceeded"), r.cause());
            assertTrue(proxy.injected(Fault.THROTTLE) > 0);
        }
        assertFalse(valid(rollups(table).get(FIRST)));
    }
}
