package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The entries of one partition of a compact table, in key order, from its items in key order (an item's key starts
 * with its first entry's time). Items of different payloads may hold entries of the same moments, so entries are
 * buffered and an item is unpacked as soon as it may hold the next entry: reading oldest first, when its first entry
 * is not after the next buffered one; newest first, when the end of its ten-minute span is after it. Entries outside
 * the window, expired or not matching the filters' exact part are left out here: the Query could only skip whole
 * items. An item without packed entries (written before the table held compact items) is read as its one entry.
 */
final class CompactCursor implements EntryCursor {
    private final EntryCursor items;
    private final boolean reverse;
    private final String from;
    private final String until;
    private final Filters filters;
    private final long now;
    private final PriorityQueue<Map<String, AttributeValue>> buffer;

    /** @param from,until the window's bounds as entry times ({@link ItemContract#isoMillis}), both included */
    CompactCursor(EntryCursor items, boolean reverse, String from, String until, Filters filters, Instant now) {
        this.items = items;
        this.reverse = reverse;
        this.from = from;
        this.until = until;
        this.filters = filters;
        this.now = now.getEpochSecond();
        Comparator<Map<String, AttributeValue>> bySortKey = Comparator.comparing(e -> e.get(ItemContract.SK).s());
        this.buffer = new PriorityQueue<>(reverse ? bySortKey.reversed() : bySortKey);
    }

    @Override
    public void start() {
        items.start();
    }

    @Override
    public Map<String, AttributeValue> peek() {
        while (true) {
            Map<String, AttributeValue> head = buffer.peek();
            Map<String, AttributeValue> item = items.peek();
            if (item == null || head != null && !mayHoldBefore(item, head.get(ItemContract.TS).s())) {
                return head;
            }
            unpack(items.next());
        }
    }

    @Override
    public Map<String, AttributeValue> next() {
        Map<String, AttributeValue> e = peek();
        if (e != null) {
            buffer.poll();
        }
        return e;
    }

    /** Whether {@code item} or one after it may hold an entry that comes before (or with) one at {@code ts}. */
    private boolean mayHoldBefore(Map<String, AttributeValue> item, String ts) {
        String first = item.get(ItemContract.SK).s().substring(0, 24);
        if (!reverse) {
            return first.compareTo(ts) <= 0;
        }
        // Items after this one start no later, and their entries lie within their span (the packer cuts by the same
        // ItemContract.compactSpan): before its end.
        return ItemContract.compactSpanEnd(first).compareTo(ts) > 0;
    }

    private void unpack(Map<String, AttributeValue> item) {
        for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
            String ts = e.get(ItemContract.TS).s();
            AttributeValue expires = e.get(ItemContract.EXPIRES_AT);
            if (ts.compareTo(from) >= 0 && ts.compareTo(until) <= 0
                    && (expires == null || Long.parseLong(expires.n()) > now) && filters.matchesRemotely(e)) {
                buffer.add(e);
            }
        }
    }
}
