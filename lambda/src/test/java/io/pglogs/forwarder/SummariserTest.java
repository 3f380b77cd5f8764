package io.pglogs.forwarder;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The summary items of a payload (issue 26): one per ten-minute span, keyed by their first entry, split when too large. */
class SummariserTest {
    private static final LogSource SOURCE = LogSource.of("/aws/rds/instance/corpus-db/postgresql", "corpus-db.0");
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);

    private static final java.util.regex.Pattern TIME =
            java.util.regex.Pattern.compile("(\\d{4}-\\d\\d-\\d\\d )(\\d\\d):");

    /** The corpus's entries as the forwarder builds them; with {@code hourShift}, the second half an hour later. */
    static List<Map<String, AttributeValue>> items(String corpus, boolean hourShift) {
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor()).forSource(SOURCE);
        PostgresLogParser parser = new PostgresLogParser();
        List<LogEvent> events = Corpus.asEvents(Corpus.fresh(corpus), 1);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String message = events.get(i).message();
            java.util.regex.Matcher time = TIME.matcher(message);
            if (hourShift && i >= events.size() / 2 && time.find()) {
                // The entry's own time (the first in the line, in every format) an hour later.
                int hour = Integer.parseInt(time.group(2));
                message = message.substring(0, time.start(2)) + String.format("%02d", (hour + 1) % 24)
                        + message.substring(time.end(2));
            }
            out.add(factory.build(events.get(i).id(), events.get(i).timestamp(), parser.parse(message)).item());
        }
        return out;
    }

    private static Report report(List<Map<String, AttributeValue>> summaries) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        summaries.stream().sorted(Comparator.comparing(s -> s.get(ItemContract.SK).s()))
                .forEach(s -> b.merge(SummaryCodec.decode(SummaryItem.of(s).data(),
                        ReportBuilder.Options.SUMMARY)));
        return b.build();
    }

    private static Report entriesReport(List<Map<String, AttributeValue>> items) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        items.stream().map(LogRow::of).sorted(Comparator.comparing(LogRow::ts).thenComparing(
                ReportBuilder.LOGGED_ORDER)).forEach(b::add);
        return b.build();
    }

    @Test
    void onePerSpanKeyedByItsFirstEntryHoldingWhatTheReportCounts() {
        for (String corpus : List.of("postgresql.log", "postgresql.csv", "postgresql.json")) {
            List<Map<String, AttributeValue>> items = items(corpus, true);
            List<Map<String, AttributeValue>> summaries = new Summariser(4).summaries(items, SOURCE);
            long spans = items.stream().map(i -> ItemContract.compactSpan(i.get(ItemContract.TS).s())).distinct()
                    .count();
            assertTrue(spans >= 2, corpus + ": the payload spans two hours");
            assertEquals(spans, summaries.size(), corpus + ": one summary per ten-minute span");
            int entries = 0;
            for (Map<String, AttributeValue> s : summaries) {
                SummaryItem read = SummaryItem.of(s);
                String ts = read.ts();
                String id = read.eventId();
                assertEquals(ItemContract.summaryPartitionKey("corpus-db", ts, id, 4), s.get(ItemContract.PK).s());
                assertTrue(s.get(ItemContract.PK).s().startsWith("_summary#corpus-db#" + ts.substring(0, 10) + "#"));
                assertEquals(ts + "#" + id, s.get(ItemContract.SK).s());
                assertTrue(ItemContract.isSummary(s));
                assertEquals(ItemContract.compactSpan(ts), ItemContract.compactSpan(read.lastTs()),
                        "one span");
                assertEquals(ts, read.payloadTs(), "not split: the payload's span starts with it");
                assertNull(s.get(SummaryItem.PAYLOAD_DELTA), "written only for a split summary");
                assertTrue(SummaryItem.isShort(s));
                assertEquals(SummaryItem.streamId(SOURCE.logGroup(), SOURCE.logStream()), read.stream());
                assertEquals(0x20, read.data()[1] & 0x20, "deflated with the preset dictionary (zlib FDICT)");
                assertNull(s.get(ItemContract.EVENT_ID), "the sort key says it");
                assertEquals(ts, s.get(ItemContract.TS).s(), "kept for older readers");
                entries += (int) read.entries();
                // Its TTL is the latest of its entries'.
                long latest = items.stream().filter(i -> within(i, s))
                        .mapToLong(i -> Long.parseLong(i.get(ItemContract.EXPIRES_AT).n())).max().orElseThrow();
                assertEquals(Long.toString(latest), s.get(ItemContract.EXPIRES_AT).n());
            }
            assertEquals(items.size(), entries);
            Report expected = entriesReport(items);
            Report got = report(summaries);
            if (corpus.endsWith(".log")) {
                // stderr: the hour's cut may part an entry from its companion line (SummaryMergeTest cuts cleanly).
                assertEquals(expected.overview(), got.overview(), corpus);
                assertEquals(expected.statements(), got.statements(), corpus);
                assertEquals(expected.connections(), got.connections(), corpus);
            } else {
                assertEquals(expected, got, corpus);
            }
        }
    }

    private static boolean within(Map<String, AttributeValue> entry, Map<String, AttributeValue> summary) {
        String sk = entry.get(ItemContract.SK).s();
        SummaryItem s = SummaryItem.of(summary);
        return sk.compareTo(summary.get(ItemContract.SK).s()) >= 0
                && sk.compareTo(s.lastTs() + "#" + s.lastEventId()) <= 0;
    }

    @Test
    void theSameEntriesInAnyOrderOrRepeatedMakeTheSameItems() {
        List<Map<String, AttributeValue>> items = items("postgresql.log", true);
        List<Map<String, AttributeValue>> once = new Summariser(4).summaries(items, SOURCE);
        List<Map<String, AttributeValue>> shuffled = new ArrayList<>(items);
        shuffled.addAll(items.subList(0, 30));
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(new HashSet<>(once), new HashSet<>(new Summariser(4).summaries(shuffled, SOURCE)));
    }

    /**
     * Why a split summary's parts carry {@code payload_ts}: the payload's compact items of a span start there, and one
     * of them may hold entries of a later part, so a reader starting at that part's own {@code ts} would miss them.
     */
    @Test
    void theCompactItemsOfAPayloadsSpanStartAtItsSummariesPayloadTsNotAtEachPartsFirstEntry() {
        List<Map<String, AttributeValue>> items = items("postgresql.csv", true);
        int max = new Summariser(4).summaries(items, SOURCE).stream()
                .mapToInt(s -> SummaryItem.of(s).data().length).min().orElseThrow() / 4;
        List<Map<String, AttributeValue>> split = new Summariser(4, max).summaries(items, SOURCE);
        List<Map<String, AttributeValue>> packed = new CompactItems(4).pack(items).items();
        Map<Long, List<Map<String, AttributeValue>>> bySpan = new java.util.TreeMap<>();
        split.forEach(s -> bySpan.computeIfAbsent(ItemContract.compactSpan(SummaryItem.of(s).ts()),
                k -> new ArrayList<>()).add(s));
        assertTrue(bySpan.size() >= 2 && split.size() >= 2 * bySpan.size(), split.size() + " parts");
        boolean straddled = false;
        for (Map.Entry<Long, List<Map<String, AttributeValue>>> span : bySpan.entrySet()) {
            List<String> payloadTs = span.getValue().stream().map(s -> SummaryItem.of(s).payloadTs()).distinct()
                    .toList();
            assertEquals(1, payloadTs.size(), "every part of a span says the same: " + payloadTs);
            List<Map<String, AttributeValue>> spanItems = packed.stream().filter(i -> ItemContract.compactSpan(
                    i.get(ItemContract.TS).s()) == span.getKey()).toList();
            String firstItem = spanItems.stream().map(i -> i.get(ItemContract.SK).s()).min(String::compareTo)
                    .orElseThrow();
            assertTrue(firstItem.startsWith(payloadTs.get(0) + "#"), firstItem + " vs " + payloadTs);
            for (Map<String, AttributeValue> part : span.getValue()) {
                String ts = SummaryItem.of(part).ts();
                straddled |= spanItems.stream().anyMatch(i -> i.get(ItemContract.SK).s().compareTo(ts) < 0
                        && i.get(ItemContract.LAST_TS).s().compareTo(ts) >= 0);
            }
        }
        assertTrue(straddled, "some compact item holds entries of two parts: a part's ts is no floor for its items");
    }

    @Test
    void aSummaryTooLargeIsSplitIntoItemsOfTheirOwnFirstEntry() {
        List<Map<String, AttributeValue>> items = items("postgresql.csv", false);
        List<Map<String, AttributeValue>> whole = new Summariser(4).summaries(items, SOURCE);
        assertEquals(1, whole.size());
        int max = SummaryItem.of(whole.get(0)).data().length / 5;
        List<Map<String, AttributeValue>> split = new Summariser(4, max).summaries(items, SOURCE);
        assertTrue(split.size() >= 5, split.size() + " items");
        split.forEach(s -> assertTrue(SummaryItem.of(s).data().length <= max || SummaryItem.of(s).entries() == 1));
        assertEquals(split.size(), split.stream().map(s -> s.get(ItemContract.SK).s()).distinct().count());
        assertEquals(items.size(), split.stream().mapToInt(s -> (int) SummaryItem.of(s).entries())
                .sum());
        // csvlog folds companions into their entry: the halves merge into exactly the whole.
        assertEquals(report(whole), report(split));
        // Every part says where the payload's entries of the span start: a compact item may hold several parts'.
        String first = SummaryItem.of(whole.get(0)).ts();
        assertEquals(first, SummaryItem.of(whole.get(0)).payloadTs());
        assertTrue(split.stream().allMatch(s -> first.equals(SummaryItem.of(s).payloadTs())), split.stream()
                .map(s -> SummaryItem.of(s).payloadTs()).toList().toString());
        assertTrue(split.stream().filter(s -> !SummaryItem.of(s).ts().equals(first))
                .allMatch(s -> s.containsKey(SummaryItem.PAYLOAD_DELTA)), "later parts say how far back it is");
        assertTrue(split.stream().anyMatch(s -> SummaryItem.of(s).ts().compareTo(first) > 0),
                "later parts start later");
    }

    @Test
    void noEntriesNoSummary() {
        assertTrue(new Summariser(4).summaries(List.of(), SOURCE).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new Summariser(0));
    }
}
