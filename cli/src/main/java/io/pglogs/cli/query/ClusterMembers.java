package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The instances of an Aurora cluster with entries in a window, from the catalogue items (they carry the cluster of
 * the instance, docs/schema.md "Catalogue items"): no Scan, one Query per UTC day.
 */
public final class ClusterMembers {
    private ClusterMembers() {
    }

    public static List<String> of(DynamoDbClient ddb, String table, String cluster, Instant from, Instant until) {
        TreeSet<String> found = new TreeSet<>();
        for (LocalDate day : LogReader.days(from, until)) {
            ddb.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                            .filterExpression("#c = :c")
                            .expressionAttributeNames(Map.of("#c", ItemContract.CLUSTER))
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemContract.catalogKey(day)),
                                    ":c", AttributeValue.fromS(cluster)))
                            .projectionExpression("sk"))
                    .items().forEach(i -> found.add(i.get(ItemContract.SK).s()));
        }
        return new ArrayList<>(found);
    }

    /** Every cluster the catalogue names from {@code from} to {@code until} (asked only when one gave nothing). */
    public static List<String> known(DynamoDbClient ddb, String table, Instant from, Instant until) {
        TreeSet<String> found = new TreeSet<>();
        for (LocalDate day : LogReader.days(from, until)) {
            ddb.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                            .expressionAttributeNames(Map.of("#c", ItemContract.CLUSTER))
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemContract.catalogKey(day))))
                            .projectionExpression("#c"))
                    .items().forEach(i -> {
                        AttributeValue c = i.get(ItemContract.CLUSTER);
                        if (c != null && c.s() != null) {
                            found.add(c.s());
                        }
                    });
        }
        return new ArrayList<>(found);
    }
}
