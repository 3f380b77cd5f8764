package io.pglogs.forwarder.dynamo;

import io.pglogs.report.ReportBuilder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The (first entry .. last entry) ranges of summary items, ordered as the forwarder orders a summary's rows: time,
 * then event id as the report orders ids ({@link ReportBuilder#compareEventIds}). Two summaries of one log stream
 * whose ranges intersect hold the same events twice (a backfill over delivered entries): their merge would count them
 * twice, so no rollup is made of them (readers sort them out from entries, docs/schema.md "Reading summaries").
 */
final class SummaryRanges {
    private SummaryRanges() {
    }

    /** Summary items by first entry, of either layout. */
    static final Comparator<Map<String, AttributeValue>> FIRST = (a, b) -> {
        SummaryItem x = SummaryItem.of(a);
        SummaryItem y = SummaryItem.of(b);
        return compare(x.ts(), x.eventId(), y.ts(), y.eventId());
    };

    static int compare(String ts, String eventId, String otherTs, String otherEventId) {
        int byTime = nonNull(ts).compareTo(nonNull(otherTs));
        return byTime != 0 ? byTime : ReportBuilder.compareEventIds(nonNull(eventId), nonNull(otherEventId));
    }

    /**
     * Whether two summaries of one stream intersect: per stream, sorted by first entry, one starting at or before the
     * latest last entry of those before it intersects one of them.
     */
    static boolean conflicting(List<Map<String, AttributeValue>> summaries) {
        Map<String, List<SummaryItem>> byStream = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : summaries) {
            SummaryItem s = SummaryItem.of(item);
            byStream.computeIfAbsent(s.stream(), k -> new ArrayList<>()).add(s);
        }
        for (List<SummaryItem> stream : byStream.values()) {
            stream.sort((x, y) -> compare(x.ts(), x.eventId(), y.ts(), y.eventId()));
            SummaryItem reach = null;
            for (SummaryItem s : stream) {
                if (reach != null && compare(s.ts(), s.eventId(), reach.lastTs(), reach.lastEventId()) <= 0) {
                    return true;
                }
                if (reach == null || compare(s.lastTs(), s.lastEventId(), reach.lastTs(), reach.lastEventId()) > 0) {
                    reach = s;
                }
            }
        }
        return false;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
