package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
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
 * Issue 26 part 2: a report counting closed spans from their rollups equals the report from every entry, number for
 * number (only {@code overview.sources} and {@code read} differ), on a real server's corpus in each log format and
 * storage format, against moto. The corpus (a few seconds of a real server) is imported in pieces moved apart in time
 * so it covers several ten-minute spans (some pieces straddle a span boundary), then the forwarder's {@link Roller}
 * runs with a clock past the spans (import bumped every span it wrote, as the CLI paths do: the roller's conditional
 * put on that generation succeeds). A stale rollup is not used; a span the window cuts is read from its summaries.
 */
@Tag("integration")
class RollupReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COMPANIONS = Set.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY",
            "LOCATION");
    private static final PostgresLogParser PARSER = new PostgresLogParser();
    /** How far each piece is moved after the one before it: a few pieces a span, 4 to 8 spans in all. */
    private static final Duration STEP = Duration.ofMinutes(4);
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

    private static TestCli cli(String table) {
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

    private static Instant time(LogFileSplitter.RawEntry e) {
        return PARSER.parse(e.text()).timestamp();
    }

    private record Window(Instant from, Instant until) {
    }

    private static JsonNode report(TestCli cli, String instance, Window w, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "--instance", instance, "--since", w.from().toString(),
                "--until", w.until().toString(), "--top", "100", "--max-fingerprints", "10000", "-o", "json"));
        args.addAll(List.of(more));
        TestCli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return JSON.readTree(r.out());
    }

    /** The report from rollups and summaries, equal to the one from entries but for its sources; the document. */
    private static JsonNode assertSameReport(TestCli cli, String instance, Window w) throws Exception {
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

    private static long rollups(JsonNode doc) {
        return doc.path("overview").path("sources").path("rollups").asLong();
    }

    private static long itemsRead(JsonNode doc) {
        return doc.path("read").path("items_read").asLong();
    }

    private static List<Map<String, AttributeValue>> rollupItems(String table) {
        return ddb.scanPaginator(b -> b.tableName(table)).items().stream().filter(ItemContract::isRollup).toList();
    }

    private static Instant spanStart(Instant t) {
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), SPAN) * SPAN);
    }

    @ParameterizedTest(name = "{0} stored as {1}")
    @CsvSource({"postgresql.log, entries", "postgresql.log, compact", "postgresql.csv, entries",
            "postgresql.csv, compact", "postgresql.json, entries", "postgresql.json, compact"})
    void spansRolledUpGiveTheReportFromEntries(String file, String format) throws Exception {
        List<List<LogFileSplitter.RawEntry>> pieces = new ArrayList<>();
        List<List<LogFileSplitter.RawEntry>> cut = pieces(Corpus.fresh(file), new int[] {17, 29, 11, 23});
        for (int i = 0; i < cut.size(); i++) {
            Duration by = STEP.multipliedBy(i);
            pieces.add(cut.get(i).stream().map(e -> moved(e, by)).toList());
        }
        List<Instant> times = pieces.stream().flatMap(List::stream).map(RollupReportTest::time)
                .filter(Objects::nonNull).toList();
        Instant first = times.stream().min(Instant::compareTo).orElseThrow();
        Instant last = times.stream().max(Instant::compareTo).orElseThrow();
        assertEquals(first.atOffset(ZoneOffset.UTC).toLocalDate(), last.atOffset(ZoneOffset.UTC).toLocalDate(),
                "one UTC day (the corpus is made minutes ago; run again after midnight)");
        TreeSet<Instant> spans = new TreeSet<>();
        times.forEach(t -> spans.add(spanStart(t)));
        assertTrue(spans.size() >= 4, "several spans: " + spans);

        List<String> args = new ArrayList<>(List.of("import", "--instance", "roll-db"));
        for (int i = 0; i < pieces.size(); i++) {
            Path piece = tmp.resolve("part" + i + "-" + file);
            StringBuilder text = new StringBuilder();
            pieces.get(i).forEach(e -> text.append(e.text()).append('\n'));
            Files.writeString(piece, text, StandardCharsets.UTF_8);
            args.add(piece.toString());
        }
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "roll") : LogTables.create(ddb, "roll");
        TestCli cli = cli(table);
        TestCli.Result imported = cli.run(args.toArray(String[]::new));
        assertEquals(0, imported.code(), imported.toString());
        List<Map<String, AttributeValue>> stubs = rollupItems(table);
        assertEquals(spans.size(), stubs.size(), "import bumps every span it wrote: " + stubs);
        assertTrue(stubs.stream().allMatch(i -> !i.containsKey(ItemContract.SUMMARY)
                && i.get(ItemContract.STALE).bool()), "stubs only: " + stubs);

        Window whole = new Window(first.minusSeconds(60), last.plusSeconds(60));
        JsonNode beforeRolling = assertSameReport(cli, "roll-db", whole);
        assertEquals(0, rollups(beforeRolling), "stubs are not used");

        // The roller as the Lambda runs it, its clock stepped a span at a time past every span (it looks two hours
        // back, at most 3 spans a call, oldest first): invocations after each span closed.
        Instant lastDue = spans.last().plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS);
        Roller roller = new Roller(ddb, table, ItemContract.DEFAULT_SHARDS, Clock.fixed(lastDue, ZoneOffset.UTC),
                line -> { });
        int rolled = 0;
        for (Instant now = spans.first().plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS); !now.isAfter(lastDue);
                now = now.plusMillis(SPAN)) {
            for (int call = 0; call < 5; call++) {
                rolled += roller.rollUp("roll-db", now, Deadline.after(Duration.ofMinutes(1)));
            }
        }
        assertEquals(spans.size(), rolled, "a rollup per span with summaries");
        assertEquals(spans.size(), rollupItems(table).stream().filter(i -> i.containsKey(ItemContract.SUMMARY)
                && !i.get(ItemContract.STALE).bool()).count());

        // Over the whole window (a minute either side of the entries): the spans it holds whole from their rollups.
        JsonNode withRollups = assertSameReport(cli, "roll-db", whole);
        long inside = spans.stream().filter(s -> !s.isBefore(whole.from())
                && !s.plusMillis(SPAN - 1).isAfter(whole.until())).count();
        assertEquals(inside, rollups(withRollups), withRollups.path("overview").path("sources").toString());
        assertTrue(rollups(withRollups) > 0, "the inner spans: " + spans);
        System.out.printf("%s as %s: %d spans; whole window: %d items read before rolling up, %d after (%s)%n", file,
                format, spans.size(), itemsRead(beforeRolling), itemsRead(withRollups),
                withRollups.path("overview").path("sources"));
        assertTrue(itemsRead(withRollups) < itemsRead(beforeRolling), "rollups read less: "
                + itemsRead(withRollups) + " items vs " + itemsRead(beforeRolling) + " from summaries");

        // A window of whole spans: every span from its rollup, not a summary or entry read.
        Window aligned = new Window(spans.first(), spans.last().plusMillis(SPAN - 1));
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

        // A stale rollup (a late summary's writer bumped it) is not used: its span from its summaries.
        Instant third = spans.higher(second);
        ddb.updateItem(b -> b.tableName(table).key(ItemContract.rollupKey("roll-db", third))
                .updateExpression("SET #s = :t ADD #g :one")
                .expressionAttributeNames(Map.of("#s", ItemContract.STALE, "#g", ItemContract.GEN))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true), ":one",
                        AttributeValue.fromN("1"))));
        JsonNode stale = assertSameReport(cli, "roll-db", aligned);
        JsonNode staleSources = stale.path("overview").path("sources");
        assertEquals(spans.size() - 1, rollups(stale), staleSources.toString());
        assertTrue(staleSources.path("summaries").asLong() > 0, staleSources.toString());
    }
}
