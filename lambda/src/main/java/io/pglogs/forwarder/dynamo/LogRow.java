package io.pglogs.forwarder.dynamo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One stored entry as read back, its attributes in the item contract's names and a fixed order. */
public record LogRow(String sortKey, Map<String, Object> attributes) {
    /** The attribute {@code query --context} marks each row with: before, match or after. */
    public static final String CONTEXT = "context";

    /** The contract's attributes in the order outputs show them. */
    public static final List<String> COLUMNS = List.of(ItemContract.TS, ItemContract.INSTANCE, ItemContract.CLUSTER,
            ItemContract.SEVERITY, ItemContract.USER, ItemContract.DATABASE, ItemContract.CLIENT, ItemContract.PID,
            ItemContract.SQLSTATE, ItemContract.SESSION_ID, ItemContract.APPLICATION, ItemContract.MESSAGE,
            ItemContract.REDACTED, ItemContract.TRUNCATED, ItemContract.ORIGINAL_BYTES, ItemContract.REDUCED,
            ItemContract.EVENT_ID, ItemContract.LOG_GROUP, ItemContract.LOG_STREAM, ItemContract.EXPIRES_AT,
            ItemContract.KIND, ItemContract.DURATION_MS, ItemContract.FINGERPRINT, ItemContract.SQLSTATE_CLASS,
            ItemContract.TEMP_BYTES, ItemContract.WAIT_MS, ItemContract.SESSION_MS, ItemContract.RELATION,
            ItemContract.CHECKPOINT_BUFFERS, ItemContract.CHECKPOINT_WRITE_S, ItemContract.CHECKPOINT_SYNC_S,
            ItemContract.CHECKPOINT_TOTAL_S, LogRow.CONTEXT);

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
                // Durations and seconds are decimals (as PostgreSQL printed them); counts and times whole numbers.
                attributes.put(name, number(v.n()));
            } else if (v.bool() != null) {
                attributes.put(name, v.bool());
            }
        }
        return new LogRow(item.get(ItemContract.SK).s(), attributes);
    }

    /**
     * A stored number: a decimal as a BigDecimal, a whole number as a Long, or a BigInteger past a Long's range
     * (DynamoDB holds 38 digits; items written by other tools or versions may hold such).
     */
    static Object number(String n) {
        if (n.indexOf('.') >= 0 || n.indexOf('e') >= 0 || n.indexOf('E') >= 0) {
            return new java.math.BigDecimal(n);
        }
        java.math.BigInteger whole = new java.math.BigInteger(n);
        return whole.bitLength() < 64 ? (Object) whole.longValue() : whole;
    }

    /** This row with {@code name} set to {@code value} (last among the attributes). */
    public LogRow with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        copy.put(name, value);
        return new LogRow(sortKey, copy);
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
