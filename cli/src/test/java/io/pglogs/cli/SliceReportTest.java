package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.cli.query.ReportReader;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.report.ReportBuilder;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 26 part 4, D: on a day not summarised, the spans without a complete rollup are counted from their valid
 * slices and read from entries only where no slice lies wholly in the window, from the slices' floors; the report
 * equals the report from entries ({@code --no-summaries}) number for number, and reads fewer items. A real server's
 * corpus is imported (summaries off) in pieces a minute apart, so every slice unit holds entries; the roller rolls
 * every span from entries; then, as late writes and the open span leave them: span 1 bumped after its chain of gen 1
 * was rolled, with a chain of the new gen beside it (other cuts: old slices overlap new ones); span 2 bumped with only
 * old slices (stale); span 3 complete, with a chain of its gen, one slice expiring; the last span without any rollup
 * item (gen 0), its first units sliced by a partial pass (the open span). Slices are written by {@link SliceFixture}
 * with the roller's encoding. Windows whose edges cut slices and spans, lie on slice boundaries, and end inside the
 * open span past its chain.
 */
@Tag("integration")
class SliceReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMPANIONS = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY",
            "LOCATION");
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final Duration SPREAD = Duration.ofSeconds(1);
    private static final Pattern TIME = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(\\.\\d{3})? UTC");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final long UNIT = ItemContract.SLICE_UNIT_MILLIS;
    /** The instance every report here is of (SliceRollerReportTest writes it too). */
    static final String INSTANCE = "slice-db";
    private static MotoServer moto;
    private static DynamoDbClient ddb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void moto() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    /** A report's window, named for the messages (SliceRollerReportTest uses these helpers too). */
    record Window(String name, Instant from, Instant until) {
        boolean holds(Instant a, Instant endExclusive) {
            return !a.isBefore(from) && !endExclusive.minusMillis(1).isAfter(until);
        }
    }

    @ParameterizedTest(name = "{0} stored as {1}")
    @CsvSource({"postgresql.log, compact", "postgresql.csv, compact", "postgresql.log, entries",
            "postgresql.json, entries"})
    void slicesAndRollupsGiveTheReportFromEntriesAndReadLess(String file, String format) throws Exception {
        List<List<LogFileSplitter.RawEntry>> pieces = movedPieces(file);
        List<Instant> times = pieces.stream().flatMap(List::stream).map(SliceReportTest::time)
                .filter(Objects::nonNull).toList();
        Instant first = times.stream().min(Instant::compareTo).orElseThrow();
        Instant last = times.stream().max(Instant::compareTo).orElseThrow();
        assertEquals(first.atOffset(ZoneOffset.UTC).toLocalDate(), last.atOffset(ZoneOffset.UTC).toLocalDate(),
                "one UTC day (the corpus is made minutes ago; run again after midnight)");
        TreeSet<Instant> spanSet = new TreeSet<>();
        times.forEach(t -> spanSet.add(spanStart(t)));
        List<Instant> spans = new ArrayList<>(spanSet);
        assertTrue(spans.size() >= 6, "six spans or more: " + spans);

        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "slice") : LogTables.create(ddb,
                "slice");
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("false")));
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        List<String> args = new ArrayList<>(List.of("import", "--no-rollup", "--instance", INSTANCE));
        for (int i = 0; i < pieces.size(); i++) {
            Path piece = tmp.resolve("part" + i + "-" + file);
            StringBuilder text = new StringBuilder();
            pieces.get(i).forEach(e -> text.append(e.text()).append('\n'));
            Files.writeString(piece, text, StandardCharsets.UTF_8);
            args.add(piece.toString());
        }
        TestCli.Result imported = cli.run(args.toArray(String[]::new));
        assertEquals(0, imported.code(), imported.toString());
        assertTrue(LogTables.summaries(ddb, table).isEmpty(), "summaries off");
        assertEquals(spans.size(), roll(table, spans), "a rollup per span, from entries");

        // Late writes and the open span, as the writers and the roller leave them.
        Instant s1 = spans.get(1);
        Instant s2 = spans.get(2);
        Instant s3 = spans.get(3);
        Instant lastUnit = Instant.ofEpochMilli(Math.floorDiv(last.toEpochMilli(), UNIT) * UNIT);
        boolean lastRoomy = lastUnit.isAfter(spans.get(spans.size() - 1).plusMillis(UNIT));
        Instant open = spans.get(spans.size() - (lastRoomy ? 1 : 2));
        Instant readyEnd = lastRoomy ? lastUnit : open.plusMillis(3 * UNIT);
        bump(table, s1);
        bump(table, s2);
        ddb.deleteItem(b -> b.tableName(table).key(ItemContract.rollupKey(INSTANCE, open)));
        Map<String, AttributeValue> openItem = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(ItemContract.rollupKey(INSTANCE, open))).item();
        assertTrue(openItem == null || openItem.isEmpty(), "the open span has no rollup item: gen 0");

        SliceFixture fixture = new SliceFixture(ddb, table, ItemContract.DEFAULT_SHARDS, INSTANCE);
        Instant now = Instant.now();
        List<Map<String, AttributeValue>> written = new ArrayList<>();
        // Span 1: a chain of its gen after the bump (a re-roll).
        List<Map<String, AttributeValue>> s1Chain = fixture.write(s1, s1.plusMillis(SPAN), gen(table, s1), 70, now);
        written.addAll(s1Chain);
        assertTrue(s1Chain.size() >= 2, "span 1 in several slices: " + s1Chain.size());
        // Span 3: complete (its rollup valid) with a chain of its gen, one slice expiring.
        List<Map<String, AttributeValue>> s3Chain = fixture.write(s3, s3.plusMillis(SPAN), gen(table, s3), 30, now);
        written.addAll(s3Chain);
        assertTrue(s3Chain.size() >= 3, "span 3 in several slices: " + s3Chain.size());
        fixture.expire(s3Chain.get(1));
        // The open span: no rollup item, its first units sliced by a partial pass.
        List<Map<String, AttributeValue>> openChain = fixture.write(open, readyEnd, 0, 30, now);
        written.addAll(openChain);
        assertFalse(openChain.isEmpty(), "the open span's first units sliced");
        Instant chainEnd = Instant.parse(openChain.get(openChain.size() - 1).get(ItemContract.UNTIL).s());

        List<Map<String, AttributeValue>> valid = new ArrayList<>(s1Chain);
        valid.add(s3Chain.get(0));
        valid.addAll(s3Chain.subList(2, s3Chain.size()));
        valid.addAll(openChain);
        Set<Instant> notRolled = Set.of(s1, s2, open);
        Instant s3Last = Instant.parse(sk(s3Chain.get(s3Chain.size() - 1)));
        List<Window> windows = List.of(
                new Window("whole", first.minusSeconds(60), last.plusSeconds(60)),
                new Window("edges cutting slices and spans", Instant.parse(sk(s1Chain.get(0))).plusSeconds(67),
                        s3Last.plusSeconds(43)),
                new Window("edges on slice boundaries", Instant.parse(sk(s1Chain.get(1))),
                        Instant.parse(s3Chain.get(1).get(ItemContract.UNTIL).s()).minusMillis(1)),
                new Window("ending inside the open span", s1, chainEnd.plusSeconds(50)));

        Map<String, JsonNode> with = new LinkedHashMap<>();
        Map<String, Long> scannedWith = new LinkedHashMap<>();
        for (Window w : windows) {
            JsonNode doc = assertSameReport(cli, w);
            assertEquals(expectedSlices(w, valid, notRolled), slices(doc), w.name() + ": "
                    + doc.path("overview").path("sources"));
            assertTrue(slices(doc) > 0, w.name() + ": slices used " + doc.path("overview").path("sources"));
            with.put(w.name(), doc);
            scannedWith.put(w.name(), entryItemsScanned(table, format, w));
        }
        assertTrue(with.get("ending inside the open span").path("overview").path("sources").path("read").asLong() > 0,
                "past the open span's chain: from entries");

        // Slices of the gens before the bumps: span 1's cut smaller (those not at the new chain's starts remain,
        // overlapping it), span 2's alone (stale). Neither is used; the reports do not change.
        List<Map<String, AttributeValue>> old = fixture.write(s1, s1.plusMillis(SPAN), gen(table, s1) - 1, 30, now);
        assertTrue(old.stream().anyMatch(o -> s1Chain.stream().noneMatch(n -> sk(n).equals(sk(o)))),
                "old slices beside the new chain, cut otherwise: " + old.size());
        List<Map<String, AttributeValue>> stale = fixture.write(s2, s2.plusMillis(SPAN), gen(table, s2) - 1, 30, now);
        assertFalse(stale.isEmpty(), "stale slices");
        written.addAll(old);
        written.addAll(stale);
        for (Window w : windows.subList(0, 2)) {
            JsonNode doc = assertSameReport(cli, w);
            assertEquals(slices(with.get(w.name())), slices(doc), w.name() + ": " + doc.path("overview")
                    .path("sources"));
            assertEquals(with.get(w.name()).path("overview").path("sources"), doc.path("overview").path("sources"));
        }

        // A slice whose summary cannot be decoded (damaged): its times are read from entries, nothing else changes.
        Map<String, AttributeValue> damaged = s1Chain.get(s1Chain.size() - 1);
        ddb.updateItem(b -> b.tableName(table).key(key(damaged)).updateExpression("SET #s = :junk")
                .expressionAttributeNames(Map.of("#s", ItemContract.SUMMARY))
                .expressionAttributeValues(Map.of(":junk", AttributeValue.fromB(SdkBytes.fromByteArray(
                        new byte[] {1, 2, 3, 4})))));
        Window whole = windows.get(0);
        assertEquals(expectedSlices(whole, valid, notRolled) - 1, slices(assertSameReport(cli, whole)),
                "the damaged slice read from entries");

        // A window of whole spans counted from rollups leaves no stretch: no slice Query (the catalogue's and the
        // rollups' only).
        JsonNode aligned = assertSameReport(cli, new Window("span 0 whole", spans.get(0),
                spans.get(0).plusMillis(SPAN - 1)));
        assertEquals(1, aligned.path("overview").path("sources").path("rollups").asLong(), aligned.toString());
        assertEquals(2, aligned.path("read").path("queries").asLong(), "no slice Query: " + aligned.path("read"));

        // A day an older pglogs wrote to (its catalogue write drops the rollups flag): no rollup and no slice read.
        Map<String, AttributeValue> catalogue = Map.of(ItemContract.PK, AttributeValue.fromS(ItemContract.catalogKey(
                first.atOffset(ZoneOffset.UTC).toLocalDate())), ItemContract.SK, AttributeValue.fromS(INSTANCE));
        ddb.updateItem(b -> b.tableName(table).key(catalogue).updateExpression("REMOVE #r")
                .expressionAttributeNames(Map.of("#r", ItemContract.ROLLUPS_OK)));
        JsonNode unflagged = assertSameReport(cli, whole);
        assertEquals(0, slices(unflagged) + unflagged.path("overview").path("sources").path("rollups").asLong(),
                unflagged.path("overview").path("sources").toString());
        ddb.updateItem(b -> b.tableName(table).key(catalogue).updateExpression("SET #r = :t")
                .expressionAttributeNames(Map.of("#r", ItemContract.ROLLUPS_OK))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));

        // The same windows without any slice item: the reports as before slices, which read more.
        written.forEach(item -> ddb.deleteItem(b -> b.tableName(table).key(key(item))));
        for (Window w : windows) {
            JsonNode doc = assertSameReport(cli, w);
            assertEquals(0, slices(doc), w.name());
            long scanned = entryItemsScanned(table, format, w);
            JsonNode sliced = with.get(w.name());
            System.out.printf("%s as %s, %s: items read %d with %d slices, %d without; entry items scanned %d with,"
                    + " %d without (%s)%n", file, format, w.name(), itemsRead(sliced), slices(sliced), itemsRead(doc),
                    scannedWith.get(w.name()), scanned, sliced.path("overview").path("sources"));
            assertTrue(itemsRead(sliced) < itemsRead(doc), w.name() + ": slices read less: " + itemsRead(sliced)
                    + " items vs " + itemsRead(doc));
            assertTrue(scannedWith.get(w.name()) < scanned, w.name() + ": fewer entry items: "
                    + scannedWith.get(w.name()) + " vs " + scanned);
        }
    }

    /**
     * The valid slices a report of the window uses: those lying wholly inside it, but in a span it counts from its
     * rollup (one not late-written nor open, wholly inside the window).
     */
    static long expectedSlices(Window w, List<Map<String, AttributeValue>> valid, Set<Instant> notRolled) {
        return valid.stream().filter(s -> {
            Instant a = Instant.parse(sk(s));
            Instant span = spanStart(a);
            boolean fromRollup = !notRolled.contains(span) && w.holds(span, span.plusMillis(SPAN));
            return w.holds(a, Instant.parse(s.get(ItemContract.UNTIL).s())) && !fromRollup;
        }).count();
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of(ItemContract.PK, item.get(ItemContract.PK), ItemContract.SK, item.get(ItemContract.SK));
    }

    static String sk(Map<String, AttributeValue> item) {
        return item.get(ItemContract.SK).s();
    }

    private static long gen(String table, Instant span) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(ItemContract.rollupKey(INSTANCE, span))).item();
        return Long.parseLong(item.get(ItemContract.GEN).n());
    }

    /** The roller from entries, its clock stepped a span at a time past every span. */
    private static int roll(String table, List<Instant> spans) {
        Instant lastDue = spans.get(spans.size() - 1).plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS);
        Roller roller = new Roller(ddb, table, ItemContract.DEFAULT_SHARDS, Clock.fixed(lastDue, ZoneOffset.UTC),
                line -> { }, Roller.Source.ENTRIES);
        int rolled = 0;
        for (Instant now = spans.get(0).plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS); !now.isAfter(lastDue);
                now = now.plusMillis(SPAN)) {
            for (int call = 0; call < 5; call++) {
                rolled += roller.rollUp(INSTANCE, now, Deadline.after(Duration.ofMinutes(1)));
            }
        }
        return rolled;
    }

    /** Marks the span's rollup stale and adds 1 to its gen, as a late payload's writer does. */
    private static void bump(String table, Instant span) {
        ddb.updateItem(b -> b.tableName(table).key(ItemContract.rollupKey(INSTANCE, span))
                .updateExpression("SET #s = :t ADD #g :one")
                .expressionAttributeNames(Map.of("#s", ItemContract.STALE, "#g", ItemContract.GEN))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":one",
                        AttributeValue.fromN("1"))));
    }

    static JsonNode report(TestCli cli, Window w, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--instance", INSTANCE, "--since", w.from().toString(),
                "--until", w.until().toString(), "--top", "100", "--max-fingerprints", "10000", "-o", "json"));
        args.addAll(List.of(more));
        TestCli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return JSON.readTree(r.out());
    }

    /** The report from rollups, slices and entries, equal to the one from entries but for its sources; the document. */
    static JsonNode assertSameReport(TestCli cli, Window w) throws Exception {
        return assertSameReports(cli, w)[0];
    }

    /**
     * {@link #assertSameReport}; both documents whole: the report from rollups, slices and entries, and the one from
     * entries ({@code --no-summaries}), for their {@code read} figures.
     */
    static JsonNode[] assertSameReports(TestCli cli, Window w) throws Exception {
        JsonNode fromItems = report(cli, w);
        JsonNode entries = report(cli, w, "--no-summaries");
        JsonNode sources = fromItems.path("overview").path("sources");
        assertEquals(entries.path("overview").path("entries").asLong(), sources.path("summarised").asLong()
                + sources.path("read").asLong(), w.name() + ": " + sources);
        JsonNode[] docs = {fromItems.deepCopy(), entries.deepCopy()};
        for (JsonNode d : List.of(fromItems, entries)) {
            ((ObjectNode) d.path("overview")).remove("sources");
            ((ObjectNode) d).remove("read");
        }
        assertTrue(entries.path("overview").path("entries").asLong() > 0, w.name() + ": the window holds entries");
        assertEquals(entries.toPrettyString(), fromItems.toPrettyString(), w.name() + ": as from entries");
        return docs;
    }

    static long slices(JsonNode doc) {
        return doc.path("overview").path("sources").path("slices").asLong();
    }

    static long itemsRead(JsonNode doc) {
        return doc.path("read").path("items_read").asLong();
    }

    /** The entry items a report of the window scans (its Queries of entries alone), read as the CLI reads. */
    static long entryItemsScanned(String table, String format, Window w) {
        try (ReportReader reader = new ReportReader(ddb, table, new TableLayout(ItemContract.DEFAULT_SHARDS,
                StorageFormat.of(format)), 4)) {
            reader.read(List.of(INSTANCE), w.from(), w.until(), new ReportBuilder.Options(100, 10_000),
                    Instant.now(), (day, entries, share) -> { });
            return reader.entryStats().scanned();
        }
    }

    static Instant spanStart(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), SPAN) * SPAN);
    }

    private static Instant time(LogFileSplitter.RawEntry e) {
        return PARSER.parse(e.text()).timestamp();
    }

    /** Cuts of about {@code size} entries, never before a companion line. */
    private static List<List<LogFileSplitter.RawEntry>> pieces(List<LogFileSplitter.RawEntry> entries, int[] sizes) {
        List<List<LogFileSplitter.RawEntry>> out = new ArrayList<>();
        int at = 0;
        for (int n = 0; at < entries.size(); n++) {
            int end = Math.min(entries.size(), at + sizes[n % sizes.length]);
            while (end < entries.size() && COMPANIONS.contains(PARSER.parse(entries.get(end).text()).severity())) {
                end++;
            }
            out.add(entries.subList(at, end));
            at = end;
        }
        return out;
    }

    /** The entry with every "YYYY-MM-DD HH:MM:SS[.mmm] UTC" in it moved by {@code by} (stderr, csvlog, jsonlog). */
    private static LogFileSplitter.RawEntry moved(LogFileSplitter.RawEntry e, Duration by) {
        Matcher m = TIME.matcher(e.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String at = LocalDateTime.parse(m.group(1), SECONDS).plus(by).format(SECONDS);
            m.appendReplacement(out, Matcher.quoteReplacement(at + (m.group(2) == null ? "" : m.group(2)) + " UTC"));
        }
        m.appendTail(out);
        return new LogFileSplitter.RawEntry(e.byteOffset(), e.lineNumber(), out.toString());
    }

    /**
     * The corpus cut in pieces, three times over, each piece moved {@link #STEP} after the one before and spread
     * {@link #SPREAD} a line: every two-minute slice unit gets two pieces or so (some straddle a unit or span
     * boundary), a span about 200 entries. The rounds' files differ in name, so their entries in event id.
     */
    private static List<List<LogFileSplitter.RawEntry>> movedPieces(String file) {
        List<List<LogFileSplitter.RawEntry>> pieces = new ArrayList<>();
        List<List<LogFileSplitter.RawEntry>> cut = pieces(Corpus.fresh(file), new int[] {17, 29, 11, 23});
        for (int round = 0; round < 3; round++) {
            for (List<LogFileSplitter.RawEntry> entries : cut) {
                List<LogFileSplitter.RawEntry> piece = new ArrayList<>();
                Duration by = STEP.multipliedBy(pieces.size()).minus(SPREAD);
                for (LogFileSplitter.RawEntry e : entries) {
                    if (!COMPANIONS.contains(PARSER.parse(e.text()).severity())) {
                        by = by.plus(SPREAD);
                    }
                    piece.add(moved(e, by));
                }
                pieces.add(piece);
            }
        }
        return pieces;
    }
}
