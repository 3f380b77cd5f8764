package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemSize;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * A DynamoDB that takes every write and keeps nothing but the bill: per kind of item (log items, summaries, catalogue),
 * items, bytes and write units, each item charged on its own as DynamoDB charges a BatchWriteItem's puts
 * ({@link ItemSize#writeUnits}: one unit per started KB). The forwarder's real {@code BatchWriter} and
 * {@code CatalogWriter} write to it, so what is counted is what they send, no network in between. Not thread-safe:
 * give the BatchWriter a parallelism of 1.
 */
final class CountingDynamoDb implements DynamoDbClient {
    enum Kind { LOG, SUMMARY, CATALOG }

    /** What one kind of item cost. */
    static final class Bill {
        long items;
        long bytes;
        long units;

        void add(Map<String, AttributeValue> item) {
            items++;
            bytes += ItemSize.bytes(item);
            units += ItemSize.writeUnits(item);
        }
    }

    private final Map<Kind, Bill> bills = new EnumMap<>(Kind.class);
    private final List<Map<String, AttributeValue>> summaries = new ArrayList<>();
    private final List<Map<String, AttributeValue>> logItems = new ArrayList<>();
    private final boolean keepSummaries;
    private final boolean keepLogItems;

    /** @param keepSummaries keep the summary items written, for reading them back */
    CountingDynamoDb(boolean keepSummaries) {
        this(keepSummaries, false);
    }

    /**
     * @param keepSummaries keep the summary items written, for reading them back
     * @param keepLogItems  keep the log items (entries or compact items) too: what a roller from entries reads
     */
    CountingDynamoDb(boolean keepSummaries, boolean keepLogItems) {
        this.keepSummaries = keepSummaries;
        this.keepLogItems = keepLogItems;
        for (Kind k : Kind.values()) {
            bills.put(k, new Bill());
        }
    }

    Bill bill(Kind kind) {
        return bills.get(kind);
    }

    List<Map<String, AttributeValue>> summaries() {
        return summaries;
    }

    List<Map<String, AttributeValue>> logItems() {
        return logItems;
    }

    private void count(Map<String, AttributeValue> item) {
        String pk = item.get(ItemContract.PK).s();
        Kind kind = pk.startsWith(ItemContract.CATALOG_PREFIX) ? Kind.CATALOG
                : pk.startsWith(ItemContract.SUMMARY_PREFIX) ? Kind.SUMMARY : Kind.LOG;
        bills.get(kind).add(item);
        if (kind == Kind.SUMMARY && keepSummaries) {
            summaries.add(item);
        } else if (kind == Kind.LOG && keepLogItems) {
            logItems.add(item);
        }
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        for (List<WriteRequest> writes : request.requestItems().values()) {
            for (WriteRequest w : writes) {
                count(w.putRequest().item());
            }
        }
        return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        count(request.item());
        return PutItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
