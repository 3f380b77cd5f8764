package io.pglogs.forwarder.dynamo;

import static io.pglogs.forwarder.dynamo.ItemContract.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds the DynamoDB item of one entry according to {@link ItemContract}. Thread-safe. */
public final class ItemFactory {
    private final int shards;
    private final long ttlSeconds;
    private final Redactor redactor;

    /** @param redactor null to store passwords as logged (a per-deployment choice) */
    public ItemFactory(int shards, int ttlDays, Redactor redactor) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        if (ttlDays < 1) {
            throw new IllegalArgumentException("TTL days must be at least 1, got " + ttlDays);
        }
        this.shards = shards;
        this.ttlSeconds = ttlDays * 86_400L;
        this.redactor = redactor;
    }

    /** A built item and what was done to it on the way. */
    public record Built(Map<String, AttributeValue> item, boolean redacted, boolean truncated) {
    }

    /**
     * @param transportMillis the time CloudWatch (or a file's neighbour) gives; used when the entry has none, and for
     *                        the milliseconds of a second-precision {@code %t} prefix when it lies in that second
     */
    public Built build(LogSource source, String eventId, long transportMillis, LogEntry entry) {
        Instant ts = entryTime(entry, transportMillis);
        String message = entry.message();
        boolean redacted = false;
        if (redactor != null) {
            Redactor.Result r = redactor.redact(message);
            message = r.text();
            redacted = r.redacted();
        }
        Map<String, AttributeValue> item = new HashMap<>(32);
        item.put(PK, s(partitionKey(source.instance(), ts, eventId, shards)));
        item.put(SK, s(sortKey(ts, eventId)));
        item.put(INSTANCE, s(source.instance()));
        putIfPresent(item, CLUSTER, source.cluster());
        putIfPresent(item, LOG_GROUP, source.logGroup());
        putIfPresent(item, LOG_STREAM, source.logStream());
        item.put(EVENT_ID, s(eventId));
        item.put(TS, s(isoMillis(ts)));
        item.put(SEVERITY, s(entry.severity()));
        putIfPresent(item, USER, entry.user());
        putIfPresent(item, DATABASE, entry.database());
        putIfPresent(item, CLIENT, entry.client());
        if (entry.pid() != null) {
            item.put(PID, n(entry.pid()));
        }
        putIfPresent(item, SQLSTATE, entry.sqlstate());
        putIfPresent(item, SESSION_ID, entry.sessionId());
        putIfPresent(item, APPLICATION, entry.application());
        item.put(EXPIRES_AT, n(ts.getEpochSecond() + ttlSeconds));
        boolean truncated = false;
        if (message.length() > MAX_MESSAGE_BYTES / 4) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_MESSAGE_BYTES) {
                message = cutUtf8(bytes, MAX_MESSAGE_BYTES);
                truncated = true;
                item.put(TRUNCATED, AttributeValue.fromBool(true));
                item.put(ORIGINAL_BYTES, n(bytes.length));
            }
        }
        item.put(MESSAGE, s(message));
        if (redacted) {
            item.put(REDACTED, AttributeValue.fromBool(true));
        }
        return new Built(item, redacted, truncated);
    }

    static Instant entryTime(LogEntry entry, long transportMillis) {
        Instant own = entry.timestamp();
        if (own == null) {
            return Instant.ofEpochMilli(transportMillis);
        }
        if (!entry.millisPrecise()) {
            long second = own.toEpochMilli();
            if (transportMillis >= second && transportMillis < second + 1000) {
                return Instant.ofEpochMilli(transportMillis);
            }
        }
        return own;
    }

    /** The longest prefix of at most {@code max} bytes that ends on a character boundary. */
    static String cutUtf8(byte[] bytes, int max) {
        int end = max;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
        if (value != null && !value.isEmpty()) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
