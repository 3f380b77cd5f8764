package io.pglogs.cli.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.cli.query.TableLayout;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/** A table's tags, read in one place and parsed in one place: pages followed, a bad tag named, none a default. */
class DeployedTableTest {
    /** DynamoDB as far as describing a table and listing its tags, one tag a page. */
    static final class OneTagAPage implements DynamoDbClient {
        final Map<String, String> tags;
        final List<String> calls = new ArrayList<>();

        OneTagAPage(Map<String, String> tags) {
            this.tags = tags;
        }

        @Override
        public DescribeTableResponse describeTable(DescribeTableRequest r) {
            calls.add("DescribeTable");
            if (!r.tableName().equals("pglogs-devel")) {
                throw ResourceNotFoundException.builder().message("no table").build();
            }
            return DescribeTableResponse.builder().table(t -> t.tableName("pglogs-devel")
                    .tableArn("arn:aws:dynamodb:eu-west-1:123456789012:table/pglogs-devel")).build();
        }

        @Override
        public ListTagsOfResourceResponse listTagsOfResource(ListTagsOfResourceRequest r) {
            calls.add("ListTagsOfResource");
            List<String> keys = new ArrayList<>(new java.util.TreeSet<>(tags.keySet()));
            int at = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken());
            ListTagsOfResourceResponse.Builder page = ListTagsOfResourceResponse.builder();
            if (at < keys.size()) {
                page.tags(Tag.builder().key(keys.get(at)).value(tags.get(keys.get(at))).build());
            }
            if (at + 1 < keys.size()) {
                page.nextToken(Integer.toString(at + 1));
            }
            return page.build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyPageOfTagsIsRead() {
        OneTagAPage ddb = new OneTagAPage(Map.of(ItemContract.SHARDS_TAG, "8", ItemContract.FORMAT_TAG, "Compact",
                TableTags.ENVIRONMENT, "devel"));
        DeployedTable table = DeployedTable.read(ddb, "pglogs-devel").orElseThrow();
        assertEquals(new TableLayout(8, StorageFormat.COMPACT), TableLayout.of(table));
        assertEquals("devel", table.tags().environment());
        assertEquals(List.of("DescribeTable", "ListTagsOfResource", "ListTagsOfResource", "ListTagsOfResource"),
                ddb.calls);
    }

    @Test
    void aMissingTableIsEmptyAndAnUntaggedOneStoresEntriesOnTheDefaultShards() {
        assertTrue(DeployedTable.read(new OneTagAPage(Map.of()), "other").isEmpty());
        DeployedTable untagged = DeployedTable.read(new OneTagAPage(Map.of()), "pglogs-devel").orElseThrow();
        assertEquals(TableLayout.DEFAULT, TableLayout.of(untagged));
        assertNull(untagged.tags().shards());
    }

    @Test
    void aTagReadersCannotFollowIsAnErrorNotAGuess() {
        IllegalArgumentException shards = assertThrows(IllegalArgumentException.class, () -> new TableTags(
                Map.of(ItemContract.SHARDS_TAG, "four")).shards());
        assertEquals(ItemContract.SHARDS_TAG + "=four is not a number", shards.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TableTags(Map.of(ItemContract.FORMAT_TAG, "packed"))
                .format());
    }

    /** --table reads only pglogs tables: the log table's keys and a pglogs tag, each needed. */
    @Test
    void aLogTableHasTheLogKeysAndAPglogsTag() {
        java.util.function.BiFunction<List<String>, Map<String, String>, DeployedTable> table = (keys, tags) ->
                new DeployedTable(software.amazon.awssdk.services.dynamodb.model.TableDescription.builder()
                        .tableName("t").keySchema(software.amazon.awssdk.services.dynamodb.model.KeySchemaElement
                                        .builder().attributeName(keys.get(0)).keyType("HASH").build(),
                                software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder()
                                        .attributeName(keys.get(1)).keyType("RANGE").build()).build(),
                        new TableTags(tags));
        assertTrue(table.apply(List.of("pk", "sk"), Map.of(ItemContract.SHARDS_TAG, "4")).isLogTable());
        assertTrue(table.apply(List.of("pk", "sk"), Map.of(TableTags.ENVIRONMENT, "devel", "team", "db"))
                .isLogTable());
        assertFalse(table.apply(List.of("pk", "sk"), Map.of("team", "db")).isLogTable(), "no pglogs tag");
        assertFalse(table.apply(List.of("id", "sk"), Map.of(ItemContract.SHARDS_TAG, "4")).isLogTable(),
                "other keys");
        assertFalse(table.apply(List.of("sk", "pk"), Map.of(ItemContract.SHARDS_TAG, "4")).isLogTable(),
                "keys swapped");
    }
}
