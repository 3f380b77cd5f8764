package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.forwarder.Summariser;
import io.pglogs.testing.LongLayoutSummaries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The roller's conflict check over summaries of both layouts (an old forwarder's beside a new one's). */
class SummaryRangesLayoutTest {
    private static final List<Map<String, AttributeValue>> OLD = LongLayoutSummaries.items();
    private static final List<Map<String, AttributeValue>> ENTRIES = LongLayoutSummaries.entries();

    private static List<Map<String, AttributeValue>> summaries(int from, int to) {
        return new Summariser(4).summaries(ENTRIES.subList(from, to), LongLayoutSummaries.SOURCE);
    }

    @Test
    void theSameEventsSummarisedInBothLayoutsConflict() {
        List<Map<String, AttributeValue>> both = new ArrayList<>(OLD.subList(0, 1));
        both.addAll(summaries(0, LongLayoutSummaries.FIRST_PAYLOAD));
        assertTrue(SummaryRanges.conflicting(both), "one stream, whichever layout says it");
        // Overlapping by one event: a backfill batching the events otherwise.
        List<Map<String, AttributeValue>> overlapping = new ArrayList<>(OLD.subList(0, 1));
        overlapping.addAll(summaries(LongLayoutSummaries.FIRST_PAYLOAD - 1, LongLayoutSummaries.FIRST_PAYLOAD + 5));
        assertTrue(SummaryRanges.conflicting(overlapping));
    }

    @Test
    void consecutivePayloadsInEitherLayoutDoNot() {
        assertFalse(SummaryRanges.conflicting(OLD));
        List<Map<String, AttributeValue>> mixed = new ArrayList<>(OLD.subList(0, 1));
        mixed.addAll(summaries(LongLayoutSummaries.FIRST_PAYLOAD, ENTRIES.size()));
        assertFalse(SummaryRanges.conflicting(mixed));
        mixed.sort(SummaryRanges.FIRST);
        assertEquals(OLD.get(0), mixed.get(0), "ordered by first entry across layouts");
    }
}
