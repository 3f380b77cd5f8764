package io.pglogs.forwarder.dynamo;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Creates a log table shaped by the item contract (pk/sk strings, on demand, TTL on expires_at, the shard count
 * published as a tag, a NEW_IMAGE stream for {@code tail -f}) where Terraform does not: in the local emulator and in
 * tests. Terraform's
 * persistent_data/dynamo_db_tables is the definition for AWS.
 */
public final class LogTable {
    private LogTable() {
    }

    public static void create(DynamoDbClient ddb, String name, int shards) {
        create(ddb, name, shards, StorageFormat.ENTRIES);
    }

    /** A table whose {@code pglogs:format} tag says how entries are stored. */
    public static void create(DynamoDbClient ddb, String name, int shards, StorageFormat format) {
        ddb.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName(ItemContract.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(ItemContract.SK).keyType(KeyType.RANGE))
                .attributeDefinitions(a -> a.attributeName(ItemContract.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ItemContract.SK).attributeType(ScalarAttributeType.S))
                .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE))
                .tags(t -> t.key(ItemContract.SHARDS_TAG).value(Integer.toString(shards)),
                        t -> t.key(ItemContract.FORMAT_TAG).value(format.label())));
        ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.attributeName(ItemContract.EXPIRES_AT).enabled(true)));
    }
}
