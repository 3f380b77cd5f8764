package io.pglogs.forwarder.dynamo;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.FaultProxy;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The catalogue item's two flags through every write path of {@link CatalogWriter}, from every state an item can be
 * found in (written by this version, by older ones, or not at all): a flag is kept where the item is new or carries it,
 * never added to an item that exists without it; the summarised mark only where asked for; one PutItem where nothing
 * is lost, two where the item lacks a flag wanted.
 */
@Tag("integration")
class CatalogFlagsMotoTest {
    private static final String GROUP = "/aws/rds/instance/flags-db/postgresql";
    private static final LocalDate DAY = LocalDate.parse("2026-12-04");
    private static MotoServer moto;

    @BeforeAll
    static void start() {
        moto = MotoServer.shared();
    }

    /**
     * @param found    the item before: {@code none}, or its flags ({@code S}: summarised, {@code R}: rollups,
     *                 {@code -}: neither, as the oldest writers put it)
     * @param write    {@code mark}: ensure with summaries; {@code plain}: ensure without; {@code unmark};
     *                 {@code unflag}
     * @param expected the flags after ({@code -}: neither)
     * @param puts     PutItem calls made
     */
    @ParameterizedTest(name = "{0} then {1}: {2} in {3} call(s)")
    @CsvSource({
        "none, mark, SR, 1", "none, plain, R, 1", "none, unmark, R, 1", "none, unflag, R, 1",
        "SR, mark, SR, 1", "SR, plain, R, 1", "SR, unmark, R, 1", "SR, unflag, R, 1",
        "S, mark, S, 2", "S, plain, -, 2", "S, unmark, -, 2", "S, unflag, -, 2",
        "R, mark, R, 2", "R, plain, R, 1", "R, unmark, R, 1", "R, unflag, R, 1",
        "-, mark, -, 2", "-, plain, -, 2", "-, unmark, -, 2", "-, unflag, -, 2"})
    void flagsAreKeptOnlyWhereTheItemIsNewOrHasThem(String found, String write, String expected, int puts)
            throws Exception {
        DynamoDbClient ddb = moto.dynamoDb();
        String table = LogTables.create(ddb, "flags");
        ItemFactory items = new ItemFactory(4, 90, new Redactor());
        if (!"none".equals(found)) {
            // As an older writer (or this one) left it: the item with the flags it found, without the cluster.
            Map<String, AttributeValue> before = new HashMap<>(items.catalogItem("flags-db", null, DAY));
            if (found.contains("S")) {
                before.put(ItemContract.SUMMARISED, AttributeValue.fromBool(true));
            }
            if (found.contains("R")) {
                before.put(ItemContract.ROLLUPS_OK, AttributeValue.fromBool(true));
            }
            ddb.putItem(b -> b.tableName(table).item(before));
        }
        LogSource source = new LogSource("flags-db", "flags-cluster", GROUP, "flags-db.0");
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        try (FaultProxy proxy = new FaultProxy(moto.endpoint(), 0, List.of(), 1);
             DynamoDbClient viaProxy = MotoServer.dynamoDb(proxy.endpoint())) {
            CatalogWriter writer = new CatalogWriter(viaProxy, table, items);
            switch (write) {
                case "mark" -> assertEquals(1, writer.ensure(source, List.of(DAY), true, deadline, l -> fail(l)));
                case "plain" -> assertEquals(1, writer.ensure(source, List.of(DAY), false, deadline, l -> fail(l)));
                case "unmark" -> assertNull(writer.unmark(source, List.of(DAY), deadline));
                case "unflag" -> assertEquals(1, writer.unflag(source, List.of(DAY), l -> fail(l)));
                default -> throw new IllegalArgumentException(write);
            }
            assertEquals(puts, proxy.calls(".PutItem"));
            assertEquals(0, proxy.calls(".BatchWriteItem"), "never an unconditional batch put");
        }
        List<Map<String, AttributeValue>> catalog = LogTables.catalog(ddb, table);
        assertEquals(1, catalog.size());
        Map<String, AttributeValue> after = catalog.get(0);
        assertEquals(expected.contains("S"), flag(after, ItemContract.SUMMARISED), after.toString());
        assertEquals(expected.contains("R"), flag(after, ItemContract.ROLLUPS_OK), after.toString());
        assertEquals("flags-cluster", after.get(ItemContract.CLUSTER).s(), "refreshed whatever the flags");
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
