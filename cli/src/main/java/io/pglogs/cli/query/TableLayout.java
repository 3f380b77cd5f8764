package io.pglogs.cli.query;

import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;

/**
 * What a reader must know of a table to find its entries, as the table's tags publish it: the shard count
 * ({@code pglogs:shards}) and how entries are stored ({@code pglogs:format}; a table tagged before it existed stores
 * entries).
 */
public record TableLayout(int shards, StorageFormat format) {
    public static final TableLayout DEFAULT = new TableLayout(ItemContract.DEFAULT_SHARDS, StorageFormat.ENTRIES);

    /** The layout of a table as DynamoDB has it (its tags read once, by {@link DeployedTable}). */
    public static TableLayout of(DeployedTable table) {
        return of(table.tags());
    }

    /** From the table's tags; a tag that cannot be read is an error, not a guess. */
    public static TableLayout of(TableTags tags) {
        Integer shards = tags.shards();
        return new TableLayout(shards == null ? ItemContract.DEFAULT_SHARDS : shards, tags.format());
    }
}
