package io.pglogs.cli;

import static io.pglogs.cli.SliceReportTest.INSTANCE;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.pglogs.cli.SliceReportTest.Window;
import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 26 part 4 end to end, against moto: the slices and rollups {@code pglogs report} reads are the real
 * {@link Roller}'s (its {@link Roller.Source#ENTRIES entries} source), made from entries the real forwarder wrote
 * with summaries off, as the live path (the Lambda, {@code pglogs local}'s delivery loop) writes and rolls: each
 * payload delivered five seconds after its last entry, its bumper and the roller after it on a clock at that moment,
 * so partial passes slice units as they become due (3 minutes after their end) and close passes slice the rest and
 * roll each span up. {@link SliceReportTest} proves the reader on slices its fixture writes; this proves the two
 * halves agree.
 *
 * <p>The data: a real server's entries (the corpus repeated, other event ids) on yesterday's date, per two-minute unit
 * from 10:00: a span of 600, 300, 300, 250 and 100 entries (slices 10:00-10:02, 10:02-10:06 by partial passes, the
 * close pass's 10:06-10:10 alone); one of 300 a unit (10:10-10:14, 10:14-10:18, then 10:18-10:20); a quiet one (80 a
 * unit: no slices, its rollup counted from entries); and the open span at 10:30, written up to 10:39 ({@code now}:
 * 550, 300, 300, 200 entries, 100 in 10:38's first minute: 10:30-10:32 and 10:32-10:36 sliced, the rest unrolled).
 * Unit counts are those of whole entries: an entry's companion lines (DETAIL, STATEMENT, ...) share its time, so a
 * unit boundary never parts them (docs/report.md: a slice links companion lines within its own time only). Reports
 * (through the command, JSON) over a window whose edges cut slices and spans, and one ending {@code now} in the open
 * span, each equal to the report from entries ({@code --no-summaries}), with the slices that must serve used and
 * fewer items read; then a late payload into an already sliced unit: bumped, the same reports before the re-roll
 * (the span's slices invalid) and after it (a chain of the new gen).
 */
@Tag("integration")
class SliceRollerReportTest {
    private static final String GROUP = "/aws/rds/instance/" + INSTANCE + "/postgresql";
    private static final long UNIT = ItemContract.SLICE_UNIT_MILLIS;
    private static final Set<String> COMPANIONS = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY",
            "LOCATION");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    /** Entries per unit, per span from 10:00; the last unit of the open span is written over its first minute. */
    private static final int[][] UNITS = {{600, 300, 300, 250, 100}, {300, 300, 300, 300, 300}, {80, 80, 80, 80, 80},
            {550, 300, 300, 200, 100}};
    /** Lines a payload: at 80 entries a unit none spans two minutes, so a prompt delivery bumps nothing. */
    private static final int PAYLOAD = 50;
    /** How long after its last entry a payload is stored and the roller runs. */
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    private static DynamoDbClient ddb;
    /** The corpus's entries, each with the companion lines that follow it. */
    private static List<List<LogEvent>> groups;
    private final List<BatchWriter> writers = new ArrayList<>();
    private final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void corpus() {
        ddb = MotoServer.shared().dynamoDb();
        PostgresLogParser parser = new PostgresLogParser();
        groups = new ArrayList<>();
        for (LogEvent e : Corpus.asEvents(Corpus.fresh("postgresql.log"), 1)) {
            if (!groups.isEmpty() && COMPANIONS.contains(parser.parse(e.message()).severity())) {
                groups.get(groups.size() - 1).add(e);
            } else {
                groups.add(new ArrayList<>(List.of(e)));
            }
        }
    }

    @AfterEach
    void close() {
        writers.forEach(BatchWriter::close);
    }

    /** A clock the test moves: the delivery's moment for the forwarder's bumper and roller. */
    private static final class Simulated extends Clock {
        private volatile Instant now;

        Simulated(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * Events of at least {@code count} entries (whole corpus groups, from the {@code first}-th on, round the corpus)
     * spread evenly over {@code windowMillis} from {@code base}, an entry and its companion lines at one millisecond;
     * each line's own time rewritten to its event's second (the forwarder takes the event's milliseconds within it);
     * event ids in order, salted, so each event is new.
     */
    private static List<LogEvent> spread(int[] next, int count, Instant base, long windowMillis, int salt) {
        List<List<LogEvent>> taken = new ArrayList<>();
        int entries = 0;
        while (entries < count) {
            List<LogEvent> g = groups.get(next[0]++ % groups.size());
            taken.add(g);
            entries += g.size();
        }
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            long millis = base.toEpochMilli() + i * windowMillis / taken.size();
            String stamp = STAMP.format(Instant.ofEpochMilli(millis));
            for (LogEvent e : taken.get(i)) {
                Matcher m = TIME.matcher(e.message());
                out.add(new LogEvent(String.format("%019d%05d%032d", millis, salt, next[1]++), millis,
                        m.find() ? e.message().substring(0, m.start()) + stamp + e.message().substring(m.end())
                                : e.message()));
            }
        }
        return out;
    }

    /** The live path with summaries off, as {@code pglogs local} wires it, its bumper (and roller) on {@code clock}. */
    private Forwarder forwarder(String table, StorageFormat format, Clock clock, Roller roller) {
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, 90, new Redactor());
        BatchWriter writer = new BatchWriter(ddb, table, 4);
        writers.add(writer);
        return new Forwarder(new PostgresLogParser(), items, format == StorageFormat.COMPACT
                ? new CompactItems(ItemContract.DEFAULT_SHARDS) : null, writer, new CatalogWriter(ddb, table, items),
                logged::add, null, Rollups.live(new RollupBumper(ddb, table, clock), roller));
    }

    private Roller roller(String table, Clock clock) {
        Roller roller = new Roller(ddb, table, ItemContract.DEFAULT_SHARDS, clock, logged::add, Roller.Source.ENTRIES);
        // Partial passes for this instance though its spans count fewer entries than a busy instance's (2,500).
        roller.busyFrom(0);
        return roller;
    }

    /** Delivers {@code events} in payloads, each stored {@link #DELIVERY} after its last entry; the bumps made. */
    private static int deliver(Forwarder forwarder, Simulated clock, List<LogEvent> events) throws Exception {
        int bumped = 0;
        for (int i = 0; i < events.size(); i += PAYLOAD) {
            List<LogEvent> payload = events.subList(i, Math.min(events.size(), i + PAYLOAD));
            Instant at = Instant.ofEpochMilli(payload.get(payload.size() - 1).timestamp()).plus(DELIVERY);
            if (at.isAfter(clock.instant())) {
                clock.set(at);
            }
            ForwardResult r = forwarder.forward(SubscriptionPayload.ofEvents(null, GROUP, INSTANCE + ".0", payload),
                    Deadline.after(Duration.ofMinutes(1)));
            assertEquals(payload.size(), r.written());
            bumped += r.bumped();
        }
        return bumped;
    }

    /** The slices of the table by start, as "HH:MM-HH:MM gen", the gens given. */
    private static List<String> slices(String table, Set<Long> gens) {
        TreeSet<String> out = new TreeSet<>();
        for (Map<String, AttributeValue> s : LogTables.slices(ddb, table)) {
            long gen = Long.parseLong(s.get(ItemContract.GEN).n());
            if (gens.contains(gen)) {
                out.add(s.get(ItemContract.SK).s().substring(11, 16) + "-" + s.get(ItemContract.UNTIL).s()
                        .substring(11, 16) + " " + gen);
            }
        }
        return new ArrayList<>(out);
    }

    /** Each span's rollup item ({@code sk} to the item), stubs too. */
    private static Map<String, Map<String, AttributeValue>> rollups(String table) {
        Map<String, Map<String, AttributeValue>> out = new java.util.TreeMap<>();
        LogTables.rollups(ddb, table).forEach(r -> out.put(r.get(ItemContract.SK).s(), r));
        return out;
    }

    /**
     * The valid slices as the schema defines them (of their span's rollup gen, 0 without one; none expiring soon):
     * the oracle {@link SliceReportTest#expectedSlices} counts with, beside the spans without a valid rollup.
     */
    private static List<Map<String, AttributeValue>> validSlices(String table) {
        Map<String, Map<String, AttributeValue>> rollups = rollups(table);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (Map<String, AttributeValue> s : LogTables.slices(ddb, table)) {
            Instant span = SliceReportTest.spanStart(Instant.parse(SliceReportTest.sk(s)));
            Map<String, AttributeValue> r = rollups.get(ItemContract.isoMillis(span));
            long gen = r == null ? 0 : Long.parseLong(r.get(ItemContract.GEN).n());
            if (Long.parseLong(s.get(ItemContract.GEN).n()) == gen) {
                out.add(s);
            }
        }
        return out;
    }

    private static Set<Instant> withoutValidRollup(String table, List<Instant> spans) {
        Map<String, Map<String, AttributeValue>> rollups = rollups(table);
        Set<Instant> out = new java.util.HashSet<>();
        for (Instant span : spans) {
            Map<String, AttributeValue> r = rollups.get(ItemContract.isoMillis(span));
            if (r == null || !r.containsKey(ItemContract.SUMMARY) || r.get(ItemContract.STALE).bool()) {
                out.add(span);
            }
        }
        return out;
    }

    /**
     * Each window's report equal to the one from entries, the slices that must serve used (as many as the oracle
     * says, at least {@code atLeast[i]}), and fewer items read than from entries; the figures printed.
     */
    private static void assertReports(TestCli cli, String table, StorageFormat format, List<Instant> spans,
                                      List<Window> windows, int[] atLeast, String phase) throws Exception {
        List<Map<String, AttributeValue>> valid = validSlices(table);
        Set<Instant> notRolled = withoutValidRollup(table, spans);
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            JsonNode[] docs = SliceReportTest.assertSameReports(cli, w);
            JsonNode sources = docs[0].path("overview").path("sources");
            long used = SliceReportTest.slices(docs[0]);
            assertEquals(SliceReportTest.expectedSlices(w, valid, notRolled), used, phase + ", " + w.name() + ": "
                    + sources);
            assertTrue(used >= atLeast[i], phase + ", " + w.name() + ": slices serve: " + sources);
            long withSlices = SliceReportTest.itemsRead(docs[0]);
            long fromEntries = SliceReportTest.itemsRead(docs[1]);
            System.out.printf("%s, %s, %s: items read %d (%d slices, %d rollups, %d entries read) vs %d from entries"
                    + " (--no-summaries), %d entries%n", format, phase, w.name(), withSlices, used,
                    sources.path("rollups").asLong(), sources.path("read").asLong(), fromEntries,
                    docs[1].path("overview").path("entries").asLong());
            assertTrue(withSlices < fromEntries, phase + ", " + w.name() + ": " + withSlices + " items read vs "
                    + fromEntries);
        }
    }

    @ParameterizedTest
    @EnumSource(StorageFormat.class)
    void theRollersSlicesAndRollupsGiveTheReportFromEntries(StorageFormat format) throws Exception {
        Instant base = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(10, 0).toInstant(ZoneOffset.UTC);
        List<Instant> spans = new ArrayList<>();
        int[] next = {0, 0};
        List<LogEvent> events = new ArrayList<>();
        for (int s = 0; s < UNITS.length; s++) {
            spans.add(base.plusMillis(s * ItemContract.COMPACT_SPAN_MILLIS));
            for (int u = 0; u < UNITS[s].length; u++) {
                boolean last = s == UNITS.length - 1 && u == UNITS[s].length - 1;
                events.addAll(spread(next, UNITS[s][u], spans.get(s).plusMillis(u * UNIT), last ? 60_000 : UNIT, 1));
            }
        }
        String table = format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, "slice-roll")
                : LogTables.create(ddb, "slice-roll");
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("false")));

        // The live path: each payload stored, then bumped if late (none is), then rolled, at its delivery's moment.
        Simulated clock = new Simulated(base);
        Roller live = roller(table, clock);
        assertEquals(0, deliver(forwarder(table, format, clock, live), clock, events), "delivered promptly");
        Instant now = spans.get(3).plusSeconds(9 * 60 + 10);
        assertTrue(!clock.instant().isAfter(now), clock.instant().toString());
        clock.set(now);
        for (int call = 0; call < 3; call++) {
            live.rollUp(INSTANCE, now, Deadline.after(Duration.ofMinutes(1)));
        }
        assertTrue(LogTables.summaries(ddb, table).isEmpty(), "summaries off");
        assertEquals(List.of("10:00-10:02 0", "10:02-10:06 0", "10:06-10:10 0", "10:10-10:14 0", "10:14-10:18 0",
                "10:18-10:20 0", "10:30-10:32 0", "10:32-10:36 0"), slices(table, Set.of(0L, 1L, 2L)),
                "partial passes as units became due, close passes for the rest; the quiet span unsliced");
        Map<String, Map<String, AttributeValue>> rolled = rollups(table);
        assertEquals(List.of(0, 1, 2).stream().map(s -> ItemContract.isoMillis(spans.get(s))).toList(),
                new ArrayList<>(rolled.keySet()), "closed spans rolled up, the open one has no rollup item (gen 0)");
        rolled.values().forEach(r -> {
            assertFalse(r.get(ItemContract.STALE).bool(), r.toString());
            assertEquals(ItemContract.ROLLED_FROM_ENTRIES, r.get(ItemContract.ROLLED_FROM).s());
        });
        assertTrue(logged.isEmpty(), logged.toString());

        TestCli cli = new TestCli();
        cli.env.putAll(MotoServer.shared().childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        Instant s0 = spans.get(0);
        Instant s1 = spans.get(1);
        // Edges inside slices (10:02-10:06 and 10:14-10:18) of spans the window cuts: 10:06-10:10 and 10:10-10:14
        // serve, the rest is read from entries, from the cut slices' floors.
        Window edges = new Window("edges cutting slices and spans", s0.plusSeconds(3 * 60 + 17),
                s1.plusSeconds(5 * 60 + 43));
        // From inside span 1's 10:14-10:18 to now: 10:18-10:20, the quiet span's rollup, the open span's two slices,
        // then its unrolled tail from entries, from 10:32-10:36's next floor.
        Window toNow = new Window("ending now in the open span", s1.plusSeconds(4 * 60 + 5), now);
        List<Window> windows = List.of(edges, toNow);
        assertReports(cli, table, format, spans, windows, new int[] {2, 3}, "rolled");

        // A late payload into span 1's first unit, sliced long ago, stored now (no roller in that invocation): its
        // writer bumps the span; its rollup is stale and its slices of gen 0 invalid until the re-roll.
        Forwarder late = forwarder(table, format, Clock.fixed(now, ZoneOffset.UTC), null);
        List<LogEvent> lateEvents = spread(next, 40, s1.plusSeconds(30), 60_000, 9);
        ForwardResult r = late.forward(SubscriptionPayload.ofEvents(null, GROUP, INSTANCE + ".1", lateEvents),
                Deadline.after(Duration.ofMinutes(1)));
        assertEquals(1, r.bumped(), "a late payload bumps its span");
        Map<String, AttributeValue> stale = rollups(table).get(ItemContract.isoMillis(s1));
        assertTrue(stale.get(ItemContract.STALE).bool());
        assertEquals("1", stale.get(ItemContract.GEN).n());
        assertReports(cli, table, format, spans, windows, new int[] {1, 2}, "late, before the re-roll");

        // Another container's roller (the first does not know of that bump) rolls span 1 again once it was quiet for
        // a unit after the bump: a new chain of gen 1, the late entries in its first slice; gen 0's 10:18-10:20 is
        // left, not used.
        assertEquals(0, roller(table, Clock.fixed(now, ZoneOffset.UTC)).rollUp(INSTANCE, now,
                Deadline.after(Duration.ofMinutes(1))), "bumped a moment ago: left alone");
        Instant quiet = now.plusMillis(Roller.QUIET_MILLIS);
        assertEquals(1, roller(table, Clock.fixed(quiet, ZoneOffset.UTC)).rollUp(INSTANCE, quiet,
                Deadline.after(Duration.ofMinutes(1))));
        assertEquals(List.of("10:10-10:14 1", "10:14-10:20 1"), slices(table, Set.of(1L)));
        assertEquals(List.of("10:18-10:20 0"), slices(table, Set.of(0L)).stream().filter(s -> s.startsWith("10:1"))
                .toList());
        assertReports(cli, table, format, spans, windows, new int[] {2, 2}, "late, re-rolled");
        assertTrue(logged.isEmpty(), logged.toString());
    }
}
