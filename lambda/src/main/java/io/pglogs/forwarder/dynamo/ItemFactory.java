package io.pglogs.forwarder.dynamo;

import static io.pglogs.forwarder.dynamo.ItemContract.*;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.EntryClassifier;
import io.pglogs.forwarder.parse.EntryFacts;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.Redactor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Builds the DynamoDB item of one entry according to {@link ItemContract}. Thread-safe. */
public final class ItemFactory {
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

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

    /** Partitions each instance-day is spread over. */
    public int shards() {
        return shards;
    }

    /** A built item and what was done to it on the way. */
    public record Built(Map<String, AttributeValue> item, boolean redacted, boolean truncated) {
    }

    /** Builds the item of a single entry; for many entries of one source use {@link #forSource}. */
    public Built build(LogSource source, String eventId, long transportMillis, LogEntry entry) {
        return forSource(source).build(eventId, transportMillis, entry);
    }

    /**
     * A builder for the entries of one log stream. Not thread-safe. It shares the immutable attribute values that
     * repeat from entry to entry (instance, group, stream, severity, user, database, client): building an SDK
     * AttributeValue costs more than parsing the line it came from.
     */
    public ForSource forSource(LogSource source) {
        return new ForSource(source);
    }

    private static final ThreadLocal<EntryClassifier> CLASSIFIERS = ThreadLocal.withInitial(EntryClassifier::new);
    private static final ThreadLocal<SharedValues> SHARED = ThreadLocal.withInitial(SharedValues::new);

    public final class ForSource {
        private final LogSource source;
        private final AttributeValue instance;
        private final AttributeValue cluster;
        private final AttributeValue logGroup;
        private final AttributeValue logStream;
        /** One per thread, kept across payloads: the values of the last payloads are those of the next. */
        private final SharedValues values = SHARED.get();
        /** One per thread, kept across payloads: its statement outlines stay warm from one payload to the next. */
        private final EntryClassifier classifier = CLASSIFIERS.get();
        /** The last entry's time and its value: entries of one millisecond come together. */
        private String lastIso;
        private AttributeValue lastTs;
        /**
         * The processes whose last entry held a sensitive statement: stderr logs its bind parameters as the entry
         * after it ({@code DETAIL:  parameters: $1 = '...'}). Per builder, so per payload: the same payload always
         * comes out the same; parameters logged in a later payload than their statement stay as they are.
         */
        private final java.util.Set<Integer> afterSensitive = new java.util.HashSet<>();

        private ForSource(LogSource source) {
            this.source = source;
            this.instance = AttributeValue.fromS(source.instance());
            this.cluster = sOrNull(source.cluster());
            this.logGroup = sOrNull(source.logGroup());
            this.logStream = sOrNull(source.logStream());
        }

        /**
         * @param transportMillis the time CloudWatch (or the file) gives; used when the entry has none, and for the
         *                        milliseconds of a second-precision {@code %t} prefix when it lies in that second
         */
        public Built build(String eventId, long transportMillis, LogEntry entry) {
            Instant ts = entryTime(entry, transportMillis);
            String iso = isoMillis(ts);
            String message = entry.message();
            boolean redacted = false;
            if (redactor != null) {
                Redactor.Result r = redactor.redact(message);
                if (entry.pid() != null) {
                    if (afterSensitive.remove(entry.pid()) && "DETAIL".equals(entry.severity())) {
                        Redactor.Result p = redactor.redactParameters(r.text());
                        r = p.redacted() ? new Redactor.Result(p.text(), true, r.sensitive()) : r;
                    }
                    if (r.sensitive()) {
                        afterSensitive.add(entry.pid());
                    }
                }
                message = r.text();
                redacted = r.redacted();
            }
            Map<String, AttributeValue> item = new HashMap<>(32);
            // A partition key names an instance, a day and a shard: few values, shared.
            item.put(PK, values.text(partitionKey(source.instance(), iso, eventId, shards)));
            item.put(SK, AttributeValue.fromS(sortKey(iso, eventId)));
            item.put(INSTANCE, instance);
            putIfPresent(item, CLUSTER, cluster);
            putIfPresent(item, LOG_GROUP, logGroup);
            putIfPresent(item, LOG_STREAM, logStream);
            item.put(EVENT_ID, AttributeValue.fromS(eventId));
            if (!iso.equals(lastIso)) {
                lastIso = iso;
                lastTs = AttributeValue.fromS(iso);
            }
            item.put(TS, lastTs);
            item.put(SEVERITY, shared(entry.severity()));
            putShared(item, USER, entry.user());
            putShared(item, DATABASE, entry.database());
            putShared(item, CLIENT, entry.client());
            if (entry.pid() != null) {
                item.put(PID, values.number(entry.pid().longValue()));
            }
            putShared(item, SQLSTATE, entry.sqlstate());
            putShared(item, SESSION_ID, entry.sessionId());
            putShared(item, APPLICATION, entry.application());
            item.put(EXPIRES_AT, values.number(ts.getEpochSecond() + ttlSeconds));
            putFacts(item, classifier.classify(entry.severity(), entry.sqlstate(), message));
            boolean truncated = false;
            // A string of n chars is at most 3n UTF-8 bytes, so short messages need no encoding to be sure.
            if (message.length() > MAX_MESSAGE_BYTES / 3) {
                byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > MAX_MESSAGE_BYTES) {
                    message = cutUtf8(bytes, MAX_MESSAGE_BYTES);
                    truncated = true;
                    item.put(TRUNCATED, TRUE);
                    item.put(ORIGINAL_BYTES, AttributeValue.fromN(Integer.toString(bytes.length)));
                }
            }
            item.put(MESSAGE, AttributeValue.fromS(message));
            if (redacted) {
                item.put(REDACTED, TRUE);
            }
            return new Built(item, redacted, truncated);
        }

        /** The entry's kind and the numbers it carries (docs/schema.md "Kinds"), read from the stored message. */
        private void putFacts(Map<String, AttributeValue> item, EntryFacts f) {
            ItemFactory.putFacts(item, f, values::text, values::number);
        }

        private void putShared(Map<String, AttributeValue> item, String name, String value) {
            if (value != null && !value.isEmpty()) {
                item.put(name, values.text(value));
            }
        }

        private AttributeValue shared(String value) {
            return values.text(value);
        }
    }

    /**
     * This thread's classifier: one per thread, so its statement outlines stay warm across payloads and items read
     * (building one per item would normalise every statement again).
     */
    static EntryClassifier classifier() {
        return CLASSIFIERS.get();
    }

    /**
     * An entry item as it would be stored today: {@code item} itself when it has a kind, else (stored before entries
     * had kinds) a copy with what {@link EntryClassifier} derives from its severity, SQLSTATE and message.
     */
    public static Map<String, AttributeValue> classified(Map<String, AttributeValue> item) {
        AttributeValue message = item.get(MESSAGE);
        if (item.containsKey(KIND) || message == null || message.s() == null) {
            return item;
        }
        Map<String, AttributeValue> copy = new HashMap<>(item);
        putFacts(copy, classifier().classify(text(item.get(SEVERITY)), text(item.get(SQLSTATE)), message.s()),
                AttributeValue::fromS);
        return copy;
    }

    private static String text(AttributeValue v) {
        return v == null ? null : v.s();
    }

    /** The attributes {@link EntryClassifier} derives from an entry's severity, SQLSTATE and message. */
    static final java.util.List<String> DERIVED = java.util.List.of(KIND, DURATION_MS, FINGERPRINT, SQLSTATE_CLASS,
            TEMP_BYTES, WAIT_MS, SESSION_MS, RELATION, CHECKPOINT_BUFFERS, CHECKPOINT_WRITE_S, CHECKPOINT_SYNC_S,
            CHECKPOINT_TOTAL_S);

    /** Puts {@code f} into {@code item} under the contract's names; {@code text} makes the repeating text values. */
    static void putFacts(Map<String, AttributeValue> item, EntryFacts f,
                         java.util.function.Function<String, AttributeValue> text) {
        putFacts(item, f, text, AttributeValue::fromN);
    }

    static void putFacts(Map<String, AttributeValue> item, EntryFacts f,
                         java.util.function.Function<String, AttributeValue> text,
                         java.util.function.Function<String, AttributeValue> number) {
        item.put(KIND, text.apply(f.kind()));
        if (f.durationMs() != null) {
            item.put(DURATION_MS, number.apply(f.durationMs()));
        }
        if (f.fingerprint() != null) {
            item.put(FINGERPRINT, text.apply(f.fingerprint()));
        }
        if (f.sqlstateClass() != null) {
            item.put(SQLSTATE_CLASS, text.apply(f.sqlstateClass()));
        }
        putNumber(item, TEMP_BYTES, f.tempBytes());
        putNumber(item, WAIT_MS, f.waitMs());
        putNumber(item, SESSION_MS, f.sessionMs());
        if (f.relation() != null) {
            item.put(RELATION, text.apply(f.relation()));
        }
        putNumber(item, CHECKPOINT_BUFFERS, f.checkpointBuffers());
        putNumber(item, CHECKPOINT_WRITE_S, f.checkpointWriteS());
        putNumber(item, CHECKPOINT_SYNC_S, f.checkpointSyncS());
        putNumber(item, CHECKPOINT_TOTAL_S, f.checkpointTotalS());
    }

    private static void putNumber(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, AttributeValue.fromN(value));
        }
    }

    /**
     * The catalogue item saying {@code instance} has entries on {@code day} (see {@link ItemContract#CATALOG_PREFIX}).
     * It expires with the day's last entries.
     */
    public Map<String, AttributeValue> catalogItem(String instance, String cluster, java.time.LocalDate day) {
        Map<String, AttributeValue> item = new HashMap<>(8);
        item.put(PK, AttributeValue.fromS(catalogKey(day)));
        item.put(SK, AttributeValue.fromS(instance));
        item.put(INSTANCE, AttributeValue.fromS(instance));
        if (cluster != null) {
            item.put(CLUSTER, AttributeValue.fromS(cluster));
        }
        long endOfDay = day.plusDays(1).toEpochDay() * 86_400L;
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(endOfDay + ttlSeconds)));
        return item;
    }

    /** Text attributes a reduced item keeps, made plain ASCII. */
    private static final String[] REDUCED_TEXT = {INSTANCE, CLUSTER, LOG_GROUP, LOG_STREAM, EVENT_ID, TS, SEVERITY,
            USER, DATABASE, CLIENT, SQLSTATE, SESSION_ID, APPLICATION, KIND, FINGERPRINT, SQLSTATE_CLASS, RELATION};
    /** Other attributes a reduced item keeps as they are. */
    private static final String[] REDUCED_KEPT = {PK, SK, PID, EXPIRES_AT, REDACTED, DURATION_MS, TEMP_BYTES, WAIT_MS,
            SESSION_MS, CHECKPOINT_BUFFERS, CHECKPOINT_WRITE_S, CHECKPOINT_SYNC_S, CHECKPOINT_TOTAL_S};
    /** Message characters a reduced item keeps: small enough for any item limit after escaping. */
    static final int REDUCED_MESSAGE_CHARS = 64_000;
    private static final int REDUCED_REASON_CHARS = 1_000;

    /**
     * The form an item DynamoDB refused is stored in instead: same keys (so a retry overwrites it), every text
     * attribute as printable ASCII (see {@link #asciiEscaped}), the message cut to {@value #REDUCED_MESSAGE_CHARS}
     * characters, and {@code reduced} holding DynamoDB's reason.
     */
    public static Map<String, AttributeValue> reduced(Map<String, AttributeValue> item, String reason) {
        Map<String, AttributeValue> out = new HashMap<>(32);
        for (String name : REDUCED_KEPT) {
            putIfPresent(out, name, item.get(name));
        }
        for (String name : REDUCED_TEXT) {
            AttributeValue v = item.get(name);
            if (v != null && v.s() != null) {
                out.put(name, AttributeValue.fromS(asciiEscaped(v.s(), Integer.MAX_VALUE)));
            }
        }
        AttributeValue message = item.get(MESSAGE);
        String text = message == null || message.s() == null ? "" : message.s();
        String escaped = asciiEscaped(text, REDUCED_MESSAGE_CHARS);
        out.put(MESSAGE, AttributeValue.fromS(escaped));
        if (escaped.length() < asciiEscapedLength(text)) {
            out.put(TRUNCATED, TRUE);
            AttributeValue original = item.get(ORIGINAL_BYTES);
            out.put(ORIGINAL_BYTES, original != null ? original
                    : AttributeValue.fromN(Integer.toString(text.getBytes(StandardCharsets.UTF_8).length)));
        }
        out.put(REDUCED, AttributeValue.fromS(asciiEscaped(reason, REDUCED_REASON_CHARS)));
        return out;
    }

    /**
     * Printable ASCII, newline and tab as they are, a backslash doubled, any other character as a backslash, 'u' and
     * four hex digits (as in JSON); at most {@code max} characters, never cutting an escape.
     */
    static String asciiEscaped(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length() + 16, max));
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String piece;
            if (c == '\\') {
                piece = "\\\\";
            } else if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
                piece = null;
            } else {
                piece = String.format("\\u%04x", (int) c);
            }
            int len = piece == null ? 1 : piece.length();
            if (b.length() + len > max) {
                break;
            }
            if (piece == null) {
                b.append(c);
            } else {
                b.append(piece);
            }
        }
        return b.toString();
    }

    private static int asciiEscapedLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c == '\\' ? 2 : (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' ? 1 : 6;
        }
        return n;
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

    private static void putIfPresent(Map<String, AttributeValue> item, String name, AttributeValue value) {
        if (value != null) {
            item.put(name, value);
        }
    }

    private static AttributeValue sOrNull(String value) {
        return value == null || value.isEmpty() ? null : AttributeValue.fromS(value);
    }
}
