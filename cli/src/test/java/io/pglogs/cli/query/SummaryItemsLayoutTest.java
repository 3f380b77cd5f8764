package io.pglogs.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.testing.LongLayoutSummaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The report's view of summary items of both layouts: the long layout's real items (LongLayoutSummaries, written by
 * the code before the short layout) and the short layout's of the same entries read the same, and a day holding both
 * is planned as one of either.
 */
class SummaryItemsLayoutTest {
    private static final String INSTANCE = "corpus-db";
    private static final List<Map<String, AttributeValue>> OLD = LongLayoutSummaries.items();
    private static final List<Map<String, AttributeValue>> ENTRIES = LongLayoutSummaries.entries();
    private static final long NOW = 0;

    private static Map<String, AttributeValue> firstPayloadShort() {
        List<Map<String, AttributeValue>> made = new Summariser(4).summaries(
                ENTRIES.subList(0, LongLayoutSummaries.FIRST_PAYLOAD), LongLayoutSummaries.SOURCE);
        assertEquals(1, made.size());
        return made.get(0);
    }

    @Test
    void bothLayoutsGiveThePlanTheSameSummary() {
        SummaryPlan.Summary old = SummaryItems.summary(INSTANCE, OLD.get(0));
        SummaryPlan.Summary now = SummaryItems.summary(INSTANCE, firstPayloadShort());
        assertEquals(List.of(old.instance(), old.stream(), old.ts(), old.eventId(), old.lastTs(), old.lastEventId(),
                old.entries(), old.expiresAt(), old.payloadTs()), List.of(now.instance(), now.stream(), now.ts(),
                now.eventId(), now.lastTs(), now.lastEventId(), now.entries(), now.expiresAt(), now.payloadTs()));
        assertNotNull(old.data());
        assertNotNull(now.data());
        assertEquals(OLD.get(0).get(ItemContract.LAST_TS).s(), now.lastTs());
    }

    /** Every entry of the payload, and none other, is held by its summary, in either layout (entries skipped). */
    @Test
    void eitherLayoutHoldsExactlyItsEntries() {
        SummaryPlan.Summary old = SummaryItems.summary(INSTANCE, OLD.get(0));
        SummaryPlan.Summary now = SummaryItems.summary(INSTANCE, firstPayloadShort());
        for (int i = 0; i < ENTRIES.size(); i++) {
            LogRow row = LogRow.of(ENTRIES.get(i));
            String stream = SummaryPlan.stream(row.text(ItemContract.LOG_GROUP), row.text(ItemContract.LOG_STREAM));
            boolean inFirst = i < LongLayoutSummaries.FIRST_PAYLOAD;
            assertEquals(inFirst, old.holds(stream, row.ts(), row.text(ItemContract.EVENT_ID)), "entry " + i);
            assertEquals(inFirst, now.holds(stream, row.ts(), row.text(ItemContract.EVENT_ID)), "entry " + i);
        }
        assertFalse(now.holds(SummaryPlan.stream("/aws/rds/instance/corpus-db/postgresql", "other"),
                now.ts(), now.eventId()), "another stream's entry of the same time and id");
    }

    /** A day with the old forwarder's summaries then the new one's: every summary used, nothing read twice. */
    @Test
    void aDayOfBothLayoutsIsPlannedAsOne() {
        List<SummaryPlan.Summary> mixed = new ArrayList<>();
        mixed.add(SummaryItems.summary(INSTANCE, OLD.get(0)));
        for (Map<String, AttributeValue> s : new Summariser(4).summaries(ENTRIES.subList(
                LongLayoutSummaries.FIRST_PAYLOAD, ENTRIES.size()), LongLayoutSummaries.SOURCE)) {
            mixed.add(SummaryItems.summary(INSTANCE, s));
        }
        SummaryPlan.Plan whole = SummaryPlan.plan(INSTANCE, mixed, "2026-01-01T00:00:00.000Z",
                "2099-01-01T00:00:00.000Z", NOW);
        assertEquals(mixed.size(), whole.used().size());
        assertTrue(whole.ranges().isEmpty(), whole.ranges().toString());
        assertEquals(ENTRIES.size(), whole.used().stream().mapToLong(SummaryPlan.Summary::entries).sum());
        // The same events summarised again in the other layout (a backfill): both conflict, read from entries.
        mixed.add(SummaryItems.summary(INSTANCE, firstPayloadShort()));
        SummaryPlan.Plan twice = SummaryPlan.plan(INSTANCE, mixed, "2026-01-01T00:00:00.000Z",
                "2099-01-01T00:00:00.000Z", NOW);
        assertEquals(mixed.size() - 2, twice.used().size());
        assertEquals(1, twice.ranges().size(), twice.ranges().toString());
    }
}
