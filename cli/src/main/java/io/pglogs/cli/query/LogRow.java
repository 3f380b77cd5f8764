package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One stored entry as read back, its attributes in the item contract's names and a fixed order. */
public record LogRow(String sortKey, Map<String, Object> attributes) {
    /** The contract's attributes in the order outputs show them. */
    public static final List<String> COLUMNS = List.of(ItemContract.TS, ItemContract.INSTANCE, ItemContract.CLUSTER,
            ItemContract.SEVERITY, ItemContract.USER, ItemContract.DATABASE, ItemContract.CLIENT, ItemContract.PID,
            ItemContract.SQLSTATE, ItemContract.SESSION_ID, ItemContract.APPLICATION, ItemContract.MESSAGE,
            ItemContract.REDACTED, ItemContract.TRUNCATED, ItemContract.ORIGINAL_BYTES, ItemContract.REDUCED,
            ItemContract.EVENT_ID, ItemContract.LOG_GROUP, ItemContract.LOG_STREAM, ItemContract.EXPIRES_AT);

    public static LogRow of(Map<String, AttributeValue> item) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String name : COLUMNS) {
            AttributeValue v = item.get(name);
            if (v == null) {
                continue;
            }
            if (v.s() != null) {
                attributes.put(name, v.s());
            } else if (v.n() != null) {
                attributes.put(name, Long.parseLong(v.n()));
            } else if (v.bool() != null) {
                attributes.put(name, v.bool());
            }
        }
        return new LogRow(item.get(ItemContract.SK).s(), attributes);
    }

    public String text(String name) {
        Object v = attributes.get(name);
        return v == null ? null : v.toString();
    }

    public String ts() {
        return text(ItemContract.TS);
    }

    public String instance() {
        return text(ItemContract.INSTANCE);
    }

    public String severity() {
        return text(ItemContract.SEVERITY);
    }

    public String message() {
        String m = text(ItemContract.MESSAGE);
        return m == null ? "" : m;
    }
}
