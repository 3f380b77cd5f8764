package io.pglogs.cli.ingest;

import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.dynamo.ItemFactory;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Finds the entries of a batch that the table already holds, whatever their keys: an entry the collectors stored has
 * CloudWatch's event id, the same entry imported from a downloaded file has the file's name and offset. The same
 * instance, second, pid and message make the same entry: a file's {@code %t} has no milliseconds, so the second is
 * as close as the two can be compared. Reads the batch's time range with Query, one per day and shard.
 *
 * <p>PostgreSQL may log the same line twice in a second (a deadlock report's context, say), so entries are counted,
 * not just looked up: of n identical entries in the file, as many are skipped as the table held before this import,
 * and the rest are written. Batches come in file (time) order and share that count. Not thread-safe.
 */
public final class AlreadyStored {
    private record Key(String second, String pid, String message) {
        static Key of(Map<String, AttributeValue> item) {
            AttributeValue pid = item.get(ItemContract.PID);
            AttributeValue message = item.get(ItemContract.MESSAGE);
            return new Key(item.get(ItemContract.TS).s().substring(0, 19), pid == null ? null : pid.n(),
                    message == null ? null : message.s());
        }
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final StorageFormat format;
    /** Per entry key: stored ones matched so far, plus those this import wrote. */
    private final Map<Key, Integer> claimed = new HashMap<>();

    public AlreadyStored(DynamoDbClient ddb, String table, int shards, StorageFormat format) {
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.format = format;
    }

    /** The positions in {@code items} (all of one instance) of entries the table already holds. */
    public Set<Integer> find(String instance, List<ItemFactory.Built> items) {
        if (items.isEmpty()) {
            return Set.of();
        }
        String first = null;
        String last = null;
        for (ItemFactory.Built b : items) {
            String second = b.item().get(ItemContract.TS).s().substring(0, 19);
            first = first == null || second.compareTo(first) < 0 ? second : first;
            last = last == null || second.compareTo(last) > 0 ? second : last;
        }
        Map<Key, Integer> stored = stored(instance, first, last);
        String from = first;
        claimed.keySet().removeIf(k -> k.second().compareTo(from) < 0); // earlier batches' seconds are done
        Set<Integer> found = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Key key = Key.of(items.get(i).item());
            int accounted = claimed.merge(key, 1, Integer::sum) - 1;
            if (stored.getOrDefault(key, 0) > accounted) {
                found.add(i);
            }
        }
        return found;
    }

    /**
     * The entries of one partition of a compact table from {@code from} to {@code to} (sort key bounds): the items
     * from the start of the span {@code from} falls in, unpacked, each event counted once (in {@code seen}: an
     * event stored twice may be in two partitions).
     */
    private void storedCompact(String pk, String from, String to, Map<Key, Integer> keys, Set<String> seen) {
        String floor = ItemContract.compactSortKeyFloor(java.time.Instant.parse(from));
        ddb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", ItemContract.PK, "#sk", ItemContract.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                                ":from", AttributeValue.fromS(floor), ":to", AttributeValue.fromS(to))))
                .items().forEach(item -> {
                    for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                        String sk = e.get(ItemContract.SK).s();
                        if (sk.compareTo(from) >= 0 && sk.compareTo(to) <= 0 && seen.add(sk)) {
                            keys.merge(Key.of(e), 1, Integer::sum);
                        }
                    }
                });
    }

    /** Every entry of the instance from second {@code first} to second {@code last}, both included. */
    private Map<Key, Integer> stored(String instance, String first, String last) {
        Map<Key, Integer> keys = new HashMap<>();
        Set<String> seen = new HashSet<>();
        LocalDate lastDay = LocalDate.parse(last.substring(0, 10));
        for (LocalDate day = LocalDate.parse(first.substring(0, 10)); !day.isAfter(lastDay); day = day.plusDays(1)) {
            String from = day.toString().equals(first.substring(0, 10)) ? first + ".000Z" : day + "T00:00:00.000Z";
            // '$' sorts right after the '#' that ends a sort key's time: every key of the last millisecond is in.
            String to = (day.equals(lastDay) ? last : day + "T23:59:59") + ".999Z$";
            for (int shard = 0; shard < shards; shard++) {
                String pk = instance + "#" + day + "#" + shard;
                if (format == StorageFormat.COMPACT) {
                    storedCompact(pk, from, to, keys, seen);
                    continue;
                }
                ddb.queryPaginator(b -> b.tableName(table)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                        .expressionAttributeNames(Map.of("#pk", ItemContract.PK, "#sk", ItemContract.SK,
                                "#ts", ItemContract.TS, "#pid", ItemContract.PID, "#m", ItemContract.MESSAGE))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                                ":from", AttributeValue.fromS(from), ":to", AttributeValue.fromS(to)))
                        .projectionExpression("#ts, #pid, #m"))
                        .items().forEach(item -> keys.merge(Key.of(item), 1, Integer::sum));
            }
        }
        return keys;
    }
}
