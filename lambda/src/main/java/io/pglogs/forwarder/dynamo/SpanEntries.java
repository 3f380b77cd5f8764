package io.pglogs.forwarder.dynamo;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The entries one instance has stored in a stretch of one ten-minute span, as a reader would count them (issue 26
 * parts 3 and 4): what the {@link Roller} rolls up, and slices, when the forwarder writes no summaries. A consistent
 * Query of each shard's entry partition, {@code sk} from a floor (the span's start, or a slice's {@code next_floor}:
 * docs/schema.md "Slice items") to the stretch's end: entry keys are {@code <isoMillis>#<event id>}, a compact item's
 * key is its first entry's and a compact item never crosses a span, so every item holding an entry of the stretch
 * comes back (and some holding earlier entries too, which are not counted). Compact items are unpacked; an entry held
 * twice (two packings of one redelivered payload, or a retry cut differently) is counted once, by its sort key, as
 * readers do; entries whose {@code expires_at} has passed are left out, as readers hide them.
 */
final class SpanEntries {
    /**
     * An item read: its sort key and the time of its latest entry (the {@link ItemContract#isoMillis} its key starts
     * with; expired entries too: the item is still there), from which the roller computes the slices' floors. Only items holding an entry of the stretch are listed.
     */
    record Extent(String sk, String lastTs) {
    }

    /**
     * The stretch's entries by sort key (so in time order, each once), whether reading stopped at the cap, and the
     * items read that hold entries of the stretch.
     */
    record Read(TreeMap<String, LogRow> rows, boolean tooMany, List<Extent> items) {
        Read(TreeMap<String, LogRow> rows, boolean tooMany) {
            this(rows, tooMany, List.of());
        }
    }

    /**
     * The most entry bytes (as DynamoDB sizes them, unpacked) one read holds: with the rows' own overhead about 2.5
     * times this on the heap, within the function's 512 MB default beside the payload's own work.
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

    /** The whole span's entries: {@link #read(String, String, Instant, Instant, Instant, int, Deadline)} from its start. */
    Read read(String instance, long span, Instant now, int maxEntries, Deadline deadline) {
        Instant start = ItemContract.spanStart(span);
        return read(instance, ItemContract.isoMillis(start), start, ItemContract.spanStart(span + 1), now, maxEntries,
                deadline);
    }

    /**
     * The entries with a time in [{@code from}, {@code until}) (both inside one span) unexpired at {@code now}, read
     * from the items whose sort key lies between {@code floor} (at most {@code from}'s {@link ItemContract#isoMillis};
     * every item holding such an entry starts there or later) and {@code until}; {@code tooMany} (and the rows read so
     * far) once more than the cap were found: reading stops there. Null when the deadline came first. DynamoDB's errors
     * are thrown; an item that cannot be unpacked throws IllegalArgumentException (naming its key).
     */
    Read read(String instance, String floor, Instant from, Instant until, Instant now, int maxEntries,
              Deadline deadline) {
        String lowest = ItemContract.isoMillis(from);
        // Keys are "<isoMillis>#...": every key below the bare time of the end is an item starting before it.
        String end = ItemContract.isoMillis(until);
        LocalDate day = LocalDate.parse(floor.substring(0, 10));
        long nowSeconds = now.getEpochSecond();
        TreeMap<String, LogRow> rows = new TreeMap<>();
        List<Extent> extents = new ArrayList<>();
        long[] bytes = {0};
        for (int shard = 0; shard < shards; shard++) {
            String pk = ItemContract.partitionKey(instance, day, shard);
            SpanQuery.End got = SpanQuery.pages(ddb, table, pk, floor, end, deadline, minMillis, maxCallMillis,
                    items -> {
                        for (Map<String, AttributeValue> item : items) {
                            String last = null;
                            for (Map<String, AttributeValue> entry : CompactItems.entries(item)) {
                                // An entry's key starts with its time: compared with a bare time, it is the time's.
                                String sk = entry.get(ItemContract.SK).s();
                                last = last == null || sk.compareTo(last) > 0 ? sk : last;
                                if (sk.compareTo(lowest) < 0 || sk.compareTo(end) >= 0 || expired(entry, nowSeconds)) {
                                    continue;
                                }
                                if (rows.putIfAbsent(sk, LogRow.of(entry)) == null) {
                                    bytes[0] += ItemSize.bytes(entry);
                                }
                            }
                            if (last != null && last.compareTo(lowest) >= 0) {
                                extents.add(new Extent(item.get(ItemContract.SK).s(),
                                        last.substring(0, Math.min(last.length(), 24))));
                            }
                            // Long lines (auto_explain plans, pgaudit) make few entries hold much: bounded by bytes
                            // too.
                            if (rows.size() > maxEntries || bytes[0] > MAX_BYTES) {
                                return false;
                            }
                        }
                        return true;
                    });
            if (got == SpanQuery.End.OUT_OF_TIME) {
                return null;
            }
            if (got == SpanQuery.End.STOPPED) {
                return new Read(rows, true, extents);
            }
        }
        return new Read(rows, false, extents);
    }

    /** DynamoDB deletes expired items only eventually; readers hide them (LogReader), so the rollup leaves them out. */
    private static boolean expired(Map<String, AttributeValue> entry, long nowSeconds) {
        AttributeValue expires = entry.get(ItemContract.EXPIRES_AT);
        return expires != null && expires.n() != null && Long.parseLong(expires.n()) <= nowSeconds;
    }
}
