package io.pglogs.forwarder.dynamo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The entries one instance has stored in one ten-minute span, as a reader would count them (issue 26 part 3): what
 * the {@link Roller} rolls up when the forwarder writes no summaries. A consistent Query of each shard's entry
 * partition, {@code sk} between the span's start and end: entry keys are {@code <isoMillis>#<event id>}, a compact
 * item's key is its first entry's and a compact item never crosses a span, so exactly the span's items come back.
 * Compact items are unpacked; an entry held twice (two packings of one redelivered payload, or a retry cut
 * differently) is counted once, by its sort key, as readers do; entries whose {@code expires_at} has passed are left
 * out, as readers hide them.
 */
final class SpanEntries {
    /** The span's entries by sort key (so in time order, each once), and whether reading stopped at the cap. */
    record Read(TreeMap<String, LogRow> rows, boolean tooMany) {
    }

    /**
     * The most entry bytes (as DynamoDB sizes them, unpacked) one span's rollup holds: with the rows' own overhead
     * about 2.5 times this on the heap, within the function's 512 MB default beside the payload's own work.
     */
    static final long MAX_BYTES = 64L << 20;

    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final long minMillis;
    private final long maxCallMillis;

    SpanEntries(DynamoDbClient ddb, String table, int shards, long minMillis, long maxCallMillis) {
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.minMillis = minMillis;
        this.maxCallMillis = maxCallMillis;
    }

    /**
     * The span's entries unexpired at {@code now}; {@code tooMany} (and the rows read so far) once more than the
     * cap were found: reading stops there. Null when the deadline came first. DynamoDB's errors are thrown; an item
     * that cannot be unpacked throws IllegalArgumentException (naming its key).
     */
    Read read(String instance, long span, Instant now, int maxEntries, Deadline deadline) {
        String from = ItemContract.isoMillis(ItemContract.spanStart(span));
        String until = ItemContract.isoMillis(ItemContract.spanStart(span + 1));
        LocalDate day = LocalDate.parse(from.substring(0, 10));
        long nowSeconds = now.getEpochSecond();
        TreeMap<String, LogRow> rows = new TreeMap<>();
        long[] bytes = {0};
        for (int shard = 0; shard < shards; shard++) {
            String pk = ItemContract.partitionKey(instance, day, shard);
            SpanQuery.End end = SpanQuery.pages(ddb, table, pk, from, until, deadline, minMillis, maxCallMillis,
                    items -> {
                        for (Map<String, AttributeValue> item : items) {
                            for (Map<String, AttributeValue> entry : CompactItems.entries(item)) {
                                if (!expired(entry, nowSeconds) && rows.putIfAbsent(entry.get(ItemContract.SK).s(),
                                        LogRow.of(entry)) == null) {
                                    bytes[0] += ItemSize.bytes(entry);
                                }
                            }
                            // Long lines (auto_explain plans, pgaudit) make few entries hold much: bounded by bytes
                            // too.
                            if (rows.size() > maxEntries || bytes[0] > MAX_BYTES) {
                                return false;
                            }
                        }
                        return true;
                    });
            if (end == SpanQuery.End.OUT_OF_TIME) {
                return null;
            }
            if (end == SpanQuery.End.STOPPED) {
                return new Read(rows, true);
            }
        }
        return new Read(rows, false);
    }

    /** DynamoDB deletes expired items only eventually; readers hide them (LogReader), so the rollup leaves them out. */
    private static boolean expired(Map<String, AttributeValue> entry, long nowSeconds) {
        AttributeValue expires = entry.get(ItemContract.EXPIRES_AT);
        return expires != null && expires.n() != null && Long.parseLong(expires.n()) <= nowSeconds;
    }
}
