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

    /** Summary items by first entry. */
    static final Comparator<Map<String, AttributeValue>> FIRST = (a, b) -> compare(
            text(a, ItemContract.TS), text(a, ItemContract.EVENT_ID), text(b, ItemContract.TS),
            text(b, ItemContract.EVENT_ID));

    static int compare(String ts, String eventId, String otherTs, String otherEventId) {
        int byTime = ts.compareTo(otherTs);
        return byTime != 0 ? byTime : ReportBuilder.compareEventIds(eventId, otherEventId);
    }

    /**
     * Whether two summaries of one stream intersect: per stream, sorted by first entry, one starting at or before the
     * latest last entry of those before it intersects one of them.
     */
    static boolean conflicting(List<Map<String, AttributeValue>> summaries) {
        Map<String, List<Map<String, AttributeValue>>> byStream = new LinkedHashMap<>();
        for (Map<String, AttributeValue> s : summaries) {
            String stream = text(s, ItemContract.LOG_GROUP) + '\u0000' + text(s, ItemContract.LOG_STREAM);
            byStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(s);
        }
        for (List<Map<String, AttributeValue>> stream : byStream.values()) {
            stream.sort(FIRST);
            Map<String, AttributeValue> reach = null;
            for (Map<String, AttributeValue> s : stream) {
                if (reach != null && compare(text(s, ItemContract.TS), text(s, ItemContract.EVENT_ID),
                        text(reach, ItemContract.LAST_TS), text(reach, ItemContract.LAST_EVENT_ID)) <= 0) {
                    return true;
                }
                if (reach == null || compare(text(s, ItemContract.LAST_TS), text(s, ItemContract.LAST_EVENT_ID),
                        text(reach, ItemContract.LAST_TS), text(reach, ItemContract.LAST_EVENT_ID)) > 0) {
                    reach = s;
                }
            }
        }
        return false;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }
}
