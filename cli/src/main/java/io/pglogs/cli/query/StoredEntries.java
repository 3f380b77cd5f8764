package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * The entries stored in the table after a point in time, whatever their own time, each once, in the order they were
 * stored: the table's DynamoDB stream (NEW_IMAGE), read from its open shards' ends onwards, with the shards DynamoDB
 * starts later read from their beginning. Only inserts count: a redelivered entry overwrites itself (a MODIFY, or
 * nothing when unchanged), so it is not new. Catalogue, summary, rollup and slice items are left out. Single consumer.
 */
public final class StoredEntries {
    /** GetRecords calls per shard and poll at most: DynamoDB allows five a second per shard. */
    private static final int CALLS_PER_POLL = 4;
    /** Polls between looks for shards DynamoDB has started (it rolls them over every few hours). */
    private static final int DISCOVER_EVERY = 10;

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    /** Shard id to its next iterator; shards read to their end are removed. */
    private final Map<String, String> iterators = new LinkedHashMap<>();
    private final Map<String, String> lastSequence = new LinkedHashMap<>();
    private final Set<String> known = new HashSet<>();
    private int polls;

    private StoredEntries(DynamoDbStreamsClient streams, String streamArn) {
        this.streams = streams;
        this.streamArn = streamArn;
    }

    /** Starts following now; empty when the table has no stream (deployed before pglogs enabled one). */
    public static Optional<StoredEntries> startNow(DynamoDbClient ddb, DynamoDbStreamsClient streams, String table) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
        if (arn == null) {
            return Optional.empty();
        }
        StoredEntries s = new StoredEntries(streams, arn);
        for (Shard shard : s.shards()) {
            s.known.add(shard.shardId());
            if (shard.sequenceNumberRange().endingSequenceNumber() == null) {
                s.iterators.put(shard.shardId(), s.iterator(shard.shardId(), ShardIteratorType.LATEST, null));
            }
        }
        return Optional.of(s);
    }

    /** Entries inserted since the last poll (since the start, the first time). */
    public List<Map<String, AttributeValue>> poll() {
        if (++polls % DISCOVER_EVERY == 0 || iterators.isEmpty()) {
            discover();
        }
        List<Map<String, AttributeValue>> inserted = new ArrayList<>();
        boolean closed = false;
        for (String shard : new ArrayList<>(iterators.keySet())) {
            for (int call = 0; call < CALLS_PER_POLL; call++) {
                GetRecordsResponse r;
                try {
                    String it = iterators.get(shard);
                    r = streams.getRecords(b -> b.shardIterator(it));
                } catch (LimitExceededException e) {
                    break; // the next poll reads on
                } catch (ExpiredIteratorException e) {
                    iterators.put(shard, lastSequence.containsKey(shard)
                            ? iterator(shard, ShardIteratorType.AFTER_SEQUENCE_NUMBER, lastSequence.get(shard))
                            : iterator(shard, ShardIteratorType.LATEST, null));
                    continue;
                }
                for (Record rec : r.records()) {
                    lastSequence.put(shard, rec.dynamodb().sequenceNumber());
                    Map<String, AttributeValue> image = rec.dynamodb().newImage();
                    if (rec.eventName() == OperationType.INSERT && image != null && image.containsKey(ItemContract.PK)
                            && !ItemContract.isCatalog(image) && !ItemContract.isSummary(image)
                            && !ItemContract.isRollup(image) && !ItemContract.isSlice(image)) {
                        inserted.add(image);
                    }
                }
                if (r.nextShardIterator() == null) {
                    iterators.remove(shard);
                    closed = true;
                    break;
                }
                iterators.put(shard, r.nextShardIterator());
                if (r.records().isEmpty()) {
                    break;
                }
            }
        }
        if (closed) {
            discover();
        }
        return inserted;
    }

    /** Shards started since the last look are read from their beginning: all they hold is newer than the start. */
    private void discover() {
        for (Shard shard : shards()) {
            if (known.add(shard.shardId())) {
                iterators.put(shard.shardId(), iterator(shard.shardId(), ShardIteratorType.TRIM_HORIZON, null));
            }
        }
    }

    private List<Shard> shards() {
        List<Shard> all = new ArrayList<>();
        String from = null;
        do {
            String start = from;
            StreamDescription d = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(start))
                    .streamDescription();
            all.addAll(d.shards());
            from = d.lastEvaluatedShardId();
        } while (from != null);
        return all;
    }

    private String iterator(String shard, ShardIteratorType type, String sequence) {
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard).shardIteratorType(type)
                .sequenceNumber(sequence)).shardIterator();
    }
}
