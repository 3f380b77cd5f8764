package io.pglogs.cli.table;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/**
 * A log table as DynamoDB describes it, with its tags. This is the one place pglogs reads a table's tags; a command's
 * session reads them once and every reader, writer and check takes them from here.
 */
public record DeployedTable(TableDescription description, TableTags tags) {
    /** The table and its tags, or empty when no table has that name. */
    public static Optional<DeployedTable> read(DynamoDbClient ddb, String name) {
        TableDescription t;
        try {
            t = ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse page = ddb.listTagsOfResource(b -> b.resourceArn(t.tableArn())
                    .nextToken(token));
            page.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return Optional.of(new DeployedTable(t, new TableTags(tags)));
    }

    /**
     * Tags the table as the one an environment moved away from ({@link TableTags#REPLACED_BY}); its other tags stay,
     * so readers go on following its layout.
     */
    public void markReplacedBy(DynamoDbClient ddb, String newTable) {
        ddb.tagResource(b -> b.resourceArn(description.tableArn()).tags(Tag.builder().key(TableTags.REPLACED_BY)
                .value(newTable).build()));
    }

    public String name() {
        return description.tableName();
    }

    /**
     * Whether the table is a pglogs log table: the log table's keys and at least one pglogs tag (persistent_data
     * writes them with every table it makes), so a reader follows its own layout rather than guessing one.
     */
    public boolean isLogTable() {
        Map<String, String> keys = new LinkedHashMap<>();
        description.keySchema().forEach(k -> keys.put(k.keyTypeAsString(), k.attributeName()));
        return Map.of("HASH", ItemContract.PK, "RANGE", ItemContract.SK).equals(keys) && tags.isPglogs();
    }
}
