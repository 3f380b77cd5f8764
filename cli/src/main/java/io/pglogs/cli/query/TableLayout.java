package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a reader must know of a table to find its entries, as the table's tags publish it: the shard count
 * ({@code pglogs:shards}) and how entries are stored ({@code pglogs:format}; a table tagged before it existed stores
 * entries).
 */
public record TableLayout(int shards, StorageFormat format) {
    public static final TableLayout DEFAULT = new TableLayout(ItemContract.DEFAULT_SHARDS, StorageFormat.ENTRIES);

    public static TableLayout read(DynamoDbClient ddb, String table) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        Map<String, String> tags = new HashMap<>();
        ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().forEach(t -> tags.put(t.key(), t.value()));
        return of(tags);
    }

    /** From the table's tags; a tag that cannot be read is an error, not a guess. */
    public static TableLayout of(Map<String, String> tags) {
        String shards = tags.get(ItemContract.SHARDS_TAG);
        return new TableLayout(shards == null ? ItemContract.DEFAULT_SHARDS : Integer.parseInt(shards.trim()),
                StorageFormat.of(tags.get(ItemContract.FORMAT_TAG)));
    }
}
