package io.pglogs.forwarder;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The summary items of one payload (issue 26, docs/schema.md): what the report counts of its entries, one item per
 * ten-minute span (issue 26 part 2: rollups merge a span's summaries), made with the report's own {@link ReportBuilder} so a report from summaries is the report from entries. The
 * keys follow from the entries (the first one's), so a redelivered or retried payload writes the same items again.
 *
 * <p>Not final: tests make one that fails, as a bug on an odd entry would.
 */
public class Summariser {
    /** An encoded summary larger than this is split (the span's entries in halves): items are limited to 400 KB. */
    static final int MAX_SUMMARY_BYTES = 350_000;
    /** Entries of one stored time in the order they were logged, as the report counts them. */
    private static final Comparator<LogRow> ORDER = Comparator.comparing(LogRow::ts)
            .thenComparing(ReportBuilder.LOGGED_ORDER);

    private final int shards;
    private final int maxBytes;

    public Summariser(int shards) {
        this(shards, MAX_SUMMARY_BYTES);
    }

    /** @param maxBytes the largest encoded summary kept whole (tests split with less) */
    Summariser(int shards, int maxBytes) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.shards = shards;
        this.maxBytes = maxBytes;
    }

    /** The summary items of {@code entryItems} (as {@code ItemFactory} builds them; a repeated event id once). */
    public List<Map<String, AttributeValue>> summaries(List<Map<String, AttributeValue>> entryItems, LogSource source) {
        return summarise(entryItems, source).items();
    }

    /**
     * A payload's summary items, and how many of its entries none of them counts: an entry whose summary alone
     * encodes above the item limit is left out rather than fail its payload (derived data never stops the entries);
     * its instance-day must then not be marked summarised.
     */
    public record Summaries(List<Map<String, AttributeValue>> items, int unsummarised) {
        public boolean complete() {
            return unsummarised == 0;
        }
    }

    /** As {@link #summaries}, saying which entries no summary counts. */
    public Summaries summarise(List<Map<String, AttributeValue>> entryItems, LogSource source) {
        if (entryItems.isEmpty()) {
            return new Summaries(List.of(), 0);
        }
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>(entryItems.size() * 2);
        for (Map<String, AttributeValue> e : entryItems) {
            // The last of repeated ids, as the table (the same key written twice) and compact items keep it.
            unique.put(e.get(ItemContract.EVENT_ID).s(), e);
        }
        List<Entry> entries = new ArrayList<>(unique.size());
        for (Map<String, AttributeValue> item : unique.values()) {
            AttributeValue expires = item.get(ItemContract.EXPIRES_AT);
            entries.add(new Entry(LogRow.of(item), expires == null ? 0 : Long.parseLong(expires.n())));
        }
        entries.sort(Comparator.comparing(Entry::row, ORDER));
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        int start = 0;
        int unsummarised = 0;
        for (int i = 1; i <= entries.size(); i++) {
            if (i == entries.size() || !sameSpan(entries.get(start).row.ts(), entries.get(i).row.ts())) {
                unsummarised += summarise(entries.subList(start, i), entries.get(start).row.ts(), source, out);
                start = i;
            }
        }
        return new Summaries(out, unsummarised);
    }

    private record Entry(LogRow row, long expiresAt) {
    }

    /**
     * The ten-minute span of an entry time ({@link ItemContract#compactSpan}): a summary never crosses one, so a span's
     * rollup (issue 26 part 2) is exactly the merge of the summaries starting in it.
     */
    private static boolean sameSpan(String a, String b) {
        // Same hour and same tens of minutes: the span, without parsing the date.
        return a.regionMatches(0, b, 0, 15);
    }

    /**
     * Adds the summary items of {@code entries} to {@code out}; returns how many entries none of them counts.
     *
     * @param payloadTs the first entry time of the payload's entries of the span ({@link ItemContract#PAYLOAD_TS}):
     *                  a part of a split summary may hold entries of a compact item that starts in an earlier part
     */
    private int summarise(List<Entry> entries, String payloadTs, LogSource source,
                          List<Map<String, AttributeValue>> out) {
        ReportBuilder b = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        long expiresAt = 0;
        for (Entry e : entries) {
            b.add(e.row);
            expiresAt = Math.max(expiresAt, e.expiresAt);
        }
        byte[] summary = SummaryCodec.encodeWithDictionary(b);
        if (summary.length > maxBytes) {
            if (entries.size() == 1) {
                // Texts are bounded (BoundedTexts), so this takes an entry past every known shape: left out.
                return 1;
            }
            int half = entries.size() / 2;
            return summarise(entries.subList(0, half), payloadTs, source, out)
                    + summarise(entries.subList(half, entries.size()), payloadTs, source, out);
        }
        LogRow first = entries.get(0).row;
        LogRow last = entries.get(entries.size() - 1).row;
        String firstId = first.text(ItemContract.EVENT_ID);
        // The short layout (SummaryItem): what the sort key or the summary says is not repeated.
        out.add(SummaryItem.item(ItemContract.summaryPartitionKey(source.instance(), first.ts(), firstId, shards),
                first.ts(), firstId, last.ts(), last.text(ItemContract.EVENT_ID), payloadTs, entries.size(),
                source.logGroup(), source.logStream(), source.cluster(), expiresAt, summary));
        return 0;
    }
}
