package io.pglogs.forwarder.dynamo;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The immutable attribute values that repeat from entry to entry (instance, severity, user, partition key, kind,
 * fingerprint, pid, expiry second, durations), shared: building an SDK AttributeValue costs more than parsing the line
 * it came from. Direct-mapped (a slot holds the last value hashed to it), so bounded, and kept per thread across
 * payloads. Not thread-safe.
 */
final class SharedValues {
    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    /** Longer texts are rarely repeated (statements, messages): not kept. */
    static final int MAX_LENGTH = 200;

    private final String[] textKeys = new String[SLOTS];
    private final AttributeValue[] texts = new AttributeValue[SLOTS];
    private final String[] numberKeys = new String[SLOTS];
    private final AttributeValue[] numbers = new AttributeValue[SLOTS];
    private final long[] longKeys = new long[SLOTS];
    private final AttributeValue[] longs = new AttributeValue[SLOTS];

    private static int slot(int h) {
        return (h ^ (h >>> 10) ^ (h >>> 20)) & MASK;
    }

    /** {@code AttributeValue.fromS(value)}. */
    AttributeValue text(String value) {
        if (value == null) {
            return AttributeValue.fromS(null);
        }
        int slot = slot(value.hashCode());
        String known = textKeys[slot];
        if (known != null && known.equals(value)) {
            return texts[slot];
        }
        AttributeValue v = AttributeValue.fromS(value);
        if (value.length() <= MAX_LENGTH) {
            textKeys[slot] = value;
            texts[slot] = v;
        }
        return v;
    }

    /** {@code AttributeValue.fromN(value)}. */
    AttributeValue number(String value) {
        int slot = slot(value.hashCode());
        String known = numberKeys[slot];
        if (known != null && known.equals(value)) {
            return numbers[slot];
        }
        AttributeValue v = AttributeValue.fromN(value);
        if (value.length() <= MAX_LENGTH) {
            numberKeys[slot] = value;
            numbers[slot] = v;
        }
        return v;
    }

    /** {@code AttributeValue.fromN(Long.toString(value))}. */
    AttributeValue number(long value) {
        int slot = slot(Long.hashCode(value));
        AttributeValue known = longs[slot];
        if (known != null && longKeys[slot] == value) {
            return known;
        }
        AttributeValue v = AttributeValue.fromN(Long.toString(value));
        longKeys[slot] = value;
        longs[slot] = v;
        return v;
    }
}
