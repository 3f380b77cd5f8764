package io.pglogs.testing;

import io.pglogs.forwarder.dynamo.ItemContract;
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

    /** Every log entry of the table (a Scan: tests only), catalogue items left out. */
    public static List<Map<String, AttributeValue>> entries(DynamoDbClient ddb, String table) {
        return scan(ddb, table).stream().filter(i -> !ItemContract.isCatalog(i)).toList();
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
