package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 26: a report merged from summaries (builders of consecutive slices of the entries, each encoded and decoded)
 * is the report of all the entries, record for record, on the real-server corpora.
 */
class SummaryMergeTest {
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant UNTIL = Instant.parse("2040-01-01T00:00:00Z");
    /** Small top: the lists cut (ties at the cut included); the groups never folded (the corpus holds fewer). */
    private static final List<ReportBuilder.Options> REPORTS = List.of(new ReportBuilder.Options(3, 1_000),
            new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS, 100_000));

    /** The corpus's entries as stored rows, in the order a reader gives them (time, then event id). */
    static List<LogRow> rows(String corpus, String instance, int salt) {
        LogSource source = LogSource.of("/aws/rds/instance/" + instance + "/postgresql", instance + ".0");
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor()).forSource(source);
        PostgresLogParser parser = new PostgresLogParser();
        List<LogRow> rows = new ArrayList<>();
        for (LogEvent e : Corpus.asEvents(Corpus.fresh(corpus), salt)) {
            rows.add(LogRow.of(factory.build(e.id(), e.timestamp(), parser.parse(e.message())).item()));
        }
        rows.sort(ORDER);
        return rows;
    }

    static final Comparator<LogRow> ORDER = Comparator.comparing(LogRow::ts).thenComparing(ReportBuilder.LOGGED_ORDER);

    private static Report whole(List<LogRow> rows, ReportBuilder.Options options) {
        ReportBuilder b = new ReportBuilder(options, FROM, UNTIL);
        rows.forEach(b::add);
        return b.build();
    }

    /** A summary of {@code rows}: built as the forwarder builds one, then through its bytes. */
    static ReportBuilder summary(List<LogRow> rows) {
        ReportBuilder b = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        rows.forEach(b::add);
        return SummaryCodec.decode(SummaryCodec.encode(b), ReportBuilder.Options.SUMMARY);
    }

    private static Report merged(List<List<LogRow>> slices, ReportBuilder.Options options) {
        ReportBuilder b = new ReportBuilder(options, FROM, UNTIL);
        for (List<LogRow> slice : slices) {
            b.merge(summary(slice));
        }
        return b.build();
    }

    /** The same through {@link SummaryCodec#decodeInto}: each summary's bytes straight into the report's builder. */
    private static Report into(List<List<LogRow>> slices, ReportBuilder.Options options) {
        ReportBuilder b = new ReportBuilder(options, FROM, UNTIL);
        for (List<LogRow> slice : slices) {
            ReportBuilder s = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
            slice.forEach(s::add);
            SummaryCodec.decodeInto(SummaryCodec.encode(s), b);
        }
        return b.build();
    }

    /**
     * Where a cut may fall without parting an entry from its companion lines (stderr's DETAIL, STATEMENT, ... are
     * entries of their own, linked to the last entry of their process within one payload only).
     */
    static TreeSet<Integer> cleanCuts(List<LogRow> rows) {
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 1; i < rows.size(); i++) {
            cuts.add(i);
        }
        java.util.Map<String, Integer> lastEntry = new java.util.HashMap<>();
        for (int j = 0; j < rows.size(); j++) {
            LogRow r = rows.get(j);
            String process = r.instance() + "/" + Rows.pid(r);
            if (isCompanion(r)) {
                Integer owner = lastEntry.get(process);
                if (owner != null) {
                    cuts.subSet(owner + 1, true, j, true).clear();
                }
            } else {
                lastEntry.put(process, j);
            }
        }
        return cuts;
    }

    private static boolean isCompanion(LogRow r) {
        return List.of("DETAIL", "HINT", "CONTEXT", "STATEMENT", "QUERY", "LOCATION").contains(r.severity());
    }

    private static List<List<LogRow>> slices(List<LogRow> rows, List<Integer> cuts) {
        List<List<LogRow>> out = new ArrayList<>();
        int from = 0;
        for (int cut : new TreeSet<>(cuts)) {
            out.add(rows.subList(from, cut));
            from = cut;
        }
        out.add(rows.subList(from, rows.size()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql.log", "postgresql.csv", "postgresql.json", "pg16prefix.log",
            "pg16prefix.csv", "pg16prefix.json"})
    void theMergeOfSummariesOfRandomSlicesIsTheReportOfAllTheEntries(String corpus) {
        List<LogRow> rows = rows(corpus, "corpus-db", 1);
        List<Integer> cuts = new ArrayList<>(cleanCuts(rows));
        assertTrue(cuts.size() > rows.size() / 2, "most places are clean cuts: " + cuts.size() + " of " + rows.size());
        Random random = new Random(26);
        for (ReportBuilder.Options options : REPORTS) {
            Report expected = whole(rows, options);
            assertEquals(expected, merged(List.of(rows), options), "one summary of everything");
            assertEquals(expected, into(List.of(rows), options), "one summary of everything, decoded into");
            for (int trial = 0; trial < 40; trial++) {
                int count = 1 + random.nextInt(trial < 20 ? 8 : rows.size() / 2);
                List<Integer> chosen = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    chosen.add(cuts.get(random.nextInt(cuts.size())));
                }
                assertEquals(expected, merged(slices(rows, chosen), options), corpus + ", cut at " + chosen);
                assertEquals(expected, into(slices(rows, chosen), options), corpus + ", decoded into, cut at " + chosen);
            }
            // Every entry a summary of its own.
            assertEquals(expected, merged(slices(rows, cuts), options), corpus + ", cut at every clean place");
            assertEquals(expected, into(slices(rows, cuts), options), corpus + ", decoded into, every clean place");
        }
    }

    /** Every section carries something on the stderr corpus, so every tally's state goes through the bytes. */
    @Test
    void theCorpusExercisesEverySection() {
        Report r = whole(rows("postgresql.log", "corpus-db", 1), REPORTS.get(1));
        assertTrue(r.statements().count() > 0 && !r.statements().bySlowest().isEmpty());
        assertTrue(r.errors().count() > 0 && r.errors().byMessage().stream().anyMatch(m -> m.statement() != null));
        assertTrue(r.locks().waits() > 0 && r.locks().deadlocks() > 0, "lock waits and deadlocks");
        assertTrue(r.tempFiles().count() > 0 && !r.tempFiles().byStatement().isEmpty());
        assertTrue(r.checkpoints().completed() > 0 && r.checkpoints().worst() != null);
        assertTrue(r.vacuums().vacuums() + r.vacuums().analyzes() > 0);
        assertTrue(r.connections().authorized() > 0 && !r.connections().peaks().isEmpty());
    }

    /** Two instances: their summaries overlap in time; merged in order of their first entries, the same report. */
    @Test
    void summariesOfSeveralInstancesMergeIntoTheReportOfAllTheirEntries() {
        List<LogRow> a = rows("postgresql.log", "db-a", 1);
        List<LogRow> b = rows("pg16prefix.log", "db-b", 2);
        List<LogRow> c = rows("postgresql.json", "db-c", 3);
        List<LogRow> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        all.sort(ORDER);
        Random random = new Random(7);
        for (ReportBuilder.Options options : REPORTS) {
            Report expected = whole(all, options);
            for (int trial = 0; trial < 20; trial++) {
                List<List<LogRow>> pieces = new ArrayList<>();
                for (List<LogRow> rows : List.of(a, b, c)) {
                    List<Integer> cuts = new ArrayList<>(cleanCuts(rows));
                    List<Integer> chosen = new ArrayList<>();
                    for (int i = 0; i < 1 + random.nextInt(10); i++) {
                        chosen.add(cuts.get(random.nextInt(cuts.size())));
                    }
                    pieces.addAll(slices(rows, chosen));
                }
                pieces.sort(Comparator.comparing((List<LogRow> p) -> p.get(0), ORDER));
                assertEquals(expected, merged(pieces, options), "trial " + trial);
                assertEquals(expected, into(pieces, options), "decoded into, trial " + trial);
            }
        }
    }

    /**
     * A cut between an entry and its companion line (an error and its STATEMENT) loses the link: the merged report
     * says nothing of that statement; everything else is the same.
     */
    @Test
    void aCutBetweenAnEntryAndItsCompanionLosesOnlyTheLink() {
        List<LogRow> rows = rows("postgresql.log", "corpus-db", 1);
        int companion = -1;
        for (int j = 1; j < rows.size() && companion < 0; j++) {
            if ("STATEMENT".equals(rows.get(j).severity()) && "ERROR".equals(rows.get(j - 1).severity())
                    && rows.get(j - 1).text("pid") != null
                    && String.valueOf(Rows.pid(rows.get(j))).equals(String.valueOf(Rows.pid(rows.get(j - 1))))) {
                companion = j;
            }
        }
        assertTrue(companion > 0, "the corpus has an error followed by its statement");
        String error = rows.get(companion - 1).message();
        ReportBuilder.Options options = REPORTS.get(1);
        Report expected = whole(rows, options);
        Report split = merged(slices(rows, List.of(companion)), options);
        ErrorGroup before = group(expected, error);
        ErrorGroup after = group(split, error);
        assertNotNull(before.statement(), "whole, the error has its statement");
        if (before.sample().equals(Rows.beforeFolded(error))) {
            assertNull(after.statement(), "cut, the link is lost");
        }
        assertEquals(new ErrorGroup(before.severity(), before.sqlstateClass(), before.message(), before.count(),
                before.uncounted(), before.first(), before.last(), before.sample(), before.detail(), after.statement(),
                before.instance()), after, "only the statement differs");
        assertEquals(expected.overview(), split.overview());
        assertEquals(expected.statements(), split.statements());
        assertEquals(expected.locks(), split.locks());
        assertEquals(expected.tempFiles(), split.tempFiles());
        assertEquals(expected.checkpoints(), split.checkpoints());
        assertEquals(expected.vacuums(), split.vacuums());
        assertEquals(expected.connections(), split.connections());
        List<ErrorGroup> others = new ArrayList<>(split.errors().byMessage());
        others.remove(after);
        List<ErrorGroup> expectedOthers = new ArrayList<>(expected.errors().byMessage());
        expectedOthers.remove(before);
        assertEquals(expectedOthers, others);
    }

    private static ErrorGroup group(Report r, String message) {
        String normalised = ErrorMessages.normalise(Rows.beforeFolded(message));
        return r.errors().byMessage().stream().filter(g -> g.message().equals(normalised)).findFirst().orElseThrow();
    }

    @Test
    void theSameStateAlwaysMakesTheSameBytes() {
        List<LogRow> rows = rows("postgresql.log", "corpus-db", 1);
        ReportBuilder b = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        rows.forEach(b::add);
        byte[] once = SummaryCodec.encode(b);
        byte[] again = SummaryCodec.encode(SummaryCodec.decode(once, ReportBuilder.Options.SUMMARY));
        assertArrayEquals(once, again);
        ReportBuilder other = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        rows.forEach(other::add);
        assertArrayEquals(once, SummaryCodec.encode(other));
        Report decoded = SummaryCodec.decode(once, ReportBuilder.Options.SUMMARY).build();
        assertNull(decoded.overview().from(), "a decoded builder has no window");
        assertEquals(b.build().statements(), decoded.statements());
    }

    @Test
    void aSummaryOfAnotherVersionOrNoSummaryIsRefusedByName() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decode(deflate("{\"v\":2,\"n\":1}"), ReportBuilder.Options.SUMMARY));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decode("plain bytes".getBytes(StandardCharsets.UTF_8),
                        ReportBuilder.Options.SUMMARY));
        assertTrue(e.getMessage().startsWith("not a pglogs summary"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decode(deflate("{\"v\":1,\"h\":[1,2,3]}"), ReportBuilder.Options.SUMMARY));
        assertTrue(e.getMessage().startsWith("not a pglogs summary"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decode(deflate("{\"v\":1,\"h\":[1,2"), ReportBuilder.Options.SUMMARY));
        assertTrue(e.getMessage().startsWith("not a pglogs summary"), e.getMessage());
    }

    /**
     * Stored summaries stay readable: a summary of two corpora written by the code before SummaryCodec.decodeInto
     * (pglogs at issue 26 part 2, version 1; src/test/resources/summaries/version1.bin) reads back to the state it
     * holds: encoded again, the same bytes (the writer is unchanged and writes every field it keeps, in one order).
     */
    @Test
    void aSummaryWrittenByTheVersion1CodeReadsBackWhole() throws Exception {
        byte[] stored;
        try (var in = SummaryMergeTest.class.getResourceAsStream("/summaries/version1.bin")) {
            stored = in.readAllBytes();
        }
        ReportBuilder decoded = SummaryCodec.decode(stored, ReportBuilder.Options.SUMMARY);
        assertArrayEquals(stored, SummaryCodec.encode(decoded));
        Report r = decoded.build();
        assertEquals(292, r.overview().entries());
        assertTrue(r.statements().count() > 0 && r.errors().count() > 0 && r.locks().deadlocks() > 0);
        // Into a builder holding it already: every count twice, as merging a second decoded copy gives.
        ReportBuilder twice = SummaryCodec.decode(stored, ReportBuilder.Options.SUMMARY);
        SummaryCodec.decodeInto(stored, twice);
        ReportBuilder merged = SummaryCodec.decode(stored, ReportBuilder.Options.SUMMARY);
        merged.merge(SummaryCodec.decode(stored, ReportBuilder.Options.SUMMARY));
        assertEquals(merged.build(), twice.build());
        assertEquals(584, twice.build().overview().entries());
    }

    /** A summary refused for its version leaves the builder it was to go into as it was. */
    @Test
    void aRefusedVersionLeavesTheTargetAlone() throws Exception {
        List<LogRow> rows = rows("postgresql.log", "corpus-db", 1);
        ReportBuilder target = new ReportBuilder(REPORTS.get(0), FROM, UNTIL);
        rows.forEach(target::add);
        Report before = whole(rows, REPORTS.get(0));
        assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decodeInto(deflate("{\"v\":2,\"n\":5}"), target));
        assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decodeInto(deflate("{\"n\":5,\"v\":1}"), target));
        assertEquals(before, target.build());
    }

    /**
     * A summary whose table by slowest run had to evict ({@code se}): its groups join a report's table as they were
     * (not partial for that: {@code se} is set on the table after they join, as merge sets it), the table then says
     * it evicted.
     */
    @Test
    void aSummaryWhoseSlowestTableEvictedGivesItsGroupsAsTheyWere() throws Exception {
        byte[] summary = deflate("{\"v\":1,\"n\":1,\"f\":5,\"l\":5,\"S\":{\"n\":1,\"us\":1000,\"se\":true,"
                + "\"g\":[{\"k\":\"abc\",\"g\":{\"c\":1,\"t\":1,\"us\":1000,\"mx\":1.0,\"mn\":1.0,"
                + "\"q\":[0,0,1],\"s\":\"select 1\",\"sa\":5,\"i\":\"db\"},\"t\":0,\"s\":0,\"sm\":1.0}]}}");
        ReportBuilder into = new ReportBuilder(REPORTS.get(0), FROM, UNTIL);
        SummaryCodec.decodeInto(summary, into);
        ReportBuilder merged = new ReportBuilder(REPORTS.get(0), FROM, UNTIL);
        merged.merge(SummaryCodec.decode(summary, ReportBuilder.Options.SUMMARY));
        Report r = into.build();
        assertEquals(merged.build(), r);
        assertEquals(1, r.statements().bySlowest().size());
        assertFalse(r.statements().bySlowest().get(0).partial(), r.statements().bySlowest().toString());
        assertTrue(into.statements.slowest.evicted());
    }

    private static byte[] deflate(String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(out)) {
            d.write(json.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
