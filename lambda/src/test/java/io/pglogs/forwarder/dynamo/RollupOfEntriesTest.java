package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link Roller#rollupOfEntries} without a table (issue 26 part 3): the checked-in real-server corpus as the forwarder
 * builds its items, stored with two TTLs, counted into one rollup: its attributes follow from the entries and its
 * summary decodes to what the report's builder counts of them.
 */
class RollupOfEntriesTest {
    private static final Instant BASE = Instant.parse("2026-05-01T10:00:00Z");
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(ReportBuilder.SUMMARY_EVENTS,
            100_000);

    /** The corpus in one span, the first half kept 1 day, the rest 90, by sort key. */
    private static TreeMap<String, LogRow> rows() {
        List<LogEvent> events = Corpus.restamped(Corpus.asEvents(Corpus.snapshot("postgresql.log"), 1), BASE,
                ItemContract.COMPACT_SPAN_MILLIS / 2);
        TreeMap<String, LogRow> rows = new TreeMap<>();
        int half = events.size() / 2;
        for (int ttl : new int[] {1, 90}) {
            List<LogEvent> part = ttl == 1 ? events.subList(0, half) : events.subList(half, events.size());
            Forwarder builder = new Forwarder(new PostgresLogParser(), new ItemFactory(4, ttl, new Redactor()), null,
                    null, null, line -> { }, null, Rollups.NONE);
            for (ItemFactory.Built b : builder.parse(SubscriptionPayload.ofEvents(null,
                    "/aws/rds/instance/corpus-db/postgresql", "corpus-db.0", part)).items()) {
                rows.put(b.item().get(ItemContract.SK).s(), LogRow.of(b.item()));
            }
        }
        return rows;
    }

    @Test
    void aRollupOfEntriesCountsThemAndSaysSo() {
        TreeMap<String, LogRow> rows = rows();
        List<LogRow> list = new ArrayList<>(rows.values());
        Map<String, AttributeValue> key = ItemContract.rollupKey("corpus-db", BASE);
        Map<String, AttributeValue> r = Roller.rollupOfEntries("corpus-db", key, rows.values(),
                AttributeValue.fromN("3"));

        assertEquals(key.get(ItemContract.PK), r.get(ItemContract.PK));
        assertEquals(key.get(ItemContract.SK), r.get(ItemContract.SK));
        assertEquals(ItemContract.ROLLED_FROM_ENTRIES, r.get(ItemContract.ROLLED_FROM).s());
        assertEquals(Integer.toString(rows.size()), r.get(ItemContract.ENTRIES).n());
        assertEquals("0", r.get(ItemContract.SUMMARIES).n());
        assertEquals(list.get(0).ts(), r.get(ItemContract.TS).s());
        assertEquals(list.get(list.size() - 1).ts(), r.get(ItemContract.LAST_TS).s());
        // The first entry kept a day expires first; the last kept 90 days expires last.
        assertEquals(Instant.parse(list.get(0).ts()).getEpochSecond() + 86_400,
                Long.parseLong(r.get(ItemContract.MIN_EXPIRES_AT).n()));
        assertEquals(Instant.parse(list.get(list.size() - 1).ts()).getEpochSecond() + 90 * 86_400L,
                Long.parseLong(r.get(ItemContract.EXPIRES_AT).n()));
        assertEquals("3", r.get(ItemContract.GEN).n(), "the gen the roller read");
        assertFalse(r.get(ItemContract.STALE).bool());
        assertEquals(Integer.toString(SummaryCodec.VERSION), r.get(ItemContract.SUMMARY_VERSION).n());

        ReportBuilder direct = new ReportBuilder(REPORT, null, null);
        list.forEach(direct::add);
        ReportBuilder decoded = new ReportBuilder(REPORT, null, null);
        decoded.merge(SummaryCodec.decode(r.get(ItemContract.SUMMARY).b().asByteArray(),
                ReportBuilder.Options.SUMMARY));
        assertEquals(direct.build(), decoded.build());
        assertEquals(rows.size(), decoded.build().overview().entries());
    }

    @Test
    void theSourceFollowsTheSummariesSwitch() {
        assertEquals(Roller.Source.SUMMARIES, Roller.Source.forSummaries(true));
        assertEquals(Roller.Source.ENTRIES, Roller.Source.forSummaries(false));
    }
}
