package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Slices (issue 26 part 4, docs/schema.md "Slice items") against moto, through the real forwarder and roller: partial
 * passes slice a span's units as they become due (at least 500 entries a slice), the close pass stores the trailing
 * group and writes the span's rollup as the merge of its slices, equal to the rollup of its entries counted directly;
 * a quiet span gets no slices; a late write's bump invalidates the slices and the re-roll writes a new chain; racing
 * rollers never leave overlapping slices of one gen; compact floors bound where the entries after a slice start live;
 * a payload stored before its units may be rolled bumps nothing (part 4's bump rule), one stored later bumps.
 *
 * <p>The data: the real server's entries, repeated (other event ids) and spread over the units of the span at 10:00
 * unevenly: 700, 300, 300, 100 and 50 entries; the span at 10:10 holds 300 (quiet).
 */
// Beside another slow moto class (lambda/pom.xml: two at a time): a moto of its own, so the other's load never slows
// its requests; its tests one after another on it.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class SliceMotoTest {
    private static final String GROUP = "/aws/rds/instance/corpus-db/postgresql";
    private static final String INSTANCE = "corpus-db";
    private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
    private static final long UNIT = ItemContract.SLICE_UNIT_MILLIS;
    private static final int[] UNIT_ENTRIES = {700, 300, 300, 100, 50, 60, 60, 60, 60, 60};
    private static final String S0 = "2026-05-01T10:00:00.000Z";
    private static final String S1 = "2026-05-01T10:10:00.000Z";
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private static MotoServer moto;
    private static DynamoDbClient ddb;
    private static List<LogEvent> corpus;
    private static List<LogEvent> events;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        moto = MotoServer.dedicated();
        ddb = moto.dynamoDb();
        corpus = Corpus.asEvents(Corpus.fresh("postgresql.log"), 1);
        events = new ArrayList<>();
        int n = 0;
        for (int u = 0; u < UNIT_ENTRIES.length; u++) {
            events.addAll(spread(n, UNIT_ENTRIES[u], BASE.plusMillis(u * UNIT), UNIT));
            n += UNIT_ENTRIES[u];
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /**
     * {@code count} of the corpus's entries (from the {@code first}-th on, round the corpus) evenly over
     * {@code windowMillis} from {@code base}, each line's own time rewritten to its event's second (the forwarder
     * takes the event's milliseconds within it).
     */
    private static List<LogEvent> spread(int first, int count, Instant base, long windowMillis) {
        List<LogEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long millis = base.toEpochMilli() + i * windowMillis / count;
            String message = corpus.get((first + i) % corpus.size()).message();
            Matcher m = TIME.matcher(message);
            String stamp = STAMP.format(Instant.ofEpochMilli(millis));
            out.add(new LogEvent(String.format("%019d%05d%032d", millis, 7, first + i), millis,
                    m.find() ? message.substring(0, m.start()) + stamp + message.substring(m.end()) : message));
        }
        return out;
    }

    @AfterEach
    void close() {
        writers.forEach(BatchWriter::close);
    }

    private static String table(StorageFormat format, String prefix) {
        return format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, prefix) : LogTables.create(ddb, prefix);
    }

    /** The live path with summaries off, its bumper's clock at {@code at}, rolling with {@code roller} (or not). */
    private Forwarder forwarder(String table, StorageFormat format, Instant at, Roller roller) {
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        BatchWriter writer = new BatchWriter(ddb, table, 4);
        writers.add(writer);
        return new Forwarder(new PostgresLogParser(), items, format == StorageFormat.COMPACT ? new CompactItems(4)
                : null, writer, new CatalogWriter(ddb, table, items), logged::add, null,
                Rollups.live(new RollupBumper(ddb, table, Clock.fixed(at, ZoneOffset.UTC)), roller));
    }

    private List<ForwardResult> write(Forwarder forwarder, List<LogEvent> all, int size) throws Exception {
        List<ForwardResult> results = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            results.add(forwarder.forward(SubscriptionPayload.ofEvents(null, GROUP, "corpus-db.0",
                    all.subList(i, Math.min(all.size(), i + size))), Deadline.after(Duration.ofSeconds(30))));
        }
        return results;
    }

    /** Everything written as it came: nothing late, nothing bumped. */
    private String written(StorageFormat format, String prefix) throws Exception {
        String table = table(format, prefix);
        // Payloads of 70: some cross a unit boundary, so a compact item holds entries on both sides of it.
        List<ForwardResult> results = write(forwarder(table, format, BASE, null), events, 70);
        assertEquals(0, results.stream().mapToInt(ForwardResult::bumped).sum());
        return table;
    }

    private Roller roller(DynamoDbClient client, String table) {
        return roller(client, table, Clock.systemUTC());
    }

    /** A roller from entries; its clock is what the forwarder's invocations roll at (tests pass {@code now} too). */
    private Roller roller(DynamoDbClient client, String table, Clock clock) {
        Roller r = new Roller(client, table, 4, clock, logged::add, Roller.Source.ENTRIES);
        r.busyFrom(0); // these spans have no previous span to show the instance busy: partial passes always
        return r;
    }

    private static Deadline minute() {
        return Deadline.after(Duration.ofMinutes(1));
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-05-01T" + hhmmss + "Z");
    }

    /** The slices of {@code gen} by start, as [start, until, entries]. */
    private static List<String> slices(String table, long gen) {
        List<String> out = new ArrayList<>();
        for (Map<String, AttributeValue> s : sorted(LogTables.slices(ddb, table))) {
            if (Long.parseLong(s.get(ItemContract.GEN).n()) == gen) {
                out.add(s.get(ItemContract.SK).s().substring(11, 16) + "-"
                        + s.get(ItemContract.UNTIL).s().substring(11, 16) + " " + s.get(ItemContract.ENTRIES).n());
            }
        }
        return out;
    }

    private static List<Map<String, AttributeValue>> sorted(List<Map<String, AttributeValue>> items) {
        List<Map<String, AttributeValue>> out = new ArrayList<>(items);
        out.sort((a, b) -> a.get(ItemContract.SK).s().compareTo(b.get(ItemContract.SK).s()));
        return out;
    }

    /** The stored entries (a Scan), unpacked, each once by sort key, of the span starting at {@code span}. */
    private static TreeMap<String, LogRow> stored(String table, String span) {
        TreeMap<String, LogRow> rows = new TreeMap<>();
        for (Map<String, AttributeValue> item : LogTables.entries(ddb, table)) {
            for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                String ts = e.get(ItemContract.TS).s();
                if (ItemContract.compactSpan(ts) == ItemContract.compactSpan(span)) {
                    rows.putIfAbsent(e.get(ItemContract.SK).s(), LogRow.of(e));
                }
            }
        }
        return rows;
    }

    private static Report report(Map<String, AttributeValue> item) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        b.merge(SummaryCodec.decode(item.get(ItemContract.SUMMARY).b().asByteArray(), ReportBuilder.Options.SUMMARY));
        return b.build();
    }

    private static Map<String, AttributeValue> rollup(String table, String span) {
        return LogTables.rollups(ddb, table).stream().filter(r -> r.get(ItemContract.SK).s().equals(span))
                .findFirst().orElseThrow(() -> new AssertionError("no rollup at " + span));
    }

    /**
     * The span's valid rollup holds what today's code path (every entry counted directly) holds: the same report, the
     * same entries, times and expiry.
     */
    private static void assertRollupIsTheEntriesCounted(String table, String span) {
        Map<String, AttributeValue> r = rollup(table, span);
        TreeMap<String, LogRow> rows = stored(table, span);
        Map<String, AttributeValue> direct = Roller.rollupOfEntries(INSTANCE, ItemContract.rollupKey(INSTANCE,
                ItemContract.compactSpan(span)), rows.values(), r.get(ItemContract.GEN));
        assertEquals(report(direct), report(r), span);
        for (String name : List.of(ItemContract.ENTRIES, ItemContract.TS, ItemContract.LAST_TS,
                ItemContract.EXPIRES_AT, ItemContract.MIN_EXPIRES_AT, ItemContract.ROLLED_FROM, ItemContract.STALE,
                ItemContract.GEN, ItemContract.INSTANCE)) {
            assertEquals(direct.get(name), r.get(name), span + " " + name);
        }
        assertEquals(Integer.toString(rows.size()), r.get(ItemContract.ENTRIES).n());
    }

    /**
     * The slices of each gen never overlap, and each counts exactly the stored entries of its range (at the time of
     * the check, for the valid gen only: an invalid gen's may lack the late ones).
     */
    private static void assertSlicesOfEachGenApart(String table) {
        Map<Long, List<Map<String, AttributeValue>>> byGen = new TreeMap<>();
        for (Map<String, AttributeValue> s : sorted(LogTables.slices(ddb, table))) {
            byGen.computeIfAbsent(Long.parseLong(s.get(ItemContract.GEN).n()), g -> new ArrayList<>()).add(s);
        }
        byGen.forEach((gen, slices) -> {
            for (int i = 1; i < slices.size(); i++) {
                assertTrue(slices.get(i - 1).get(ItemContract.UNTIL).s()
                        .compareTo(slices.get(i).get(ItemContract.SK).s()) <= 0, "gen " + gen + ": " + slices);
            }
        });
    }

    /** Every slice holds what the stored entries of its range count (it is of the span's valid gen). */
    private static void assertSlicesCountTheirEntries(String table, String span) {
        TreeMap<String, LogRow> rows = stored(table, span);
        for (Map<String, AttributeValue> s : LogTables.slices(ddb, table)) {
            String start = s.get(ItemContract.SK).s();
            if (ItemContract.compactSpan(start) != ItemContract.compactSpan(span)) {
                continue;
            }
            var part = rows.subMap(start, true, s.get(ItemContract.UNTIL).s(), false).values();
            Map<String, AttributeValue> direct = Roller.rollupOfEntries(INSTANCE, ItemContract.rollupKey(INSTANCE,
                    ItemContract.compactSpan(span)), part, null);
            assertEquals(Integer.toString(part.size()), s.get(ItemContract.ENTRIES).n(), start);
            assertEquals(report(direct), report(s), start);
            assertEquals(direct.get(ItemContract.TS), s.get(ItemContract.TS));
            assertEquals(direct.get(ItemContract.LAST_TS), s.get(ItemContract.LAST_TS));
            assertEquals(direct.get(ItemContract.MIN_EXPIRES_AT), s.get(ItemContract.MIN_EXPIRES_AT));
            assertEquals(ItemContract.ROLLED_FROM_ENTRIES, s.get(ItemContract.ROLLED_FROM).s());
            assertEquals(INSTANCE, s.get(ItemContract.INSTANCE).s());
            assertEquals("_slice#corpus-db#2026-05-01", s.get(ItemContract.PK).s());
        }
    }

    /**
     * The floors: every stored entry at or after a slice's start (its end) lives in an item whose sk is at or after
     * the slice's {@code floor} ({@code next_floor}), checked against every item the table holds; a floor is never
     * above the time it stands for, nor below its span's start. Returns how many floors lie below the time they stand
     * for (an item crossing the time starts there).
     */
    private static int assertFloorsBoundTheItems(String table) {
        // Each item's key and its latest entry's time: an entry at or after a time lives in an item whose latest is.
        Map<String, String> latestBySk = new TreeMap<>();
        for (Map<String, AttributeValue> item : LogTables.entries(ddb, table)) {
            for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                latestBySk.merge(item.get(ItemContract.SK).s() + " " + item.get(ItemContract.PK).s(),
                        e.get(ItemContract.TS).s(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        int below = 0;
        for (Map<String, AttributeValue> s : LogTables.slices(ddb, table)) {
            for (String[] bound : List.of(new String[] {s.get(ItemContract.SK).s(), s.get(ItemContract.FLOOR).s()},
                    new String[] {s.get(ItemContract.UNTIL).s(), s.get(ItemContract.NEXT_FLOOR).s()})) {
                String time = bound[0];
                String floor = bound[1];
                assertTrue(floor.compareTo(time) <= 0, floor + " above " + time);
                String spanStart = ItemContract.isoMillis(ItemContract.spanStart(ItemContract.compactSpan(
                        s.get(ItemContract.SK).s())));
                assertTrue(floor.compareTo(spanStart) >= 0, floor + " below its span");
                below += floor.compareTo(time) < 0 ? 1 : 0;
                latestBySk.forEach((sk, latest) -> {
                    if (latest.compareTo(time) >= 0) {
                        assertTrue(sk.compareTo(floor) >= 0, () -> "the item " + sk + " holds an entry at " + latest
                                + " but lies below the floor " + floor + " of " + time);
                    }
                });
            }
        }
        return below;
    }

    @ParameterizedTest
    @Execution(ExecutionMode.SAME_THREAD)
    @EnumSource(StorageFormat.class)
    void partialPassesSliceUnitsAsTheyBecomeDueAndTheClosePassMergesThem(StorageFormat format) throws Exception {
        String table = written(format, "slices");
        Roller roller = roller(ddb, table);
        // 10:04:59: no unit ended three minutes before; 10:05: the first did (700 entries), a slice alone.
        assertEquals(0, roller.rollUp(INSTANCE, at("10:04:59"), minute()));
        assertEquals(List.of(), slices(table, 0));
        assertEquals(0, roller.rollUp(INSTANCE, at("10:05:00"), minute()));
        assertEquals(List.of("10:00-10:02 700"), slices(table, 0));
        assertTrue(LogTables.rollups(ddb, table).isEmpty(), "a partial pass writes no rollup");
        // 10:07: the second unit is due, 300 entries: not enough for a slice of their own.
        assertEquals(0, roller.rollUp(INSTANCE, at("10:07:00"), minute()));
        assertEquals(List.of("10:00-10:02 700"), slices(table, 0));
        // 10:09: the third too: 600 from the chain's end.
        assertEquals(0, roller.rollUp(INSTANCE, at("10:09:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(table, 0));
        assertEquals(0, roller.rollUp(INSTANCE, at("10:11:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(table, 0), "100 entries: no slice yet");
        // 10:13: the span is closed and due: the trailing 150 are a slice of their own (the chain is not empty), the
        // rollup the merge of the three, equal to the entries counted directly.
        assertEquals(1, roller.rollUp(INSTANCE, at("10:13:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600", "10:06-10:10 150"), slices(table, 0));
        assertRollupIsTheEntriesCounted(table, S0);
        assertSlicesCountTheirEntries(table, S0);
        assertEquals("0", rollup(table, S0).get(ItemContract.GEN).n());
        // The span at 10:10 holds 300 entries: partial passes on the way find too few, its close pass makes no slice.
        for (String now : List.of("10:15:00", "10:17:00", "10:19:00", "10:21:00")) {
            assertEquals(0, roller.rollUp(INSTANCE, at(now), minute()));
        }
        assertEquals(1, roller.rollUp(INSTANCE, at("10:23:00"), minute()));
        assertEquals(3, LogTables.slices(ddb, table).size(), "a quiet span gets no slices");
        assertRollupIsTheEntriesCounted(table, S1);
        assertSlicesOfEachGenApart(table);
        int below = assertFloorsBoundTheItems(table);
        if (format == StorageFormat.ENTRIES) {
            assertEquals(0, below);
            // One entry an item: a floor is the bare time it stands for.
            for (Map<String, AttributeValue> s : LogTables.slices(ddb, table)) {
                assertEquals(s.get(ItemContract.SK), s.get(ItemContract.FLOOR));
                assertEquals(s.get(ItemContract.UNTIL), s.get(ItemContract.NEXT_FLOOR));
            }
        } else {
            // Items of payloads crossing 10:02 and 10:06 start before them: the slices' floors there are lower.
            assertTrue(below >= 2, "compact floors below their time: " + below);
        }
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aClosePassWithoutPartialOnesSlicesTheWholeSpanTheTrailingGroupJoiningTheLast() throws Exception {
        String table = written(StorageFormat.COMPACT, "slices-close");
        assertEquals(1, roller(ddb, table).rollUp(INSTANCE, at("10:13:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:10 750"), slices(table, 0));
        assertRollupIsTheEntriesCounted(table, S0);
        assertSlicesCountTheirEntries(table, S0);
        assertFloorsBoundTheItems(table);
        // Another container finds the rollup valid and writes nothing.
        Map<String, AttributeValue> before = rollup(table, S0);
        assertEquals(0, roller(ddb, table).rollUp(INSTANCE, at("10:14:00"), minute()));
        assertEquals(before, rollup(table, S0));
        assertEquals(2, LogTables.slices(ddb, table).size());
    }

    @ParameterizedTest
    @Execution(ExecutionMode.SAME_THREAD)
    @EnumSource(StorageFormat.class)
    void aLateWriteInvalidatesTheSlicesAndTheReRollWritesANewChain(StorageFormat format) throws Exception {
        String table = written(format, "slices-late");
        Roller roller = roller(ddb, table, Clock.fixed(at("10:09:30"), ZoneOffset.UTC));
        roller.rollUp(INSTANCE, at("10:09:00"), minute());
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(table, 0));
        // A payload of the first unit delivered at 10:09:30 (its unit ended 10:02, rolled from 10:05 on any clock):
        // its writer bumps the span, gen 1. The same invocation's roller leaves the span alone for a unit after the
        // bump (a backlog would bump it again with every payload), then slices anew.
        List<LogEvent> late = spread(5_000, 40, BASE.plusMillis(500), 60_000);
        ForwardResult r = write(forwarder(table, format, at("10:09:30"), roller), late, 40).get(0);
        assertEquals(1, r.bumped());
        assertEquals(0, r.rolled(), "the span is not closed");
        assertEquals(List.of(), slices(table, 1), "bumped a moment ago: not sliced yet");
        roller.rollUp(INSTANCE, at("10:11:29"), minute());
        assertEquals(List.of(), slices(table, 1), "still within a unit of the bump");
        roller.rollUp(INSTANCE, at("10:11:30"), minute());
        assertEquals(List.of("10:00-10:02 740", "10:02-10:06 600"), slices(table, 1), "the new gen's chain");
        assertEquals(List.of(), slices(table, 0), "the old chain's slices were replaced (same starts)");
        assertSlicesCountTheirEntries(table, S0);
        // The close pass merges gen 1's chain and its trailing group: the late entries are counted.
        assertEquals(1, roller.rollUp(INSTANCE, at("10:13:00"), minute()));
        assertEquals(List.of("10:00-10:02 740", "10:02-10:06 600", "10:06-10:10 150"), slices(table, 1));
        assertEquals("1", rollup(table, S0).get(ItemContract.GEN).n());
        assertRollupIsTheEntriesCounted(table, S0);
        assertEquals(Integer.toString(1_450 + 40), rollup(table, S0).get(ItemContract.ENTRIES).n());
        assertFloorsBoundTheItems(table);

        // Late again, after the rollup: stale, then rolled anew from a new chain (gen 2) by another container.
        ForwardResult again = write(forwarder(table, format, at("10:30:00"), null),
                spread(6_000, 10, at("10:07:00"), 60_000), 10).get(0);
        assertEquals(1, again.bumped());
        assertTrue(rollup(table, S0).get(ItemContract.STALE).bool());
        Roller another = roller(ddb, table);
        assertEquals(1, another.rollUp(INSTANCE, at("10:30:00"), minute()), "the span at 10:10; 10:00 was just bumped");
        assertEquals(1, another.rollUp(INSTANCE, at("10:32:00"), minute()), "the span at 10:00, quiet for a unit");
        assertEquals(List.of("10:00-10:02 740", "10:02-10:10 760"), slices(table, 2));
        assertRollupIsTheEntriesCounted(table, S0);
        assertSlicesOfEachGenApart(table);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aPayloadStoredBeforeItsUnitsMayBeRolledBumpsNothingOneStoredLaterBumps() throws Exception {
        String table = table(StorageFormat.COMPACT, "slices-prompt");
        // Entries of 10:21:00-10:21:49: their unit ends at 10:22, rolled from 10:25 on a roller's clock, which may be
        // a minute ahead of the writer's: a writer whose store is done before 10:24 is seen by every roller.
        List<LogEvent> entries = spread(7_000, 50, at("10:21:00"), 50_000);
        for (String storedAt : List.of("10:21:50", "10:23:00", "10:23:59.999")) {
            ForwardResult r = write(forwarder(table, StorageFormat.COMPACT, at(storedAt), null), entries, 50).get(0);
            assertEquals(0, r.bumped(), storedAt);
        }
        assertTrue(LogTables.rollups(ddb, table).isEmpty(), "no stub: nothing bumped");
        ForwardResult late = write(forwarder(table, StorageFormat.COMPACT, at("10:24:00"), null), entries, 50).get(0);
        assertEquals(1, late.bumped());
        Map<String, AttributeValue> stub = rollup(table, "2026-05-01T10:20:00.000Z");
        assertEquals("1", stub.get(ItemContract.GEN).n());
        assertTrue(stub.get(ItemContract.STALE).bool());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void twoRollersRacingNeverLeaveOverlappingSlicesOfOneGen() throws Exception {
        String table = written(StorageFormat.COMPACT, "slices-race");
        // A rolls at 10:05 (one slice to make); between its reads and its puts, B rolls at 10:09 and writes two.
        Roller a = roller(ddb, table);
        Roller b = roller(ddb, table);
        a.beforePut(span -> b.rollUp(INSTANCE, at("10:09:00"), minute()));
        assertEquals(Roller.Result.RETRY, a.pass(INSTANCE, ItemContract.compactSpan(S0),
                Roller.readyEnd(at("10:05:00")), false, at("10:05:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(table, 0));
        // The other way round: C (at 10:11, [10:00, 10:02) done, so from 10:02) finds D's slice of [10:02, 10:06)
        // written first and writes nothing of its own.
        String other = written(StorageFormat.COMPACT, "slices-race2");
        Roller c = roller(ddb, other);
        c.rollUp(INSTANCE, at("10:05:00"), minute());
        Roller d = roller(ddb, other);
        c.beforePut(span -> d.rollUp(INSTANCE, at("10:09:00"), minute()));
        assertEquals(Roller.Result.RETRY, c.pass(INSTANCE, ItemContract.compactSpan(S0),
                Roller.readyEnd(at("10:11:00")), false, at("10:11:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(other, 0));
        assertSlicesOfEachGenApart(other);
        // Its next try goes on from the chain the winner left: the close pass merges it.
        c.beforePut(null);
        assertEquals(1, c.rollUp(INSTANCE, at("10:13:00"), minute()));
        assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600", "10:06-10:10 150"), slices(other, 0));
        assertRollupIsTheEntriesCounted(other, S0);
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aPartialPassIsNotRepeatedInAContainerUntilANewUnitIsDue() throws Exception {
        String table = written(StorageFormat.COMPACT, "slices-memory");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.0, List.of(), 1, ".Query", "none");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Roller roller = roller(viaProxy, table, Clock.fixed(at("10:09:30"), ZoneOffset.UTC));
            // Every pass over the span at 10:00 Queries its slices once (sk from its start to its end).
            String[] s0Pass = {"_slice#corpus-db#2026-05-01", S0, S1};
            roller.rollUp(INSTANCE, at("10:07:00"), minute());
            assertEquals(1, proxy.callsContaining(s0Pass));
            roller.rollUp(INSTANCE, at("10:08:59"), minute());
            assertEquals(1, proxy.callsContaining(s0Pass), "the same units due: not read again");
            roller.rollUp(INSTANCE, at("10:09:00"), minute());
            assertEquals(2, proxy.callsContaining(s0Pass), "a new unit due: read");
            assertEquals(List.of("10:00-10:02 700", "10:02-10:06 600"), slices(table, 0));
            roller.rollUp(INSTANCE, at("10:09:30"), minute());
            assertEquals(2, proxy.callsContaining(s0Pass));
            // A bump this container made (at 10:09:30 on its clock) forgets what it looked at, and the span is read
            // again once it was quiet for a unit.
            roller.bumped(INSTANCE, List.of(ItemContract.compactSpan(S0)));
            roller.rollUp(INSTANCE, at("10:09:30"), minute());
            roller.rollUp(INSTANCE, at("10:11:29"), minute());
            assertEquals(2, proxy.callsContaining(s0Pass), "bumped a moment ago: left alone");
            roller.rollUp(INSTANCE, at("10:11:30"), minute());
            assertEquals(3, proxy.callsContaining(s0Pass));
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void onlyAnInstanceWhosePreviousSpanWasBusyIsSlicedBeforeItsSpanCloses() throws Exception {
        String table = written(StorageFormat.COMPACT, "slices-busy");
        // The span at 10:00 counts 1,450 entries: with the gate at 1,000 its instance is busy when 10:10 is open, at
        // 2,000 it is not, and then no container reads the open span until its close pass.
        roller(ddb, table).rollUp(INSTANCE, at("10:13:00"), minute());
        assertEquals("1450", rollup(table, S0).get(ItemContract.ENTRIES).n());
        String[] s1Pass = {"_slice#corpus-db#2026-05-01", S1};
        for (int gate : new int[] {2_000, 1_000}) {
            try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.0, List.of(), 1, ".Query", "none");
                 DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
                Roller roller = roller(viaProxy, table);
                roller.busyFrom(gate);
                for (String now : List.of("10:15:00", "10:17:00", "10:19:00", "10:21:00")) {
                    roller.rollUp(INSTANCE, at(now), minute());
                }
                assertEquals(gate == 2_000 ? 0 : 4, proxy.callsContaining(s1Pass), "gate " + gate);
            }
        }
    }

    /**
     * Review V5: the busy gate reads the previous span's rollup's count; a span over the roller's cap gets no rollup
     * (TOO_MANY), so the busiest instances (over {@link Roller#MAX_SPAN_ENTRIES} a span, 167 lines a second) are
     * never sliced before the close pass, whose single read is over the cap again: no slices, no rollup, for good.
     * Scaled down: cap 1,000, gate 1,000, the span at 10:00 holds 1,450.
     */
    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void anInstanceWhoseSpanWasOverTheCapIsSlicedFromItsNextSpanOn() throws Exception {
        // Review V5, F1. Partial passes (gate 0): the span at 10:00 is sliced unit by unit, each read under the cap.
        String sliced = written(StorageFormat.COMPACT, "cap-sliced");
        Roller before = roller(ddb, sliced);
        before.maxSpanEntries(1_000);
        for (String now : List.of("10:05:00", "10:07:00", "10:09:00", "10:13:00")) {
            before.rollUp(INSTANCE, at(now), minute());
        }
        assertEquals("1450", rollup(sliced, S0).get(ItemContract.ENTRIES).n(), "rolled through its slices");

        // With the gate: the span at 9:50 has no rollup (nothing logged), so 10:00 is not sliced while open, and its
        // close pass reads 1,450 > 1,000: nothing written, and no rollup for the gate to read at 10:10.
        String gated = written(StorageFormat.COMPACT, "cap-gated");
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0.0, List.of(), 1, ".Query", "none");
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            Roller after = roller(viaProxy, gated);
            after.maxSpanEntries(1_000);
            after.busyFrom(1_000);
            for (String now : List.of("10:05:00", "10:07:00", "10:09:00", "10:13:00")) {
                after.rollUp(INSTANCE, at(now), minute());
            }
            assertEquals(List.of(), slices(gated, 0), "no slice of 10:00");
            assertTrue(LogTables.rollups(ddb, gated).stream().noneMatch(r -> r.get(ItemContract.SK).s().equals(S0)),
                    "no rollup of 10:00");
            // The container saw the instance over the cap itself: its next span is sliced while open (a Query of
            // 10:10's slices: sk from S1 to 10:20).
            String[] s1Pass = {"_slice#corpus-db#2026-05-01", S1, "2026-05-01T10:20:00.000Z"};
            int before1 = proxy.callsContaining(s1Pass);
            for (String now : List.of("10:15:00", "10:17:00", "10:19:00", "10:21:00")) {
                after.rollUp(INSTANCE, at(now), minute());
            }
            assertTrue(proxy.callsContaining(s1Pass) >= before1 + 4, "the open span at 10:10 is looked at each unit");
        }
    }
}
