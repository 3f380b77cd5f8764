package io.pglogs.forwarder.dynamo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The roller's read of one partition over one span: consistent Queries of the sort keys between the span's two bare
 * times (keys are {@code <isoMillis>#<event id>}, so exactly [start, end)), page by page, within a deadline. Both of
 * what a rollup is made from, summaries and entries, are read so.
 */
final class SpanQuery {
    /** How reading a partition ended. */
    enum End { ALL_READ, STOPPED, OUT_OF_TIME }

    private SpanQuery() {
    }

    /**
     * Hands each page's items to {@code page} until it returns false ({@link End#STOPPED}), the partition is read, or
     * less than {@code minMillis} is left before a page ({@link End#OUT_OF_TIME}). Each call may take up to
     * {@code maxCallMillis}, never past the deadline. DynamoDB's errors are thrown.
     */
    static End pages(DynamoDbClient ddb, String table, String pk, String from, String until, Deadline deadline,
                     long minMillis, long maxCallMillis, Predicate<List<Map<String, AttributeValue>>> page) {
        Map<String, AttributeValue> startKey = null;
        do {
            if (deadline.remainingMillis() < minMillis) {
                return End.OUT_OF_TIME;
            }
            Map<String, AttributeValue> exclusiveStart = startKey;
            QueryResponse r = ddb.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :until")
                    .expressionAttributeNames(Map.of("#pk", ItemContract.PK, "#sk", ItemContract.SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":from", AttributeValue.fromS(from), ":until", AttributeValue.fromS(until)))
                    .exclusiveStartKey(exclusiveStart)
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(
                            Math.max(1, Math.min(maxCallMillis, deadline.remainingMillis()))))));
            if (!page.test(r.items())) {
                return End.STOPPED;
            }
            startKey = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (startKey != null);
        return End.ALL_READ;
    }
}
