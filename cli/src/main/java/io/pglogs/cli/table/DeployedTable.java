package io.pglogs.cli.table;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

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

    public String name() {
        return description.tableName();
    }
}
