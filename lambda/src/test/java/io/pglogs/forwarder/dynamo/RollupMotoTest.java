package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.ForwardingFailedException;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
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
 * Rollups (issue 26 part 2) against moto: the roller's rollup of a closed span is the merge of that span's summaries,
 * made once; a summary written after it (a late one, whose writer bumps the span) makes it stale and the next roll
 * counts it; a bump between the roller's read and its put fails the put; writers off the live path bump every span;
 * a bump that cannot be made fails the write.
 */
@Tag("integration")
class RollupMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final String INSTANCE = "corpus-db";
    private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
    /** ROLL_AFTER (3 minutes) after the third span's end: the roller takes the three spans of the data. */
    private static final Instant ROLL_TIME = Instant.parse("2026-05-01T10:33:00Z");
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);

    private static MotoServer moto;
    private static DynamoDbClient ddb;
    /** The real server's entries, restamped to fill the three spans from {@link #BASE}. */
    private static List<LogEvent> events;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
        events = restamped(Corpus.asEvents(Corpus.fresh("postgresql.log"), 1));
    }

    @AfterEach
    void close() {
        writers.forEach(BatchWriter::close);
    }

    /** The entries spread evenly over 10:00 to 10:29:50, each line's own time rewritten to its event's. */
    static List<LogEvent> restamped(List<LogEvent> corpus) {
        return Corpus.restamped(corpus, BASE, 1_790_000L);
    }

    static List<List<LogEvent>> chunks(List<LogEvent> all, int size) {
        List<List<LogEvent>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            out.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return out;
    }

    private Forwarder forwarder(String table, DynamoDbClient client, Rollups rollups) {
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        BatchWriter writer = new BatchWriter(client, table, 4);
        writers.add(writer);
        return rollups == null
                ? new Forwarder(new PostgresLogParser(), items, null, writer, new CatalogWriter(client, table, items),
                        logged::add, new Summariser(4))
                : new Forwarder(new PostgresLogParser(), items, null, writer, new CatalogWriter(client, table, items),
                        logged::add, new Summariser(4), rollups);
    }

    private static RollupBumper bumper(String table, DynamoDbClient client, Instant at) {
        return new RollupBumper(client, table, Clock.fixed(at, ZoneOffset.UTC));
    }

    private Roller roller(String table) {
        return new Roller(ddb, table, 4, Clock.fixed(ROLL_TIME, ZoneOffset.UTC), logged::add);
    }

    /** Writes the chunks as payloads of one stream, as the subscription delivers them. */
    private static List<ForwardResult> write(Forwarder forwarder, List<List<LogEvent>> payloads) throws Exception {
        List<ForwardResult> results = new ArrayList<>();
        for (List<LogEvent> p : payloads) {
            results.add(forwarder.forward(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", p),
                    Deadline.after(Duration.ofSeconds(30))));
        }
        return results;
    }

    private static Deadline minute() {
        return Deadline.after(Duration.ofMinutes(1));
    }

    /** The table's summaries by span start. */
    private static Map<String, List<Map<String, AttributeValue>>> summariesBySpan(String table) {
        Map<String, List<Map<String, AttributeValue>>> out = new TreeMap<>();
        for (Map<String, AttributeValue> s : LogTables.summaries(ddb, table)) {
            String start = ItemContract.isoMillis(ItemContract.spanStart(ItemContract.compactSpan(
                    SummaryItem.of(s).ts())));
            out.computeIfAbsent(start, k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    private static Map<String, Map<String, AttributeValue>> rollupsBySpan(String table) {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        for (Map<String, AttributeValue> r : LogTables.rollups(ddb, table)) {
            assertEquals(ItemContract.ROLLUP_PREFIX + INSTANCE + "#2026-05-01", r.get(ItemContract.PK).s());
            out.put(r.get(ItemContract.SK).s(), r);
        }
        return out;
    }

    /** The report of summaries merged in the order of their first entries, as readers merge them. */
    private static Report merged(List<Map<String, AttributeValue>> summaries) {
        List<Map<String, AttributeValue>> sorted = new ArrayList<>(summaries);
        sorted.sort(SummaryRanges.FIRST);
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        for (Map<String, AttributeValue> s : sorted) {
            b.merge(SummaryCodec.decode(SummaryItem.of(s).data(), ReportBuilder.Options.SUMMARY));
        }
        return b.build();
    }

    private static Report report(Map<String, AttributeValue> rollup) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        b.merge(SummaryCodec.decode(rollup.get(ItemContract.SUMMARY).b().asByteArray(),
                ReportBuilder.Options.SUMMARY));
        return b.build();
    }

    /** How many entries {@code summaries} count. */
    private static long entries(List<Map<String, AttributeValue>> summaries) {
        return summaries.stream().mapToLong(i -> SummaryItem.of(i).entries()).sum();
    }

    /** Each rollup valid and the merge of its span's summaries, attribute for attribute. */
    private static void assertRollupsAreTheMergeOfTheirSummaries(String table, Long gen) {
        Map<String, List<Map<String, AttributeValue>>> spans = summariesBySpan(table);
        Map<String, Map<String, AttributeValue>> rollups = rollupsBySpan(table);
        assertEquals(spans.keySet(), rollups.keySet(), "one rollup per span with summaries");
        for (var e : spans.entrySet()) {
            List<Map<String, AttributeValue>> summaries = e.getValue();
            Map<String, AttributeValue> r = rollups.get(e.getKey());
            assertFalse(r.get(ItemContract.STALE).bool(), e.getKey());
            assertEquals(ItemContract.ROLLED_FROM_SUMMARIES, r.get(ItemContract.ROLLED_FROM).s(), e.getKey());
            if (gen != null) {
                assertEquals(gen.toString(), r.get(ItemContract.GEN).n(), e.getKey());
            }
            assertEquals(Long.toString(summaries.size()), r.get(ItemContract.SUMMARIES).n());
            assertEquals(Long.toString(entries(summaries)), r.get(ItemContract.ENTRIES).n());
            assertEquals(summaries.stream().map(s -> SummaryItem.of(s).ts()).min(String::compareTo).orElseThrow(),
                    r.get(ItemContract.TS).s());
            assertEquals(summaries.stream().map(s -> SummaryItem.of(s).lastTs()).max(String::compareTo)
                    .orElseThrow(), r.get(ItemContract.LAST_TS).s());
            assertEquals(summaries.stream().map(s -> Long.parseLong(s.get(ItemContract.EXPIRES_AT).n()))
                    .max(Long::compare).orElseThrow().toString(), r.get(ItemContract.EXPIRES_AT).n());
            // The earliest entry of the span expires its own time plus the TTL after.
            long firstEntry = Instant.parse(r.get(ItemContract.TS).s()).getEpochSecond();
            assertEquals(firstEntry + Duration.ofDays(90).toSeconds(),
                    Long.parseLong(r.get(ItemContract.MIN_EXPIRES_AT).n()));
            Report expected = merged(summaries);
            assertEquals(expected, report(r), e.getKey());
            assertEquals(entries(summaries), expected.overview().entries());
        }
    }

    @Test
    void aClosedSpanIsRolledOnceIntoTheMergeOfItsSummaries() throws Exception {
        String table = LogTables.create(ddb, "rollup-once");
        // The live path writing as the entries come: nothing late, nothing bumped.
        Roller roller = roller(table);
        List<ForwardResult> results = write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null)),
                chunks(events, 20));
        assertEquals(0, results.stream().mapToInt(ForwardResult::bumped).sum());
        assertTrue(LogTables.rollups(ddb, table).isEmpty());
        Map<String, List<Map<String, AttributeValue>>> spans = summariesBySpan(table);
        assertEquals(List.of("2026-05-01T10:00:00.000Z", "2026-05-01T10:10:00.000Z", "2026-05-01T10:20:00.000Z"),
                List.copyOf(spans.keySet()));
        assertTrue(spans.values().stream().allMatch(l -> l.size() > 2), "several payloads in each span");

        // Just before the last span is due (it ends at 10:30, due at 10:50): the two before it.
        assertEquals(2, roller.rollUp(INSTANCE, ROLL_TIME.minusMillis(1), minute()));
        assertEquals(java.util.Set.of("2026-05-01T10:00:00.000Z", "2026-05-01T10:10:00.000Z"),
                rollupsBySpan(table).keySet());
        assertEquals(1, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertRollupsAreTheMergeOfTheirSummaries(table, 0L);
        long entries = rollupsBySpan(table).values().stream()
                .mapToLong(r -> Long.parseLong(r.get(ItemContract.ENTRIES).n())).sum();
        assertEquals(events.size(), entries, "every entry in one rollup");

        // Idempotent: this container knows them done; another finds them valid and writes nothing.
        Map<String, Map<String, AttributeValue>> before = rollupsBySpan(table);
        assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(0, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(600), minute()));
        assertEquals(before, rollupsBySpan(table));
        assertTrue(logged.stream().noneMatch(l -> l.contains("rollup")), logged.toString());
    }

    /**
     * Review 26c, H1: a write cut short (here every BatchWriteItem throttled until the deadline) may have stored
     * entries in spans whose rollups exist: it marks them stale on its way out, so none hides what it stored.
     */
    @Test
    void aWriteCutShortMarksItsSpansRollupsStale() throws Exception {
        String table = LogTables.create(ddb, "rollup-cut");
        List<List<LogEvent>> payloads = chunks(events, 20);
        write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null)), payloads.subList(0, 3));
        Roller roller = roller(table);
        roller.rollUp(INSTANCE, ROLL_TIME, minute());
        String first = "2026-05-01T10:00:00.000Z";
        assertFalse(rollupsBySpan(table).get(first).get(ItemContract.STALE).bool());
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 4);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Forwarder cut = forwarder(table, viaProxy, Rollups.always(new RollupBumper(viaProxy, table,
                    Clock.systemUTC())));
            assertThrows(ForwardingFailedException.class, () -> cut.forward(SubscriptionPayload.ofEvents(null, GROUP,
                    "corpus-db.0", payloads.get(1)), Deadline.after(Duration.ofSeconds(2))));
            assertTrue(proxy.injected(Fault.THROTTLE) > 0);
        }
        assertTrue(rollupsBySpan(table).get(first).get(ItemContract.STALE).bool(), "bumped on the way out");
    }

    /**
     * Review 26c, H2: a span the roller cannot roll (here every Query fails) is tried three times by a container, then
     * left to readers and other containers: later invocations spend nothing on it.
     */
    @Test
    void aSpanThatCannotBeRolledIsLeftAfterThreeTries() throws Exception {
        String table = LogTables.create(ddb, "rollup-give-up");
        write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null)), chunks(events, 20));
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.SERVER_ERROR), 6, ".Query",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Roller roller = new Roller(viaProxy, table, 4, Clock.fixed(ROLL_TIME, ZoneOffset.UTC), logged::add);
            long[] due = Roller.dueSpans(ROLL_TIME);
            long spans = due[1] - due[0] + 1;
            // Each invocation tries at most MAX_SPANS spans, newest first, within its budget (the SDK's retries of
            // each failing Query take some of it): every due span is tried MAX_TRIES times, then none is tried again.
            int queries = -1;
            for (int i = 0; i < spans * Roller.MAX_TRIES && proxy.calls(".Query") != queries; i++) {
                queries = proxy.calls(".Query");
                assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
            }
            assertTrue(queries >= spans * Roller.MAX_TRIES, "tried: " + queries);
            assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
            assertEquals(queries, proxy.calls(".Query"), "left alone after " + Roller.MAX_TRIES + " tries");
            assertEquals(spans, logged.stream().filter(l -> l.contains("not made in " + Roller.MAX_TRIES + " tries"))
                    .count(), logged.toString());
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("not made in " + Roller.MAX_TRIES + " tries")),
                logged.toString());
        assertTrue(LogTables.rollups(ddb, table).isEmpty());
    }

    @Test
    void aLateSummaryMakesTheRollupStaleAndTheNextRollCountsIt() throws Exception {
        String table = LogTables.create(ddb, "rollup-late");
        Roller roller = roller(table);
        List<List<LogEvent>> payloads = chunks(events, 20);
        List<List<LogEvent>> onTime = new ArrayList<>();
        List<List<LogEvent>> late = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            (i % 3 == 1 ? late : onTime).add(payloads.get(i));
        }
        write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null)), onTime);
        assertEquals(3, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        Map<String, Map<String, AttributeValue>> first = rollupsBySpan(table);

        // The other payloads come in after the rollups were made: their writer (live, late) bumps their spans.
        Forwarder lateWriter = forwarder(table, ddb, Rollups.live(bumper(table, ddb, ROLL_TIME.plusSeconds(5)),
                null));
        // All but one, kept for the end: the others touch each of the three spans.
        List<LogEvent> last = late.remove(1);
        List<ForwardResult> results = write(lateWriter, late);
        assertTrue(results.stream().allMatch(r -> r.bumped() > 0), "every late payload bumps");
        Map<String, Map<String, AttributeValue>> stale = rollupsBySpan(table);
        Map<String, List<Map<String, AttributeValue>>> spans = summariesBySpan(table);
        assertEquals(3, stale.size());
        for (var e : stale.entrySet()) {
            Map<String, AttributeValue> r = e.getValue();
            assertTrue(r.get(ItemContract.STALE).bool(), e.getKey());
            assertTrue(Long.parseLong(r.get(ItemContract.GEN).n()) > 0);
            assertEquals(first.get(e.getKey()).get(ItemContract.SUMMARY), r.get(ItemContract.SUMMARY),
                    "the bump leaves the summary, marked");
            assertTrue(Long.parseLong(r.get(ItemContract.ENTRIES).n()) < entries(spans.get(e.getKey())),
                    "the late summaries are not in it");
        }
        // Another container (a roller that has not seen these spans) rolls them again, counting the late summaries,
        // once they were quiet for Roller.QUIET_MILLIS (a unit) after their last bump.
        assertEquals(0, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(10), minute()), "bumped a moment ago");
        assertEquals(3, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(5).plusMillis(Roller.QUIET_MILLIS),
                minute()));
        Map<String, Map<String, AttributeValue>> again = rollupsBySpan(table);
        for (var e : again.entrySet()) {
            assertEquals(stale.get(e.getKey()).get(ItemContract.GEN), e.getValue().get(ItemContract.GEN),
                    "the put kept the gen it read");
            assertFalse(e.getValue().get(ItemContract.STALE).bool());
            assertEquals(merged(spans.get(e.getKey())), report(e.getValue()), e.getKey());
            assertEquals(Long.toString(entries(spans.get(e.getKey()))),
                    e.getValue().get(ItemContract.ENTRIES).n());
        }

        // The last late payload through a live forwarder with the first roller, which took its span for done: its
        // own bump makes it look again once the span is quiet, and rolls it anew with the late summary in it.
        ForwardResult r = write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, ROLL_TIME.plusSeconds(20)),
                roller)), List.of(last)).get(0);
        long touched = last.stream().map(ev -> ItemContract.compactSpan(ItemContract.isoMillis(
                Instant.ofEpochMilli(ev.timestamp())))).distinct().count();
        assertEquals(touched, r.bumped());
        assertEquals(0, r.rolled(), "not in the invocation that bumped it: a backlog would bump it again");
        assertEquals(touched, roller.rollUp(INSTANCE, ROLL_TIME.plusSeconds(20).plusMillis(Roller.QUIET_MILLIS),
                minute()));
        assertRollupsAreTheMergeOfTheirSummaries(table, null);
    }

    @Test
    void aBumpBetweenTheRollersReadAndItsPutFailsThePut() throws Exception {
        String table = LogTables.create(ddb, "rollup-race");
        write(forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null)), chunks(events, 20));
        RollupBumper other = bumper(table, ddb, ROLL_TIME);
        Roller roller = roller(table);
        // A writer bumps each span while the roller holds what it read (no rollup yet: the put wanted none).
        roller.beforePut(span -> bump(other, span));
        assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(3, rollupsBySpan(table).size());
        for (Map<String, AttributeValue> r : rollupsBySpan(table).values()) {
            assertFalse(r.containsKey(ItemContract.SUMMARY), "only the writer's stub: " + r);
            assertEquals("1", r.get(ItemContract.GEN).n());
            assertTrue(r.get(ItemContract.STALE).bool());
        }
        // Again, once quiet, now that stubs exist (the put wants gen 1): the bump makes it gen 2 first.
        Instant quiet = ROLL_TIME.plusMillis(Roller.QUIET_MILLIS);
        assertEquals(0, roller.rollUp(INSTANCE, quiet, minute()), "a failed put is not done: tried again");
        for (Map<String, AttributeValue> r : rollupsBySpan(table).values()) {
            assertFalse(r.containsKey(ItemContract.SUMMARY), r.toString());
            assertEquals("2", r.get(ItemContract.GEN).n());
        }
        roller.beforePut(null);
        assertEquals(3, roller.rollUp(INSTANCE, quiet, minute()));
        assertRollupsAreTheMergeOfTheirSummaries(table, 2L);
    }

    private static void bump(RollupBumper bumper, long span) {
        try {
            bumper.bump(INSTANCE, List.of(span), minute());
        } catch (WriteIncompleteException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writersOffTheLivePathBumpEverySpanTheyWrite() throws Exception {
        String table = LogTables.create(ddb, "rollup-always");
        // The constructor the CLI's import, backfill and redrive get by default: every span bumped, however early.
        List<ForwardResult> results = write(forwarder(table, ddb, null), chunks(events, 20));
        Map<String, List<Map<String, AttributeValue>>> spans = summariesBySpan(table);
        Map<String, Map<String, AttributeValue>> stubs = rollupsBySpan(table);
        assertEquals(spans.keySet(), stubs.keySet());
        for (var e : stubs.entrySet()) {
            assertFalse(e.getValue().containsKey(ItemContract.SUMMARY));
            assertTrue(e.getValue().get(ItemContract.STALE).bool());
            assertEquals(Integer.toString(spans.get(e.getKey()).size()), e.getValue().get(ItemContract.GEN).n(),
                    "a bump per payload summarised in the span");
        }
        assertEquals(sumOf(spans), results.stream().mapToInt(ForwardResult::bumped).sum());
        // The stubs' gen is what a roller then reads and keeps: the rollups are made.
        assertEquals(3, roller(table).rollUp(INSTANCE, ROLL_TIME, minute()));
        for (var e : rollupsBySpan(table).entrySet()) {
            assertEquals(Integer.toString(spans.get(e.getKey()).size()), e.getValue().get(ItemContract.GEN).n());
        }
        assertRollupsAreTheMergeOfTheirSummaries(table, null);
    }

    private static int sumOf(Map<String, List<Map<String, AttributeValue>>> spans) {
        return spans.values().stream().mapToInt(List::size).sum();
    }

    @Test
    void aBumpThatCannotBeMadeFailsTheWriteAndItsRetryBumps() throws Exception {
        String table = LogTables.create(ddb, "rollup-bump-fails");
        List<LogEvent> payload = events.subList(0, 20);
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 1.0, List.of(Fault.THROTTLE), 3, ".UpdateItem",
                "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Forwarder failing = forwarder(table, viaProxy, Rollups.always(bumper(table, viaProxy, BASE)));
            ForwardingFailedException e = assertThrows(ForwardingFailedException.class, () -> failing.forward(
                    SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", payload),
                    Deadline.after(Duration.ofSeconds(3))));
            assertTrue(e.getMessage().contains("not marked stale"), e.getMessage());
            assertTrue(proxy.injected(Fault.THROTTLE) > 0);
        }
        assertEquals(20, LogTables.entries(ddb, table).size(), "the entries were written before the bump");
        assertFalse(LogTables.summaries(ddb, table).isEmpty());
        assertTrue(LogTables.rollups(ddb, table).isEmpty());
        // Lambda (or the CLI's caller) writes the payload again: now the bump is made.
        write(forwarder(table, ddb, Rollups.always(bumper(table, ddb, BASE))), List.of(payload));
        assertEquals(1, LogTables.rollups(ddb, table).size());
    }

    @Test
    void summariesOfTheSameEventsBatchedTwiceAreNotRolledUp() throws Exception {
        String table = LogTables.create(ddb, "rollup-conflict");
        Forwarder live = forwarder(table, ddb, Rollups.live(bumper(table, ddb, BASE), null));
        write(live, chunks(events, 20));
        // A backfill over the same stream, cut differently: the same events under other summary keys.
        write(live, chunks(events, 30));
        assertEquals(0, roller(table).rollUp(INSTANCE, ROLL_TIME, minute()));
        assertTrue(LogTables.rollups(ddb, table).isEmpty());
        assertTrue(logged.stream().anyMatch(l -> l.contains("hold the same events twice")), logged.toString());
    }
}
