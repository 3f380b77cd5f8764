package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
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
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Rollups from entries (issue 26 part 3) against moto: a forwarder that writes no summaries has its closed spans
 * rolled from the stored entries, in both formats; each rollup counts what a report of the span's stored entries
 * counts, and what the Summariser counts of the same events in one payload; a late payload's bump makes the rollup
 * stale and the next roll counts it; a redelivered payload packed differently is counted once; expired entries are
 * left out; a span over the cap, or holding an entry the report's code fails on, gets no rollup and fails nothing.
 */
@Tag("integration")
class RollupFromEntriesMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final String INSTANCE = "corpus-db";
    private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
    /** ROLL_AFTER (3 minutes) after the third span's end: the roller takes the three spans of the data. */
    private static final Instant ROLL_TIME = Instant.parse("2026-05-01T10:33:00Z");
    private static final List<String> SPANS = List.of("2026-05-01T10:00:00.000Z", "2026-05-01T10:10:00.000Z",
            "2026-05-01T10:20:00.000Z");
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);

    private static DynamoDbClient ddb;
    /** The real server's entries, restamped to fill the three spans from {@link #BASE}. */
    private static List<LogEvent> events;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        ddb = MotoServer.shared().dynamoDb();
        events = RollupMotoTest.restamped(Corpus.asEvents(Corpus.fresh("postgresql.log"), 1));
    }

    @AfterEach
    void close() {
        writers.forEach(BatchWriter::close);
    }

    private static String table(StorageFormat format, String prefix) {
        return format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, prefix) : LogTables.create(ddb, prefix);
    }

    /** A forwarder with summaries off, as the Lambda is with PGLOGS_SUMMARIES=false (or auto on a compact table). */
    private Forwarder forwarder(String table, StorageFormat format, int ttlDays, Rollups rollups) {
        ItemFactory items = new ItemFactory(4, ttlDays, new Redactor());
        BatchWriter writer = new BatchWriter(ddb, table, 4);
        writers.add(writer);
        return new Forwarder(new PostgresLogParser(), items, format == StorageFormat.COMPACT ? new CompactItems(4)
                : null, writer, new CatalogWriter(ddb, table, items), logged::add, null, rollups);
    }

    /** The live path, writing at {@code at}: it bumps only spans that may be rolled by then. */
    private static Rollups live(String table, Instant at, Roller roller) {
        return Rollups.live(new RollupBumper(ddb, table, Clock.fixed(at, ZoneOffset.UTC)), roller);
    }

    private Roller roller(String table) {
        return new Roller(ddb, table, 4, Clock.fixed(ROLL_TIME, ZoneOffset.UTC), logged::add, Roller.Source.ENTRIES);
    }

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

    private static String spanOf(String isoMillis) {
        return ItemContract.isoMillis(ItemContract.spanStart(ItemContract.compactSpan(isoMillis)));
    }

    /**
     * The entries the table holds (a Scan, not the roller's Queries), unpacked, each once by sort key, those
     * unexpired at {@code now}, by span start.
     */
    private static Map<String, TreeMap<String, Map<String, AttributeValue>>> storedBySpan(String table, Instant now) {
        Map<String, TreeMap<String, Map<String, AttributeValue>>> out = new TreeMap<>();
        for (Map<String, AttributeValue> item : LogTables.entries(ddb, table)) {
            for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                if (Long.parseLong(e.get(ItemContract.EXPIRES_AT).n()) > now.getEpochSecond()) {
                    out.computeIfAbsent(spanOf(e.get(ItemContract.TS).s()), k -> new TreeMap<>())
                            .putIfAbsent(e.get(ItemContract.SK).s(), e);
                }
            }
        }
        return out;
    }

    /** How many entries the table's items hold, repeats included. */
    private static int storedWithRepeats(String table) {
        return LogTables.entries(ddb, table).stream().mapToInt(i -> CompactItems.entries(i).size()).sum();
    }

    private static Map<String, Map<String, AttributeValue>> rollupsBySpan(String table) {
        Map<String, Map<String, AttributeValue>> out = new TreeMap<>();
        for (Map<String, AttributeValue> r : LogTables.rollups(ddb, table)) {
            out.put(r.get(ItemContract.SK).s(), r);
        }
        return out;
    }

    /** A report fed the entries (time order) one by one. */
    private static Report counted(Collection<Map<String, AttributeValue>> entries) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        entries.forEach(e -> b.add(LogRow.of(e)));
        return b.build();
    }

    private static Report report(Map<String, AttributeValue> rollup) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        b.merge(SummaryCodec.decode(rollup.get(ItemContract.SUMMARY).b().asByteArray(),
                ReportBuilder.Options.SUMMARY));
        return b.build();
    }

    /**
     * An oracle that reads no table: the Summariser's summaries of every event as one payload (one per span), merged,
     * by span start. It counts the items the forwarder builds, before any packing or storing.
     */
    private Map<String, Report> summarisedFromEvents() {
        Forwarder parser = new Forwarder(new PostgresLogParser(), new ItemFactory(4, 90, new Redactor()), null, null,
                null, logged::add, null, Rollups.NONE);
        Forwarder.Parsed parsed = parser.parse(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0", events));
        List<Map<String, AttributeValue>> items = parsed.items().stream().map(ItemFactory.Built::item).toList();
        Map<String, List<Map<String, AttributeValue>>> bySpan = new TreeMap<>();
        for (Map<String, AttributeValue> s : new Summariser(4).summaries(items, parsed.source())) {
            bySpan.computeIfAbsent(spanOf(s.get(ItemContract.TS).s()), k -> new ArrayList<>()).add(s);
        }
        Map<String, Report> out = new HashMap<>();
        bySpan.forEach((span, summaries) -> {
            ReportBuilder b = new ReportBuilder(REPORT, null, null);
            summaries.stream().sorted(SummaryRanges.FIRST).forEach(s -> b.merge(SummaryCodec.decode(
                    SummaryItem.of(s).data(), ReportBuilder.Options.SUMMARY)));
            out.put(span, b.build());
        });
        return out;
    }

    /**
     * One valid rollup from entries per span holding unexpired entries at {@code now}, each counting exactly those
     * entries, attribute for attribute. Returns the entries the rollups count.
     */
    private static long assertRollupsCountTheStoredEntries(String table, Instant now) {
        Map<String, TreeMap<String, Map<String, AttributeValue>>> stored = storedBySpan(table, now);
        Map<String, Map<String, AttributeValue>> rollups = rollupsBySpan(table);
        assertEquals(stored.keySet(), rollups.keySet(), "one rollup per span with entries");
        long total = 0;
        for (var e : stored.entrySet()) {
            List<Map<String, AttributeValue>> entries = List.copyOf(e.getValue().values());
            Map<String, AttributeValue> r = rollups.get(e.getKey());
            assertEquals(ItemContract.ROLLED_FROM_ENTRIES, r.get(ItemContract.ROLLED_FROM).s(), e.getKey());
            assertFalse(r.get(ItemContract.STALE).bool(), e.getKey());
            assertEquals("0", r.get(ItemContract.SUMMARIES).n());
            assertEquals(INSTANCE, r.get(ItemContract.INSTANCE).s());
            assertEquals(Integer.toString(entries.size()), r.get(ItemContract.ENTRIES).n(), e.getKey());
            assertEquals(entries.get(0).get(ItemContract.TS).s(), r.get(ItemContract.TS).s());
            assertEquals(entries.get(entries.size() - 1).get(ItemContract.TS).s(), r.get(ItemContract.LAST_TS).s());
            List<Long> expires = entries.stream().map(x -> Long.parseLong(x.get(ItemContract.EXPIRES_AT).n()))
                    .sorted().toList();
            assertEquals(expires.get(expires.size() - 1).toString(), r.get(ItemContract.EXPIRES_AT).n());
            assertEquals(expires.get(0).toString(), r.get(ItemContract.MIN_EXPIRES_AT).n());
            Report expected = counted(entries);
            assertEquals(expected, report(r), e.getKey());
            assertEquals(entries.size(), expected.overview().entries());
            total += entries.size();
        }
        return total;
    }

    @ParameterizedTest
    @EnumSource(StorageFormat.class)
    void eachClosedSpanIsRolledFromItsStoredEntriesWhenNoSummariesAreWritten(StorageFormat format) throws Exception {
        String table = table(format, "rollup-entries");
        // The live path writing as the entries come: nothing late, nothing bumped, no summaries.
        List<ForwardResult> results = write(forwarder(table, format, 90, live(table, BASE, null)),
                RollupMotoTest.chunks(events, 20));
        assertEquals(0, results.stream().mapToInt(ForwardResult::bumped).sum());
        assertEquals(0, results.stream().mapToInt(ForwardResult::summaries).sum());
        assertTrue(LogTables.summaries(ddb, table).isEmpty());
        assertTrue(LogTables.rollups(ddb, table).isEmpty());

        Roller roller = roller(table);
        assertEquals(Roller.Source.ENTRIES, roller.source());
        assertEquals(3, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(SPANS, List.copyOf(rollupsBySpan(table).keySet()));
        assertEquals(events.size(), assertRollupsCountTheStoredEntries(table, ROLL_TIME), "every entry once");
        // The same counts as the Summariser's of the events themselves: nothing lost packing, storing or reading.
        Map<String, Report> oracle = summarisedFromEvents();
        assertEquals(oracle.keySet(), rollupsBySpan(table).keySet());
        rollupsBySpan(table).forEach((span, r) -> assertEquals(oracle.get(span), report(r), span));

        // Idempotent: this container knows them done; another finds them valid and writes nothing.
        Map<String, Map<String, AttributeValue>> before = rollupsBySpan(table);
        assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(0, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(600), minute()));
        assertEquals(before, rollupsBySpan(table));
        assertTrue(logged.stream().noneMatch(l -> l.contains("rollup")), logged.toString());
    }

    @Test
    void aLatePayloadMakesTheRollupStaleAndTheNextRollCountsIt() throws Exception {
        String table = table(StorageFormat.COMPACT, "rollup-entries-late");
        Roller roller = roller(table);
        List<List<LogEvent>> payloads = RollupMotoTest.chunks(events, 20);
        List<List<LogEvent>> onTime = new ArrayList<>();
        List<List<LogEvent>> late = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            (i % 3 == 1 ? late : onTime).add(payloads.get(i));
        }
        write(forwarder(table, StorageFormat.COMPACT, 90, live(table, BASE, null)), onTime);
        assertEquals(3, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        long first = assertRollupsCountTheStoredEntries(table, ROLL_TIME);
        assertTrue(first < events.size());

        // The others come in after the rollups were made: their writer (live, late) bumps their spans.
        List<LogEvent> last = late.remove(1);
        List<ForwardResult> results = write(forwarder(table, StorageFormat.COMPACT, 90,
                live(table, ROLL_TIME.plusSeconds(5), null)), late);
        assertTrue(results.stream().allMatch(r -> r.bumped() > 0), "every late payload bumps");
        for (var e : rollupsBySpan(table).entrySet()) {
            assertTrue(e.getValue().get(ItemContract.STALE).bool(), e.getKey());
            assertTrue(Long.parseLong(e.getValue().get(ItemContract.GEN).n()) > 0);
        }
        // Another container's roller rolls them again, counting the late entries, once they were quiet for
        // Roller.QUIET_MILLIS after their last bump.
        assertEquals(0, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(10), minute()), "bumped a moment ago");
        assertEquals(3, roller(table).rollUp(INSTANCE, ROLL_TIME.plusSeconds(5).plusMillis(Roller.QUIET_MILLIS),
                minute()));
        assertEquals(events.size() - last.size(), assertRollupsCountTheStoredEntries(table, ROLL_TIME));

        // The last late payload through a live forwarder with the first roller, which took its spans for done: its
        // own bump makes it look again once they are quiet, and roll them anew with the late entries in.
        ForwardResult r = write(forwarder(table, StorageFormat.COMPACT, 90,
                live(table, ROLL_TIME.plusSeconds(20), roller)), List.of(last)).get(0);
        long touched = last.stream().map(ev -> ItemContract.compactSpan(ItemContract.isoMillis(
                Instant.ofEpochMilli(ev.timestamp())))).distinct().count();
        assertEquals(touched, r.bumped());
        assertEquals(0, r.rolled(), "not in the invocation that bumped it: a backlog would bump it again");
        assertEquals(touched, roller.rollUp(INSTANCE, ROLL_TIME.plusSeconds(20).plusMillis(Roller.QUIET_MILLIS),
                minute()));
        assertEquals(events.size(), assertRollupsCountTheStoredEntries(table, ROLL_TIME));
        Map<String, Report> oracle = summarisedFromEvents();
        rollupsBySpan(table).forEach((span, rollup) -> assertEquals(oracle.get(span), report(rollup), span));
    }

    @Test
    void aPayloadRedeliveredInOtherBatchesIsCountedOnce() throws Exception {
        String table = table(StorageFormat.COMPACT, "rollup-entries-redelivered");
        Forwarder live = forwarder(table, StorageFormat.COMPACT, 90, live(table, BASE, null));
        write(live, RollupMotoTest.chunks(events, 20));
        // The same events again, cut differently: other compact items (other keys) holding the same entries.
        write(live, RollupMotoTest.chunks(events, 30));
        assertTrue(storedWithRepeats(table) > events.size(), "some entries are stored twice");
        assertEquals(3, roller(table).rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(events.size(), assertRollupsCountTheStoredEntries(table, ROLL_TIME), "each entry once");
        Map<String, Report> oracle = summarisedFromEvents();
        rollupsBySpan(table).forEach((span, r) -> assertEquals(oracle.get(span), report(r), span));
    }

    @Test
    void expiredEntriesAreLeftOutAndASpanOfOnlyExpiredOnesGetsNoRollup() throws Exception {
        String table = table(StorageFormat.ENTRIES, "rollup-entries-expired");
        List<List<LogEvent>> payloads = RollupMotoTest.chunks(events, 20);
        int cut = payloads.size() / 2;
        // The first payloads kept a day, the others 90: two days on, the first span's are all gone, the second's some.
        write(forwarder(table, StorageFormat.ENTRIES, 1, live(table, BASE, null)), payloads.subList(0, cut));
        write(forwarder(table, StorageFormat.ENTRIES, 90, live(table, BASE, null)),
                payloads.subList(cut, payloads.size()));
        Instant now = ROLL_TIME.plus(Duration.ofDays(2));
        Map<String, TreeMap<String, Map<String, AttributeValue>>> unexpired = storedBySpan(table, now);
        Map<String, TreeMap<String, Map<String, AttributeValue>>> all = storedBySpan(table, ROLL_TIME);
        assertEquals(SPANS.subList(1, 3), List.copyOf(unexpired.keySet()), () -> "the first span's entries all "
                + "expired: " + unexpired.get(SPANS.get(0)));
        assertTrue(unexpired.get(SPANS.get(1)).size() < all.get(SPANS.get(1)).size(), "the second span's some");

        Roller roller = roller(table);
        List<Roller.Result> results = new ArrayList<>();
        for (String span : SPANS) {
            results.add(roller.roll(INSTANCE, ItemContract.compactSpan(span), now, minute()));
        }
        assertEquals(List.of(Roller.Result.NOTHING, Roller.Result.ROLLED, Roller.Result.ROLLED), results);
        assertEquals(events.size() - all.get(SPANS.get(0)).size()
                - (all.get(SPANS.get(1)).size() - unexpired.get(SPANS.get(1)).size()),
                assertRollupsCountTheStoredEntries(table, now));
    }

    @Test
    void aSpanOfMoreEntriesThanTheCapIsGivenUpAndLogged() throws Exception {
        String table = table(StorageFormat.COMPACT, "rollup-entries-cap");
        write(forwarder(table, StorageFormat.COMPACT, 90, live(table, BASE, null)),
                RollupMotoTest.chunks(events, 20));
        int smallest = storedBySpan(table, ROLL_TIME).values().stream().mapToInt(Map::size).min().orElseThrow();
        Roller roller = roller(table);
        roller.maxSpanEntries(smallest - 1);
        assertEquals(0, roller.rollUp(INSTANCE, ROLL_TIME, minute()));
        assertTrue(LogTables.rollups(ddb, table).isEmpty());
        assertEquals(3, logged.stream().filter(l -> l.contains("holds more than " + (smallest - 1) + " entries; no "
                + "rollup, readers read its entries")).count(), logged.toString());
        // At the cap, not over it: rolled.
        Roller atCap = roller(table);
        atCap.maxSpanEntries(smallest);
        assertTrue(atCap.rollUp(INSTANCE, ROLL_TIME, minute()) >= 1);
        assertEquals(Roller.Result.VALID, atCap.roll(INSTANCE, ItemContract.compactSpan(rollupsBySpan(table)
                .keySet().iterator().next()), ROLL_TIME, minute()));
    }

    @Test
    void anEntryTheReportCannotCountLeavesItsSpanUnrolledAndFailsNothing() throws Exception {
        String table = table(StorageFormat.ENTRIES, "rollup-entries-bad");
        write(forwarder(table, StorageFormat.ENTRIES, 90, live(table, BASE, null)),
                RollupMotoTest.chunks(events, 20));
        // An item another writer stored in the second span, whose time the report's code cannot read.
        String sk = "2026-05-01T10:15:00.000Z#bad";
        ddb.putItem(b -> b.tableName(table).item(Map.of(
                ItemContract.PK, AttributeValue.fromS(ItemContract.partitionKey(INSTANCE, sk, "bad", 4)),
                ItemContract.SK, AttributeValue.fromS(sk),
                ItemContract.INSTANCE, AttributeValue.fromS(INSTANCE),
                ItemContract.EVENT_ID, AttributeValue.fromS("bad"),
                ItemContract.TS, AttributeValue.fromS("2026-05-01 10:15 not a time"),
                ItemContract.SEVERITY, AttributeValue.fromS("LOG"),
                ItemContract.MESSAGE, AttributeValue.fromS("statement: SELECT 1"),
                ItemContract.EXPIRES_AT, AttributeValue.fromN(Long.toString(ROLL_TIME.getEpochSecond() + 86_400)))));
        assertEquals(2, roller(table).rollUp(INSTANCE, ROLL_TIME, minute()));
        assertEquals(List.of(SPANS.get(0), SPANS.get(2)), List.copyOf(rollupsBySpan(table).keySet()));
        assertTrue(logged.stream().anyMatch(l -> l.contains("ERROR counting the") && l.contains(SPANS.get(1))
                && l.contains("no rollup, readers read its entries")), logged.toString());
    }
}
