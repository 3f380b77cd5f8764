package io.pglogs.forwarder.dynamo;

import io.pglogs.report.SummaryCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A summary item as its readers see it, from either layout (docs/schema.md "Summary items"). Every reader of summary
 * items (the CLI's report, the roller, the forwarder's own log lines) goes through this, so the two layouts are read
 * alike:
 * <ul>
 * <li>the <b>short</b> layout (issue 26's write-unit goal), written by this forwarder: no {@code event_id} (the sort
 * key's), {@code instance} (the partition key's), {@code summary_version} (the summary's {@code v}) nor
 * {@code payload_ts} unless it differs ({@link #PAYLOAD_DELTA}); one short stream id ({@link #STREAM}) for
 * {@code log_group} and {@code log_stream}; {@link #SHORT_LAST_EVENT_ID} for {@code last_event_id}; the summary in
 * {@link #DATA}, deflated against {@code SummaryDictionary}. About 370 bytes less than the long layout at payloads of
 * 20 lines (225 of attributes, 135 of deflate), so most fit one write unit (bench/report-scale). It keeps {@code ts}, {@code last_ts} and {@code entries}, under their names:
 * what a pglogs before it needs to plan around a summary it cannot read (its {@code summary_version} is absent), so
 * a pinned older CLI reads such a summary's times from entries instead of failing, and an older roller finds no
 * {@code summary} and makes no rollup of its span;</li>
 * <li>the <b>long</b> layout of forwarders before it ({@code ts}, {@code event_id}, {@code last_ts},
 * {@code last_event_id}, {@code payload_ts}, {@code log_group}, {@code log_stream}, {@code entries},
 * {@code summary_version}, {@code summary}), kept in tables for the TTL: a day may hold both.</li>
 * </ul>
 *
 * @param ts          the first entry's time ({@link ItemContract#isoMillis}); with {@code eventId}, the sort key
 * @param lastTs      the last entry's time, with {@code lastEventId}
 * @param payloadTs   where the payload's compact items of the span start ({@link ItemContract#PAYLOAD_TS}); null when
 *                    a long-layout item does not say (written before issue 26 part 3)
 * @param entries     how many entries it counts
 * @param stream      the log stream's identity ({@link #streamId}), compared with entries' own
 * @param expiresAt   its {@code expires_at} (epoch seconds), 0 when absent
 * @param data        the encoded summary ({@link SummaryCodec}); null when the item says a layout this pglogs does
 *                    not read
 */
public record SummaryItem(String ts, String eventId, String lastTs, String lastEventId, String payloadTs,
                          long entries, String stream, long expiresAt, byte[] data) {
    /** Short layout: {@link #streamId} of the entries' log group and stream. */
    public static final String STREAM = "st";
    /**
     * Short layout: the last entry's event id (the first's is the sort key's). Not {@link ItemContract#LAST_EVENT_ID},
     * the long layout's name: two names, so neither is read for the other.
     */
    public static final String SHORT_LAST_EVENT_ID = "le";
    /**
     * Short layout: {@link ItemContract#PAYLOAD_TS} in milliseconds before the first entry's time; written only when not
     * zero (a summary split for size), absent meaning the summary's own first entry.
     */
    public static final String PAYLOAD_DELTA = "pd";
    /**
     * Short layout: the summary, JSON of version 1 (its {@code v}), zlib with no preset dictionary or the
     * {@code SummaryDictionary}, <em>for ever</em>: a later JSON version or dictionary is stored under another name, so
     * that this pglogs, finding no {@code sm}, sets the summary aside before it plans and reads its stretch from
     * entries (review S1, M1; docs/schema.md). A dictionary it does not know is set aside the same way, from the header.
     */
    public static final String DATA = "sm";

    /** Stream ids of the entries a report reads, remembered: a report asks for every entry it reads. */
    private static final Map<String, String> STREAM_IDS = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 10_000;

    /**
     * The stream identity of a log group and stream, as a summary item stores it and readers compute it of entries:
     * the first 8 bytes of SHA-256 of {@code utf8(group + "\0" + stream)} (null as empty), 16 lowercase hex digits.
     * Readers use it only to tell streams apart (conflicting summaries, entries a summary holds): a collision of two
     * streams of one instance, one in 2^64, is the only way it can mislead.
     */
    public static String streamId(String group, String stream) {
        String key = (group == null ? "" : group) + '\u0000' + (stream == null ? "" : stream);
        String id = STREAM_IDS.get(key);
        if (id == null) {
            id = sha256Prefix(key);
            if (STREAM_IDS.size() >= MAX_REMEMBERED) {
                STREAM_IDS.clear();
            }
            STREAM_IDS.put(key, id);
        }
        return id;
    }

    private static String sha256Prefix(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * Whether {@code item} is of the short layout (else the long one): it has a {@link #STREAM}, which every short
     * item has whatever its summary attribute is called, so a later pglogs may store a summary this one cannot read
     * under another name (see {@link #DATA}) and still be planned around.
     */
    public static boolean isShort(Map<String, AttributeValue> item) {
        return item.containsKey(STREAM);
    }

    /** A summary item read from either layout. */
    public static SummaryItem of(Map<String, AttributeValue> item) {
        long expiresAt = number(item, ItemContract.EXPIRES_AT);
        if (isShort(item)) {
            String sk = item.get(ItemContract.SK).s();
            // sk = <ts: 24 characters>#<event id>
            String ts = sk.substring(0, 24);
            long payloadDelta = number(item, PAYLOAD_DELTA);
            return new SummaryItem(ts, sk.substring(25), text(item, ItemContract.LAST_TS), text(item, SHORT_LAST_EVENT_ID),
                    payloadDelta == 0 ? ts
                            : ItemContract.isoMillis(Instant.ofEpochMilli(ItemContract.epochMillis(ts) - payloadDelta)),
                    number(item, ItemContract.ENTRIES), text(item, STREAM), expiresAt, readableData(item));
        }
        AttributeValue version = item.get(ItemContract.SUMMARY_VERSION);
        AttributeValue data = item.get(ItemContract.SUMMARY);
        boolean readable = version != null && String.valueOf(SummaryCodec.VERSION).equals(version.n())
                && data != null && data.b() != null;
        return new SummaryItem(text(item, ItemContract.TS), text(item, ItemContract.EVENT_ID),
                text(item, ItemContract.LAST_TS), text(item, ItemContract.LAST_EVENT_ID),
                text(item, ItemContract.PAYLOAD_TS), number(item, ItemContract.ENTRIES),
                streamId(text(item, ItemContract.LOG_GROUP), text(item, ItemContract.LOG_STREAM)), expiresAt,
                readable ? data.b().asByteArrayUnsafe() : null);
    }

    /** The short layout's summary, or null when it has none this pglogs reads (no {@link #DATA}, or another dictionary). */
    private static byte[] readableData(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(DATA);
        byte[] data = v == null || v.b() == null ? null : v.b().asByteArrayUnsafe();
        return SummaryCodec.knownDeflate(data) ? data : null;
    }

    /**
     * The short-layout item of a summary (the forwarder's {@code Summariser}).
     *
     * @param pk        its partition key ({@link ItemContract#summaryPartitionKey})
     * @param ts        its first entry's time, with {@code eventId} its sort key
     * @param payloadTs {@link ItemContract#PAYLOAD_TS}: {@code ts}, or earlier when split for size
     * @param expiresAt 0 for none
     * @param cluster   the Aurora cluster, or null
     */
    public static Map<String, AttributeValue> item(String pk, String ts, String eventId, String lastTs,
                                                   String lastEventId, String payloadTs, long entries,
                                                   String logGroup, String logStream, String cluster,
                                                   long expiresAt, byte[] data) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(16);
        item.put(ItemContract.PK, AttributeValue.fromS(pk));
        item.put(ItemContract.SK, AttributeValue.fromS(ItemContract.sortKey(ts, eventId)));
        if (cluster != null) {
            item.put(ItemContract.CLUSTER, AttributeValue.fromS(cluster));
        }
        // ts, last_ts and entries as the long layout names them: older readers plan with them (see the class).
        item.put(ItemContract.TS, AttributeValue.fromS(ts));
        item.put(ItemContract.LAST_TS, AttributeValue.fromS(lastTs));
        item.put(ItemContract.ENTRIES, AttributeValue.fromN(Long.toString(entries)));
        item.put(STREAM, AttributeValue.fromS(streamId(logGroup, logStream)));
        item.put(SHORT_LAST_EVENT_ID, AttributeValue.fromS(lastEventId));
        long payloadDelta = ItemContract.epochMillis(ts) - ItemContract.epochMillis(payloadTs);
        if (payloadDelta != 0) {
            item.put(PAYLOAD_DELTA, AttributeValue.fromN(Long.toString(payloadDelta)));
        }
        item.put(DATA, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(data)));
        if (expiresAt > 0) {
            item.put(ItemContract.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        }
        return item;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }
}
