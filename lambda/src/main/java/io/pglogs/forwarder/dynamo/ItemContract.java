package io.pglogs.forwarder.dynamo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The item contract shared by the forwarder, the Terraform, the CLI and any outside reader (docs/schema.md).
 *
 * <pre>
 * pk = &lt;instance&gt;#&lt;YYYY-MM-DD&gt;#&lt;shard&gt;       UTC day of the entry; shard = crc32(event id) mod shards
 * sk = &lt;YYYY-MM-DDTHH:MM:SS.mmmZ&gt;#&lt;event id&gt;   time-ordered and deterministic: redelivery overwrites
 * </pre>
 */
public final class ItemContract {
    private ItemContract() {
    }

    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String INSTANCE = "instance";
    public static final String CLUSTER = "cluster";
    public static final String LOG_GROUP = "log_group";
    public static final String LOG_STREAM = "log_stream";
    public static final String EVENT_ID = "event_id";
    public static final String TS = "ts";
    public static final String SEVERITY = "severity";
    public static final String USER = "user";
    public static final String DATABASE = "database";
    public static final String CLIENT = "client";
    public static final String PID = "pid";
    public static final String MESSAGE = "message";
    public static final String SQLSTATE = "sqlstate";
    public static final String SESSION_ID = "session_id";
    public static final String APPLICATION = "application";
    public static final String EXPIRES_AT = "expires_at";
    public static final String REDACTED = "redacted";
    public static final String TRUNCATED = "truncated";
    public static final String ORIGINAL_BYTES = "original_bytes";
    /** DynamoDB's reason for refusing the entry's full item; present only on an entry stored in reduced form. */
    public static final String REDUCED = "reduced";

    /**
     * What the entry is, one of {@link io.pglogs.forwarder.parse.EntryKind#ALL} (docs/schema.md "Kinds"), and the
     * numbers and names its kind carries, each in its own attribute; absent when the entry has none.
     */
    public static final String KIND = "kind";
    public static final String DURATION_MS = "duration_ms";
    public static final String FINGERPRINT = "fingerprint";
    public static final String SQLSTATE_CLASS = "sqlstate_class";
    public static final String TEMP_BYTES = "temp_bytes";
    public static final String WAIT_MS = "wait_ms";
    public static final String SESSION_MS = "session_ms";
    public static final String RELATION = "relation";
    public static final String CHECKPOINT_BUFFERS = "checkpoint_buffers";
    public static final String CHECKPOINT_WRITE_S = "checkpoint_write_s";
    public static final String CHECKPOINT_SYNC_S = "checkpoint_sync_s";
    public static final String CHECKPOINT_TOTAL_S = "checkpoint_total_s";
    /**
     * Compact items: the kinds of their entries (each once) but the routine ones
     * ({@link io.pglogs.forwarder.parse.EntryKind#ROUTINE}), beside {@link #SEVERITIES}; absent when none is left.
     */
    public static final String KINDS = "kinds";
    /**
     * Compact items: the {@link io.pglogs.forwarder.parse.EntryClassifier#VERSION} that read the kinds in
     * {@link #KINDS}. A reader trusts {@code kinds} (and its absence) to skip an item only when this is its own
     * version: an item of another version, or without one (written before it existed), is opened and its entries
     * classified again.
     */
    public static final String KINDS_VERSION = "kv";

    /** Compact items ({@link CompactItems}): the time of the last entry, the entry count, the severities present. */
    public static final String LAST_TS = "last_ts";
    public static final String ENTRIES = "entries";
    public static final String SEVERITIES = "severities";
    /** Compact items: the entries as JSON lines, zlib-compressed. */
    public static final String DATA = "data";

    /**
     * A compact item holds entries of one ten-minute span of UTC time ({@code HH:M0} to the next): readers start a
     * window's Query at the span's beginning, so items holding the window's first entries are found, and reading
     * newest first they unpack an item before giving out anything older than its span's end. Writers cut and readers
     * bound by this one value ({@link #compactSpan}): a writer cutting coarser than readers assume makes newest-first
     * output repeat and disorder entries. It divides a day, so no span holds two days.
     */
    public static final long COMPACT_SPAN_MILLIS = 600_000;

    /**
     * The number of the compact span an entry time ({@link #isoMillis}) falls in: two entries may share an item only
     * if their numbers are equal. Parsed by hand: the packer asks for every entry.
     */
    public static long compactSpan(String isoMillis) {
        return Math.floorDiv(epochMillis(isoMillis), COMPACT_SPAN_MILLIS);
    }

    /** The epoch millisecond of an {@link #isoMillis} time, parsed by hand (the packer and the bumper ask per entry). */
    public static long epochMillis(String isoMillis) {
        long epochDay = LocalDate.of(digits(isoMillis, 0, 4), digits(isoMillis, 5, 2), digits(isoMillis, 8, 2))
                .toEpochDay();
        long millisOfDay = digits(isoMillis, 11, 2) * 3_600_000L + digits(isoMillis, 14, 2) * 60_000L
                + digits(isoMillis, 17, 2) * 1_000L + digits(isoMillis, 20, 3);
        return epochDay * 86_400_000L + millisOfDay;
    }

    /** The first time ({@link #isoMillis}) after the compact span {@code isoMillis} falls in. */
    public static String compactSpanEnd(String isoMillis) {
        return isoMillis(Instant.ofEpochMilli((compactSpan(isoMillis) + 1) * COMPACT_SPAN_MILLIS));
    }

    private static int digits(String s, int at, int count) {
        int n = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a time like 2024-05-01T10:00:00.123Z: " + s);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The lower sort key bound that finds every compact item holding entries at or after {@code ts}. */
    public static String compactSortKeyFloor(Instant ts) {
        return isoMillis(Instant.ofEpochMilli(Math.floorDiv(ts.toEpochMilli(), COMPACT_SPAN_MILLIS)
                * COMPACT_SPAN_MILLIS));
    }

    /** Whether an item holds packed entries rather than being one. */
    public static boolean isCompact(
            java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        return item.containsKey(DATA);
    }

    /**
     * Catalogue items list the instances that have entries on a day, so readers can find every instance without a
     * Scan: {@code pk = _instances#<YYYY-MM-DD>}, {@code sk = <instance>}. Instance ids never start with '_'.
     */
    public static final String CATALOG_PREFIX = "_instances#";

    public static String catalogKey(LocalDate day) {
        return CATALOG_PREFIX + day;
    }

    public static boolean isCatalog(java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        return item.get(PK).s().startsWith(CATALOG_PREFIX);
    }

    /**
     * Summary items (issue 26, docs/schema.md): what a report counts of one payload's entries of one
     * ten-minute span ({@link #COMPACT_SPAN_MILLIS}),
     * {@code pk = _summary#<instance>#<YYYY-MM-DD>#<shard>}, {@code sk} = the first entry's own sort key. Readers that
     * walk partitions skip every {@code _}-prefixed one (catalogue, summaries, rollups).
     */
    public static final String SUMMARY_PREFIX = "_summary#";
    /**
     * Summary items of the long layout: the last entry's event id ({@link #EVENT_ID} is the first's, {@link #LAST_TS}
     * its time). The short layout, which this pglogs writes, says it as {@link SummaryItem#SHORT_LAST_EVENT_ID}; readers of
     * either go through {@link SummaryItem}.
     */
    public static final String LAST_EVENT_ID = "last_event_id";
    /**
     * Summary items of the long layout (the short one: {@link SummaryItem#PAYLOAD_DELTA}): the first entry time of the
     * payload's entries in the summary's span, where the payload's first
     * compact item there starts (its {@code sk}). Equal to {@link #TS} unless the payload's summary of the span was
     * split for size: then each part carries the first part's. Readers start a compact stretch's Query there (issue
     * 26 part 3); a summary without it (an older writer's) gives them no such bound.
     */
    public static final String PAYLOAD_TS = "payload_ts";
    /**
     * Summary items of the long layout (the short one: {@link SummaryItem#DATA}), rollups and slices: the
     * {@code io.pglogs.report.SummaryCodec} bytes, and the version written inside them.
     */
    public static final String SUMMARY = "summary";
    public static final String SUMMARY_VERSION = "summary_version";
    /** Catalogue items: {@code true} when the forwarder that catalogued the instance-day writes summaries. */
    public static final String SUMMARISED = "summarised";
    /**
     * Catalogue items: {@code true} when every writer of the instance-day bumps the rollups of the spans it writes
     * into (issue 26: writers of this version do; older ones do not, and their catalogue write drops the attribute,
     * which this version never adds back to an item that exists without it). Readers use the instance-day's rollups
     * only when it is {@code true}.
     */
    public static final String ROLLUPS_OK = "rollups";

    public static String summaryPartitionKey(String instance, LocalDate day, int shard) {
        return summaryPartitionKey(instance, day.toString(), shard);
    }

    /** The partition key of the summary whose first entry is at {@code isoMillis} with {@code eventId}. */
    public static String summaryPartitionKey(String instance, String isoMillis, String eventId, int shards) {
        return summaryPartitionKey(instance, isoMillis.substring(0, 10), shardOf(eventId, shards));
    }

    private static String summaryPartitionKey(String instance, String day, int shard) {
        return SUMMARY_PREFIX + instance + '#' + day + '#' + shard;
    }

    public static boolean isSummary(java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item) {
        AttributeValue pk = item.get(PK);
        return pk != null && pk.s() != null && pk.s().startsWith(SUMMARY_PREFIX);
    }

    /**
     * Rollup items (issue 26 part 2, docs/schema.md "Rollup items"): the merge of one instance's summaries of one
     * {@link #COMPACT_SPAN_MILLIS ten-minute span}, written once the span is closed, {@code pk =
     * _rollup#<instance>#<YYYY-MM-DD>}, {@code sk} = the span's start ({@link #isoMillis}). Valid only with a
     * {@link #SUMMARY} and {@link #STALE} false: writers of a summary that may come after the rollup bump it.
     */
    public static final String ROLLUP_PREFIX = "_rollup#";
    /** Rollup items: how many summaries were merged into it. */
    public static final String SUMMARIES = "summaries";
    /** Rollup items: the earliest time (epoch seconds) one of its entries expires; readers stop using it then. */
    public static final String MIN_EXPIRES_AT = "min_expires_at";
    /** Rollup items: bumped (ADD 1) by every writer of a late summary; the roller's put is conditional on it. */
    public static final String GEN = "gen";
    /** Rollup items: true once a summary was written after the rollup could have been made: then it is not used. */
    public static final String STALE = "stale";
    /**
     * Rollup items (issue 26 part 3): what the roller merged, {@link #ROLLED_FROM_ENTRIES} (the span's stored entries,
     * read when the forwarder writes no summaries) or {@link #ROLLED_FROM_SUMMARIES} (its summary items). Absent means
     * summaries: the rollups of part 2 did not carry it.
     */
    public static final String ROLLED_FROM = "rolled_from";
    public static final String ROLLED_FROM_ENTRIES = "entries";
    public static final String ROLLED_FROM_SUMMARIES = "summaries";
    /**
     * A span (and a {@link #SLICE_UNIT_MILLIS unit} of one, for slices) is rolled up this long after its end; a writer
     * whose items are stored later than this (less {@code RollupBumper}'s clock skew) bumps the span's rollup. Three
     * minutes (issue 26 part 4; it was 20): judged after the store, a writer needs no margin for its own write.
     */
    public static final long ROLL_AFTER_MILLIS = 3 * 60_000L;
    /**
     * Slices (issue 26 part 4, docs/schema.md "Slice items") start and end on these boundaries, counted from the span's
     * start: five units a span. A late write is judged by its entries' unit ends (a unit is rolled
     * {@link #ROLL_AFTER_MILLIS} after its end).
     */
    public static final long SLICE_UNIT_MILLIS = 2 * 60_000L;
    /** A slice holds at least this many entries: a span with fewer in all gets none. */
    public static final int SLICE_MIN_ENTRIES = 500;
    /**
     * Slice items: rollups of parts of a span made from its entries, {@code pk = _slice#<instance>#<YYYY-MM-DD>},
     * {@code sk} = the slice's start ({@link #isoMillis}).
     */
    public static final String SLICE_PREFIX = "_slice#";
    /** Slice items: the end of the slice, exclusive ({@link #isoMillis}). */
    public static final String UNTIL = "until";
    /** Slice items: the lowest sk of an entry item holding an entry at or after the slice's start (its end). */
    public static final String FLOOR = "floor";
    public static final String NEXT_FLOOR = "next_floor";
    /**
     * Rollup items: when the span was last bumped (epoch millis, the writer's clock): rollers leave a span alone for a
     * while after a bump, so a delivery backlog costs one re-roll once it is over, not one per late payload.
     */
    public static final String BUMPED_AT = "bumped_at";

    /** The end of the slice unit {@code isoMillis} falls in: the first unit boundary after it. */
    public static Instant unitEnd(String isoMillis) {
        long millis = epochMillis(isoMillis);
        return Instant.ofEpochMilli((Math.floorDiv(millis, SLICE_UNIT_MILLIS) + 1) * SLICE_UNIT_MILLIS);
    }

    public static String slicePartitionKey(String instance, String day) {
        return SLICE_PREFIX + instance + '#' + day;
    }

    public static boolean isSlice(java.util.Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(PK);
        return pk != null && pk.s() != null && pk.s().startsWith(SLICE_PREFIX);
    }

    /** The key of the rollup of the span starting at {@code spanStart} (a multiple of the span length). */
    public static java.util.Map<String, AttributeValue> rollupKey(String instance, Instant spanStart) {
        String start = isoMillis(spanStart);
        return java.util.Map.of(PK, AttributeValue.fromS(rollupPartitionKey(instance, start.substring(0, 10))),
                SK, AttributeValue.fromS(start));
    }

    /** The key of the rollup of compact span number {@code span} ({@link #compactSpan}). */
    public static java.util.Map<String, AttributeValue> rollupKey(String instance, long span) {
        return rollupKey(instance, spanStart(span));
    }

    public static String rollupPartitionKey(String instance, LocalDate day) {
        return rollupPartitionKey(instance, day.toString());
    }

    private static String rollupPartitionKey(String instance, String day) {
        return ROLLUP_PREFIX + instance + '#' + day;
    }

    /** The first instant of compact span number {@code span}. */
    public static Instant spanStart(long span) {
        return Instant.ofEpochMilli(span * COMPACT_SPAN_MILLIS);
    }

    public static boolean isRollup(java.util.Map<String, AttributeValue> item) {
        AttributeValue pk = item.get(PK);
        return pk != null && pk.s() != null && pk.s().startsWith(ROLLUP_PREFIX);
    }

    /** As {@link #slicePartitionKey(String, String)}, of a {@link LocalDate}. */
    public static String slicePartitionKey(String instance, LocalDate day) {
        return slicePartitionKey(instance, day.toString());
    }

    /** The table tag under which the shard count is published to readers. */
    public static final String SHARDS_TAG = "pglogs:shards";
    /** The table tags publishing the days entries are kept and whether passwords are redacted, for every writer. */
    public static final String TTL_DAYS_TAG = "pglogs:ttl_days";
    public static final String REDACT_TAG = "pglogs:redact";
    /** The table tag naming how entries are stored: {@code entries} (absent: the same) or {@code compact}. */
    public static final String FORMAT_TAG = "pglogs:format";
    /** The table tag saying whether writers add summary items: {@code true} (absent: the same) or {@code false}. */
    public static final String SUMMARIES_TAG = "pglogs:summaries";
    public static final int DEFAULT_SHARDS = 4;
    public static final int DEFAULT_TTL_DAYS = 90;

    /**
     * Messages longer than this many UTF-8 bytes are cut: DynamoDB items are limited to 400 KB and the other
     * attributes (group and stream names up to 512 characters each) need room too.
     */
    public static final int MAX_MESSAGE_BYTES = 380_000;

    public static int shardOf(String eventId, int shards) {
        CRC32 crc = new CRC32();
        crc.update(eventId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    public static String partitionKey(String instance, LocalDate day, int shard) {
        return partitionKey(instance, day.toString(), shard);
    }

    /** The partition key of an entry whose time is {@code isoMillis}: its UTC day is the first ten characters. */
    public static String partitionKey(String instance, String isoMillis, String eventId, int shards) {
        return partitionKey(instance, isoMillis.substring(0, 10), shardOf(eventId, shards));
    }

    private static String partitionKey(String instance, String day, int shard) {
        return instance + '#' + day + '#' + shard;
    }

    /** The sort key of an entry whose time is {@code isoMillis}. */
    public static String sortKey(String isoMillis, String eventId) {
        return isoMillis + '#' + eventId;
    }

    /** Lower bound of the sort keys at or after {@code ts}: '#' sorts before every digit. */
    public static String sortKeyFloor(Instant ts) {
        return isoMillis(ts);
    }

    /** {@code 2024-05-01T10:00:00.123Z}: fixed width, so string order is time order. */
    public static String isoMillis(Instant ts) {
        long epochSecond = ts.getEpochSecond();
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        int millis = ts.getNano() / 1_000_000;
        char[] c = new char[24];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        put(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secondOfDay % 60, 2);
        c[19] = '.';
        put(c, 20, millis, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
