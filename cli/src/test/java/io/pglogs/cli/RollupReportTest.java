package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.cli.query.ReportReader;
import io.pglogs.cli.query.TableLayout;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Issue 26 parts 2 and 3: a report counting closed spans from their rollups equals the report from every entry,
 * number for number (only {@code overview.sources} and {@code read} differ), on a real server's corpus in each log
 * format and storage format, against moto. The corpus (a few seconds of a real server) is imported in pieces moved
 * apart in time so it covers several ten-minute spans (some pieces straddle a span boundary), then the forwarder's
 * {@link Roller} runs with a clock past the spans (import bumped every span it wrote, as the CLI paths do: the
 * roller's conditional put on that generation succeeds). A stale rollup is not used; a span the window cuts is read
 * from its summaries; a rollup of summaries is not used on a day not marked summarised. With summaries off the
 * roller rolls from entries and the report uses those rollups on the unsummarised day. A window whose edges cut
 * payloads reads a compact table's edge entries from the first item that may hold one, not from the span's start.
 */
@Tag("integration")
class RollupReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMPANIONS = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY",
            "LOCATION");
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    /** How far each piece is moved after the one before it: a few pieces a span, 4 to 8 spans in all. */
    private static final Duration STEP = Duration.ofMinutes(4);
    /**
     * And each entry of a piece a second after the one before it (its companion lines with it): a payload then spans
     * several seconds even where times have whole seconds ({@code %t}), so a window can start or end inside one.
     */
    private static final Duration SPREAD = Duration.ofSeconds(1);
    private static final Pattern TIME = Pattern.compile("(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)(\\.\\d{3})? UTC");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static MotoServer moto;
    private static DynamoDbClient ddb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void moto() {
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    static TestCli cli(String table) {
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        return cli;
    }

    /** Cuts of about {@code size} entries, never before a companion line (as SummaryReportTest cuts). */
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
    static LogFileSplitter.RawEntry moved(LogFileSplitter.RawEntry e, Duration by) {
        Matcher m = TIME.matcher(e.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String at = LocalDateTime.parse(m.group(1), SECONDS).plus(by).format(SECONDS);
            m.appendReplacement(out, Matcher.quoteReplacement(at + (m.group(2) == null ? "" : m.group(2)) + " UTC"));
        }
        m.appendTail(out);
        return new LogFileSplitter.RawEntry(e.byteOffset(), e.lineNumber(), out.toString());
    }

    static Instant time(LogFileSplitter.RawEntry e) {
        return PARSER.parse(e.text()).timestamp();
    }

    record Window(Instant from, Instant until) {
    }

    static JsonNode report(TestCli cli, String instance, Window w, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--instance", instance, "--since", w.from().toString(),
                "--until", w.until().toString(), "--top", "100", "--max-fingerprints", "10000", "-o", "json"));
        args.addAll(List.of(more));
        TestCli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return JSON.readTree(r.out());
    }

    /** The report from rollups and summaries, equal to the one from entries but for its sources; the document. */
    static JsonNode assertSameReport(TestCli cli, String instance, Window w) throws Exception {
        JsonNode fromRollups = report(cli, instance, w);
        JsonNode entries = report(cli, instance, w, "--no-summaries");
        JsonNode sources = fromRollups.path("overview").path("sources");
        assertEquals(entries.path("overview").path("entries").asLong(), sources.path("summarised").asLong()
                + sources.path("read").asLong(), sources.toString());
        JsonNode doc = fromRollups.deepCopy();
        for (JsonNode d : List.of(fromRollups, entries)) {
            ((ObjectNode) d.path("overview")).remove("sources");
            ((ObjectNode) d).remove("read");
        }
        assertTrue(entries.path("overview").path("entries").asLong() > 0, "the window holds entries");
        assertEquals(entries.toPrettyString(), fromRollups.toPrettyString(), "from rollups as from entries");
        return doc;
    }

    static long rollups(JsonNode doc) {
        return doc.path("overview").path("sources").path("rollups").asLong();
    }

    static long itemsRead(JsonNode doc) {
        return doc.path("read").path("items_read").asLong();
    }

    static List<Map<String, AttributeValue>> rollupItems(String table) {
        return ddb.scanPaginator(b -> b.tableName(table)).items().stream().filter(ItemContract::isRollup).toList();
    }

    static Instant spanStart(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), SPAN) * SPAN);
    }

    /** A corpus imported in pieces into a new table: its pieces as imported, the spans they touch. */
    private record Imported(String table, TestCli cli, List<List<LogFileSplitter.RawEntry>> pieces,
                            TreeSet<Instant> spans, Instant first, Instant last) {
        Window whole() {
            return new Window(first.minusSeconds(60), last.plusSeconds(60));
        }

        Window aligned() {
            return new Window(spans.first(), spans.last().plusMillis(SPAN - 1));
        }

        long inside(Window w) {
            return spans.stream().filter(s -> !s.isBefore(w.from()) && !s.plusMillis(SPAN - 1).isAfter(w.until()))
                    .count();
        }
    }

    /** The corpus cut in pieces, each moved {@link #STEP} after the one before and spread {@link #SPREAD} a line. */
    static List<List<LogFileSplitter.RawEntry>> movedPieces(String file) {
        List<List<LogFileSplitter.RawEntry>> pieces = new ArrayList<>();
        List<List<LogFileSplitter.RawEntry>> cut = pieces(Corpus.fresh(file), new int[] {17, 29, 11, 23});
        for (int i = 0; i < cut.size(); i++) {
            List<LogFileSplitter.RawEntry> piece = new ArrayList<>();
            Duration by = STEP.multipliedBy(i).minus(SPREAD);
            for (LogFileSplitter.RawEntry e : cut.get(i)) {
                if (!COMPANIONS.contains(PARSER.parse(e.text()).severity())) {
                    by = by.plus(SPREAD);
                }
                piece.add(moved(e, by));
            }
            pieces.add(piece);
        }
        return pieces;
    }

    /**
     * Imports the corpus's pieces (one file each) into a new table of {@code format}, its writers' summaries on or off
     * (the table's {@code pglogs:summaries} tag), and checks the import left a stub for every span it wrote.
     */
    private Imported imported(String file, String format, boolean summaries) throws Exception {
        List<List<LogFileSplitter.RawEntry>> pieces = movedPieces(file);
        List<Instant> times = pieces.stream().flatMap(List::stream).map(RollupReportTest::time)
                .filter(Objects::nonNull).toList();
        Instant first = times.stream().min(Instant::compareTo).orElseThrow();
        Instant last = times.stream().max(Instant::compareTo).orElseThrow();
        assertEquals(first.atOffset(ZoneOffset.UTC).toLocalDate(), last.atOffset(ZoneOffset.UTC).toLocalDate(),
                "one UTC day (the corpus is made minutes ago; run again after midnight)");
        TreeSet<Instant> spans = new TreeSet<>();
        times.forEach(t -> spans.add(spanStart(t)));
        assertTrue(spans.size() >= 4, "several spans: " + spans);

        List<String> args = new ArrayList<>(List.of("import", "--no-rollup", "--instance", "roll-db"));
        for (int i = 0; i < pieces.size(); i++) {
            Path piece = tmp.resolve("part" + i + "-" + file);
            StringBuilder text = new StringBuilder();
            pieces.get(i).forEach(e -> text.append(e.text()).append('\n'));
            Files.writeString(piece, text, StandardCharsets.UTF_8);
            args.add(piece.toString());
        }
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "roll") : LogTables.create(ddb, "roll");
        if (!summaries) {
            String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
            ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("false")));
        }
        TestCli cli = cli(table);
        TestCli.Result imported = cli.run(args.toArray(String[]::new));
        assertEquals(0, imported.code(), imported.toString());
        assertEquals(summaries, !LogTables.summaries(ddb, table).isEmpty(), "summaries written: " + summaries);
        List<Map<String, AttributeValue>> stubs = rollupItems(table);
        assertEquals(spans.size(), stubs.size(), "import bumps every span it wrote: " + stubs);
        assertTrue(stubs.stream().allMatch(i -> !i.containsKey(ItemContract.SUMMARY)
                && i.get(ItemContract.STALE).bool()), "stubs only: " + stubs);
        return new Imported(table, cli, pieces, spans, first, last);
    }

    /**
     * The roller as the Lambda runs it, its clock stepped a span at a time past every span (it looks two hours back,
     * at most 3 spans a call): invocations after each span closed. Returns the rollups written.
     */
    private static int roll(Imported im, Roller.Source source) {
        Instant lastDue = im.spans().last().plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS);
        Roller roller = new Roller(ddb, im.table(), ItemContract.DEFAULT_SHARDS, Clock.fixed(lastDue, ZoneOffset.UTC),
                line -> { }, source);
        int rolled = 0;
        for (Instant now = im.spans().first().plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS);
                !now.isAfter(lastDue); now = now.plusMillis(SPAN)) {
            for (int call = 0; call < 5; call++) {
                rolled += roller.rollUp("roll-db", now, Deadline.after(Duration.ofMinutes(1)));
            }
        }
        return rolled;
    }

    /** Marks the span's rollup stale, as a late payload's writer does. */
    private static void bump(String table, Instant span) {
        ddb.updateItem(b -> b.tableName(table).key(ItemContract.rollupKey("roll-db", span))
                .updateExpression("SET #s = :t ADD #g :one")
                .expressionAttributeNames(Map.of("#s", ItemContract.STALE, "#g", ItemContract.GEN))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":one",
                        AttributeValue.fromN("1"))));
    }

    /**
     * A window whose start and end fall inside payloads (a piece's second time, and another's second time less a
     * millisecond), each in a span an earlier piece also wrote to: the items that piece's packings left there start
     * after the span's start and before the payload the edge cuts.
     */
    private static Window cuttingPayloads(Imported im) {
        Instant from = null;
        Instant until = null;
        for (int i = 1; i < im.pieces().size(); i++) {
            List<Instant> times = im.pieces().get(i).stream().map(RollupReportTest::time).filter(Objects::nonNull)
                    .distinct().sorted().toList();
            if (times.size() < 2 || !spanStart(times.get(0)).equals(spanStart(times.get(1)))) {
                continue;
            }
            Instant span = spanStart(times.get(0));
            boolean shared = im.pieces().subList(0, i).stream().flatMap(List::stream).map(RollupReportTest::time)
                    .filter(Objects::nonNull).anyMatch(t -> spanStart(t).equals(span));
            if (!shared) {
                continue;
            }
            if (from == null) {
                from = times.get(1);
            } else if (span.isAfter(spanStart(from).plusMillis(SPAN))) {
                until = times.get(1).minusMillis(1);
            }
        }
        assertNotNull(from, "a piece sharing its span with an earlier one");
        assertNotNull(until, "another, two spans or more after it");
        return new Window(from, until);
    }

    /** Items of the instance's entry partitions whose sort keys lie from the start of {@code t}'s span to {@code t}. */
    private static long itemsFromSpanStart(String table, Instant t) {
        String low = ItemContract.isoMillis(spanStart(t));
        String high = ItemContract.isoMillis(t) + "~";
        return LogTables.entries(ddb, table).stream().filter(i -> i.get(ItemContract.PK).s().startsWith("roll-db#"))
                .map(i -> i.get(ItemContract.SK).s()).filter(k -> k.compareTo(low) >= 0 && k.compareTo(high) <= 0)
                .count();
    }

    @ParameterizedTest(name = "{0} stored as {1}")
    @CsvSource({"postgresql.log, entries", "postgresql.log, compact", "postgresql.csv, entries",
            "postgresql.csv, compact", "postgresql.json, entries", "postgresql.json, compact"})
    void spansRolledUpGiveTheReportFromEntries(String file, String format) throws Exception {
        Imported im = imported(file, format, true);
        String table = im.table();
        TestCli cli = im.cli();
        TreeSet<Instant> spans = im.spans();

        Window whole = im.whole();
        JsonNode beforeRolling = assertSameReport(cli, "roll-db", whole);
        assertEquals(0, rollups(beforeRolling), "stubs are not used");

        assertEquals(spans.size(), roll(im, Roller.Source.SUMMARIES), "a rollup per span with summaries");
        assertEquals(spans.size(), rollupItems(table).stream().filter(i -> i.containsKey(ItemContract.SUMMARY)
                && !i.get(ItemContract.STALE).bool()).count());

        // Over the whole window (a minute either side of the entries): the spans it holds whole from their rollups.
        JsonNode withRollups = assertSameReport(cli, "roll-db", whole);
        assertEquals(im.inside(whole), rollups(withRollups), withRollups.path("overview").path("sources").toString());
        assertTrue(rollups(withRollups) > 0, "the inner spans: " + spans);
        System.out.printf("%s as %s: %d spans; whole window: %d items read before rolling up, %d after (%s)%n", file,
                format, spans.size(), itemsRead(beforeRolling), itemsRead(withRollups),
                withRollups.path("overview").path("sources"));
        assertTrue(itemsRead(withRollups) < itemsRead(beforeRolling), "rollups read less: "
                + itemsRead(withRollups) + " items vs " + itemsRead(beforeRolling) + " from summaries");

        // A window of whole spans: every span from its rollup, not a summary or entry read.
        Window aligned = im.aligned();
        JsonNode all = assertSameReport(cli, "roll-db", aligned);
        JsonNode allSources = all.path("overview").path("sources");
        assertEquals(spans.size(), rollups(all), allSources.toString());
        assertEquals(0, allSources.path("summaries").asLong(), allSources.toString());
        assertEquals(0, allSources.path("read").asLong(), allSources.toString());

        // A window cutting the second span in its middle: that span from its summaries (and edge entries).
        Instant second = spans.higher(spans.first());
        Window cutting = new Window(second.plus(Duration.ofMinutes(5)), aligned.until());
        JsonNode cut2 = assertSameReport(cli, "roll-db", cutting);
        assertEquals(spans.tailSet(second, false).size(), rollups(cut2), cut2.path("overview").path("sources")
                .toString());

        // A window whose edges cut payloads: the stretches those payloads have inside it are read from entries, and
        // in a compact table from the first item of the payloads cut (the summaries not used say where they start),
        // not from the span's start: fewer items than the span-start Queries' share alone.
        Window edges = cuttingPayloads(im);
        JsonNode edgeReport = assertSameReport(cli, "roll-db", edges);
        JsonNode edgeSources = edgeReport.path("overview").path("sources");
        assertTrue(edgeSources.path("read").asLong() > 0, "edge entries read: " + edgeSources);
        assertEquals(im.inside(edges), rollups(edgeReport), edgeSources.toString());
        long fromSpanStarts = itemsFromSpanStart(table, edges.from()) + itemsFromSpanStart(table, edges.until());
        long edgeItems = entryItemsScanned(table, format, edges);
        System.out.printf("%s as %s: window %s..%s cutting payloads: entry items scanned %d; Queries from the edge"
                + " spans' starts would scan at least %d%n", file, format, edges.from(), edges.until(), edgeItems,
                fromSpanStarts);
        if ("compact".equals(format)) {
            assertTrue(edgeItems < fromSpanStarts, "exact edges: " + edgeItems + " items scanned, from the spans'"
                    + " starts at least " + fromSpanStarts);
        }

        // A stale rollup (a late summary's writer bumped it) is not used: its span from its summaries.
        Instant third = spans.higher(second);
        bump(table, third);
        JsonNode stale = assertSameReport(cli, "roll-db", aligned);
        JsonNode staleSources = stale.path("overview").path("sources");
        assertEquals(spans.size() - 1, rollups(stale), staleSources.toString());
        assertTrue(staleSources.path("summaries").asLong() > 0, staleSources.toString());

        // The day no longer marked summarised (an older forwarder's or a summaries-off writer's catalogue write): a
        // rollup of summaries may lack entries no summary counts, so none is used; all from entries.
        ddb.updateItem(b -> b.tableName(table).key(Map.of(ItemContract.PK, AttributeValue.fromS(
                        ItemContract.catalogKey(im.first().atOffset(ZoneOffset.UTC).toLocalDate())),
                        ItemContract.SK, AttributeValue.fromS("roll-db")))
                .updateExpression("REMOVE #s").expressionAttributeNames(Map.of("#s", ItemContract.SUMMARISED)));
        JsonNode unmarked = assertSameReport(cli, "roll-db", aligned);
        JsonNode unmarkedSources = unmarked.path("overview").path("sources");
        assertEquals(0, rollups(unmarked), unmarkedSources.toString());
        assertEquals(0, unmarkedSources.path("summaries").asLong(), unmarkedSources.toString());
        assertTrue(unmarkedSources.toString().contains(io.pglogs.report.Sources.NOT_SUMMARISED),
                unmarkedSources.toString());
    }

    /** The entry items a report of the window scans (its Queries of entries alone), read as the CLI reads. */
    private static long entryItemsScanned(String table, String format, Window w) {
        try (ReportReader reader = new ReportReader(ddb, table, new TableLayout(ItemContract.DEFAULT_SHARDS,
                StorageFormat.of(format)), 4)) {
            reader.read(List.of("roll-db"), w.from(), w.until(), new ReportBuilder.Options(100, 10_000),
                    Instant.now(), (day, entries, share) -> { });
            return reader.entryStats().scanned();
        }
    }

    @ParameterizedTest(name = "{0} stored as {1}, summaries off")
    @CsvSource({"postgresql.log, compact", "postgresql.csv, compact", "postgresql.json, compact",
            "postgresql.log, entries"})
    void withSummariesOffSpansRolledUpFromEntriesGiveTheReportFromEntries(String file, String format)
            throws Exception {
        Imported im = imported(file, format, false);
        String table = im.table();
        TestCli cli = im.cli();
        TreeSet<Instant> spans = im.spans();
        Window whole = im.whole();
        JsonNode beforeRolling = assertSameReport(cli, "roll-db", whole);
        JsonNode beforeSources = beforeRolling.path("overview").path("sources");
        assertEquals(0, rollups(beforeRolling), beforeSources.toString());
        assertEquals(beforeRolling.path("overview").path("entries").asLong(), beforeSources.path("read").asLong(),
                "all from entries: " + beforeSources);

        assertEquals(spans.size(), roll(im, Roller.Source.ENTRIES), "a rollup per span with entries");
        List<Map<String, AttributeValue>> made = rollupItems(table);
        assertTrue(made.stream().allMatch(i -> i.containsKey(ItemContract.SUMMARY) && !i.get(ItemContract.STALE).bool()
                && ItemContract.ROLLED_FROM_ENTRIES.equals(i.get(ItemContract.ROLLED_FROM).s())), made.toString());

        // The day is not summarised (no summary was written): its rollups of entries count the spans inside.
        JsonNode withRollups = assertSameReport(cli, "roll-db", whole);
        JsonNode sources = withRollups.path("overview").path("sources");
        assertEquals(im.inside(whole), rollups(withRollups), sources.toString());
        assertTrue(rollups(withRollups) > 0, "the inner spans: " + spans);
        assertEquals(0, sources.path("summaries").asLong(), sources.toString());
        System.out.printf("%s as %s, summaries off: %d spans; whole window: %d items read before rolling up, %d after"
                + " (%s)%n", file, format, spans.size(), itemsRead(beforeRolling), itemsRead(withRollups), sources);
        assertTrue(itemsRead(withRollups) < itemsRead(beforeRolling), "rollups read less: "
                + itemsRead(withRollups) + " items vs " + itemsRead(beforeRolling) + " from entries");

        Window aligned = im.aligned();
        JsonNode all = assertSameReport(cli, "roll-db", aligned);
        JsonNode allSources = all.path("overview").path("sources");
        assertEquals(spans.size(), rollups(all), allSources.toString());
        assertEquals(0, allSources.path("read").asLong(), "nothing from entries: " + allSources);
        assertEquals(0, itemsRead(all) - rollupsAndCatalogue(table, aligned), "only rollups and the catalogue read");

        // Edges inside payloads: the spans they cut from entries, the others from their rollups.
        Window edges = cuttingPayloads(im);
        JsonNode edgeReport = assertSameReport(cli, "roll-db", edges);
        assertEquals(im.inside(edges), rollups(edgeReport), edgeReport.path("overview").path("sources").toString());

        // A late payload's writer bumped the third span: its rollup is stale, the span read from entries.
        Instant third = spans.higher(spans.higher(spans.first()));
        bump(table, third);
        JsonNode stale = assertSameReport(cli, "roll-db", aligned);
        JsonNode staleSources = stale.path("overview").path("sources");
        assertEquals(spans.size() - 1, rollups(stale), staleSources.toString());
        assertTrue(staleSources.path("read").asLong() > 0, staleSources.toString());
        assertTrue(staleSources.toString().contains(io.pglogs.report.Sources.NOT_SUMMARISED), staleSources.toString());
    }

    /**
     * Writers of an older pglogs (a CLI pinned in CI, the previous forwarder during a deploy) bump no rollup: their
     * entries and summaries written into a rolled span leave its rollup valid, and a reader trusting it would miss
     * them. Their catalogue write replaces the item without the {@code rollups} flag; from then on the instance-day
     * is read without rollups (from summaries where still marked summarised, else entries), and a later write of this
     * version does not bring the flag back.
     *
     * @param oldMark whether the older writer's item carries the summarised mark (the newest older version marks a
     *                day it finds marked; older ones never do)
     */
    @ParameterizedTest(name = "{0} stored as {1}, summaries {2}, older writer's mark {3}")
    @CsvSource({"postgresql.log, entries, true, false", "postgresql.csv, compact, true, true",
            "postgresql.json, compact, false, false", "postgresql.log, compact, true, true"})
    void anOlderWritersCatalogueWriteStopsTheDaysRollupsBeingRead(String file, String format, boolean summaries,
                                                                  boolean oldMark) throws Exception {
        Imported im = imported(file, format, summaries);
        String table = im.table();
        TestCli cli = im.cli();
        Map<String, AttributeValue> fresh = catalogueItem(table);
        assertTrue(flag(fresh, ItemContract.ROLLUPS_OK), "a new day gets the flag: " + fresh);
        assertEquals(summaries, flag(fresh, ItemContract.SUMMARISED), fresh.toString());
        assertEquals(im.spans().size(), roll(im, summaries ? Roller.Source.SUMMARIES : Roller.Source.ENTRIES));
        Window whole = im.whole();
        assertTrue(rollups(assertSameReport(cli, "roll-db", whole)) > 0, "rollups used");

        // An older writer's payload into rolled spans: its entries and summaries stored, no rollup bumped (the bumps
        // this version's import made are undone by putting the rollups back as they were).
        List<Map<String, AttributeValue>> rolled = rollupItems(table);
        List<LogFileSplitter.RawEntry> late = im.pieces().get(im.pieces().size() / 2).stream()
                .map(e -> moved(e, Duration.ofSeconds(2))).toList();
        TreeSet<Instant> lateSpans = new TreeSet<>();
        late.stream().map(RollupReportTest::time).filter(Objects::nonNull).forEach(t -> lateSpans.add(spanStart(t)));
        assertTrue(lateSpans.stream().allMatch(s -> im.spans().contains(s) && s.isAfter(im.spans().first())
                && s.isBefore(im.spans().last())), "into inner rolled spans: " + lateSpans);
        importPiece(cli, late, "late-" + file);
        rolled.forEach(i -> ddb.putItem(b -> b.tableName(table).item(i)));
        JsonNode trusting = report(cli, "roll-db", whole);
        long stored = report(cli, "roll-db", whole, "--no-summaries").path("overview").path("entries").asLong();
        assertTrue(rollups(trusting) > 0, "the catalogue still flagged: rollups used");
        assertTrue(trusting.path("overview").path("entries").asLong() < stored, "the valid rollups miss the "
                + "unbumped entries: " + trusting.path("overview").path("entries") + " of " + stored);

        // Its catalogue write: the item as older writers put it, without the flag (with the mark or not).
        Map<String, AttributeValue> old = new java.util.HashMap<>(catalogueItem(table));
        old.remove(ItemContract.ROLLUPS_OK);
        old.remove(ItemContract.SUMMARISED);
        if (oldMark) {
            old.put(ItemContract.SUMMARISED, AttributeValue.fromBool(true));
        }
        ddb.putItem(b -> b.tableName(table).item(old));
        JsonNode withoutRollups = assertSameReport(cli, "roll-db", whole);
        JsonNode sources = withoutRollups.path("overview").path("sources");
        assertEquals(0, rollups(withoutRollups), sources.toString());
        assertEquals(oldMark, sources.path("summaries").asLong() > 0, "summaries read where still marked: " + sources);

        // This version writes the day again (bumping, rolled up again): the flag stays off, no rollup is read.
        importPiece(cli, im.pieces().get(1).stream().map(e -> moved(e, Duration.ofSeconds(3))).toList(),
                "again-" + file);
        assertTrue(roll(im, summaries ? Roller.Source.SUMMARIES : Roller.Source.ENTRIES) > 0, "rolled up again");
        Map<String, AttributeValue> after = catalogueItem(table);
        assertFalse(after.containsKey(ItemContract.ROLLUPS_OK), "never re-added: " + after);
        assertEquals(oldMark, flag(after, ItemContract.SUMMARISED), "the mark kept as found: " + after);
        JsonNode again = assertSameReport(cli, "roll-db", whole);
        assertEquals(0, rollups(again), again.path("overview").path("sources").toString());
    }

    private void importPiece(TestCli cli, List<LogFileSplitter.RawEntry> piece, String name) throws Exception {
        Path path = tmp.resolve(name);
        StringBuilder text = new StringBuilder();
        piece.forEach(e -> text.append(e.text()).append('\n'));
        Files.writeString(path, text, StandardCharsets.UTF_8);
        TestCli.Result r = cli.run("import", "--no-rollup", "--instance", "roll-db", path.toString());
        assertEquals(0, r.code(), r.toString());
    }

    private static Map<String, AttributeValue> catalogueItem(String table) {
        List<Map<String, AttributeValue>> items = LogTables.catalog(ddb, table);
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    /** The catalogue and rollup items a report of an aligned window reads: one catalogue item, a rollup a span. */
    private static long rollupsAndCatalogue(String table, Window w) {
        long catalogue = LogTables.catalog(ddb, table).size();
        long rollups = rollupItems(table).stream().filter(i -> {
            Instant span = Instant.parse(i.get(ItemContract.SK).s());
            return !span.isBefore(w.from()) && !span.isAfter(w.until());
        }).count();
        return catalogue + rollups;
    }
}
