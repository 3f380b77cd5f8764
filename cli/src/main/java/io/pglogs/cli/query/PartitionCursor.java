package io.pglogs.cli.query;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads the items of one partition key page by page. The next page is requested while this one is consumed; each
 * request is a task of its own that never waits on another, so a small pool serves any number of cursors. Single
 * consumer.
 */
final class PartitionCursor implements EntryCursor {
    /** A small first page gets the first lines out sooner; later pages take what DynamoDB gives (up to 1 MB). */
    private static final int FIRST_PAGE = 100;

    private final DynamoDbClient ddb;
    private final QueryRequest request;
    private final Executor pool;
    private final QueryStats stats;
    private final ArrayDeque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
    private CompletableFuture<QueryResponse> inFlight;
    private Map<String, AttributeValue> lastKey;
    private boolean exhausted;

    PartitionCursor(DynamoDbClient ddb, QueryRequest request, Executor pool, QueryStats stats) {
        this.ddb = ddb;
        this.request = request;
        this.pool = pool;
        this.stats = stats;
    }

    /** Starts fetching the first page, if not yet started. */
    @Override
    public void start() {
        if (inFlight == null && lastKey == null && !exhausted && buffer.isEmpty()) {
            fetch(true);
        }
    }

    private void fetch(boolean first) {
        QueryRequest.Builder b = request.toBuilder();
        if (first) {
            b.limit(FIRST_PAGE);
        } else {
            b.exclusiveStartKey(lastKey);
        }
        QueryRequest r = b.build();
        inFlight = CompletableFuture.supplyAsync(() -> ddb.query(r), pool);
    }

    /** The next item without consuming it, or null when the partition is done. Blocks for a page if needed. */
    @Override
    public Map<String, AttributeValue> peek() {
        while (buffer.isEmpty()) {
            if (inFlight == null) {
                if (exhausted) {
                    return null;
                }
                fetch(lastKey == null);
            }
            QueryResponse r;
            try {
                r = inFlight.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            inFlight = null;
            stats.add(r.scannedCount(), r.count());
            buffer.addAll(r.items());
            lastKey = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            exhausted = lastKey == null;
            if (!exhausted) {
                fetch(false);
            }
        }
        return buffer.peek();
    }

    @Override
    public Map<String, AttributeValue> next() {
        Map<String, AttributeValue> item = peek();
        if (item != null) {
            buffer.poll();
        }
        return item;
    }
}
