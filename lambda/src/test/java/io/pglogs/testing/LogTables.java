package io.pglogs.testing;

import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.dynamo.LogTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** Creates uniquely named log tables (see {@link LogTable}) and reads them back whole. */
public final class LogTables {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private LogTables() {
    }

    public static String create(DynamoDbClient ddb, String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        LogTable.create(ddb, name, ItemContract.DEFAULT_SHARDS);
        return name;
    }

    /**
     * A table tagged {@code pglogs:format = compact} and {@code pglogs:summaries = true}: the CLI's writers follow the
     * tags, and an untagged compact table gets no summaries (what {@code auto} gives it); tests of summaries on
     * compact tables ask for them as {@code start} would with {@code <env>.summaries=on}.
     */
    public static String createCompact(DynamoDbClient ddb, String prefix) {
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        LogTable.create(ddb, name, ItemContract.DEFAULT_SHARDS, StorageFormat.COMPACT);
        String arn = ddb.describeTable(b -> b.tableName(name)).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(t -> t.key(ItemContract.SUMMARIES_TAG).value("true")));
        return name;
    }

    /**
     * Every entry a compact (or entries) table holds, unpacked, by event id; an id stored twice must be the same
     * entry both times (readers keep one), which this checks.
     */
    public static Map<String, Map<String, AttributeValue>> unpackedByEventId(DynamoDbClient ddb, String table) {
        Map<String, Map<String, AttributeValue>> out = new java.util.HashMap<>();
        for (Map<String, AttributeValue> item : entries(ddb, table)) {
            for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                Map<String, AttributeValue> entry = new java.util.HashMap<>(e);
                entry.remove(ItemContract.PK);
                Map<String, AttributeValue> before = out.put(entry.get(ItemContract.EVENT_ID).s(), entry);
                if (before != null && !before.equals(entry)) {
                    throw new AssertionError("event " + entry.get(ItemContract.EVENT_ID).s()
                            + " stored twice, differently: " + before + " and " + entry);
                }
            }
        }
        return out;
    }

    /** Every log entry of the table (a Scan: tests only), catalogue, summary, rollup and slice items left out. */
    public static List<Map<String, AttributeValue>> entries(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(i -> !ItemContract.isCatalog(i) && !ItemContract.isSummary(i)
                && !ItemContract.isRollup(i) && !ItemContract.isSlice(i)).toList();
    }

    /** The slice items (issue 26 part 4), every gen. */
    public static List<Map<String, AttributeValue>> slices(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(ItemContract::isSlice).toList();
    }

    /** The summary items (issue 26). */
    public static List<Map<String, AttributeValue>> summaries(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(ItemContract::isSummary).toList();
    }

    /** The rollup items (issue 26 part 2), stubs included. */
    public static List<Map<String, AttributeValue>> rollups(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(ItemContract::isRollup).toList();
    }

    /** The catalogue items: which instance has entries on which day. */
    public static List<Map<String, AttributeValue>> catalog(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(ItemContract::isCatalog).toList();
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient ddb, String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        ddb.scanPaginator(ScanRequest.builder().tableName(table).build()).forEach(p -> items.addAll(p.items()));
        return items;
    }
}
