package io.pglogs.forwarder.dynamo;

import static io.pglogs.forwarder.dynamo.ItemContract.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The compact layout (docs/schema.md): the entries of one payload, as {@link ItemFactory} builds them, sorted by time
 * and event id and packed into items of at most 1 KB (one write unit), each holding one instance's entries of one
 * ten-minute span ({@link ItemContract#COMPACT_SPAN_MILLIS}) as zlib-compressed JSON lines, with in plain attributes
 * what readers need to skip it unread: first and last entry time, entry count, severities present, expiry.
 *
 * <pre>
 * pk = &lt;instance&gt;#&lt;YYYY-MM-DD&gt;#&lt;crc32(first event id) mod shards&gt;
 * sk = &lt;first entry's time&gt;#&lt;16 base64url characters of SHA-256 over the item's event ids&gt;
 * </pre>
 *
 * The key follows from the entries it holds: a redelivered payload packs into the same items and overwrites them;
 * entries that reach the table twice in different packings (a backfill over delivered hours) are two items, and
 * readers drop the second copy by event id. Thread-safe.
 */
public final class CompactItems {
    /**
     * DynamoDB charges a write unit per started KB; packed to a little less: its count of numbers is approximate. The
     * 1,000 bytes items were packed to before they carried {@code kv}, plus its 4 bytes: an item holds the entries it
     * did (20-line payloads would otherwise split into two items more often: 61 stored bytes per entry instead of 59).
     */
    static final int TARGET_BYTES = 1_000 + 4;
    private static final int LEVEL = Deflater.BEST_COMPRESSION;
    /** The entries' own attributes, written in this order: a fixed order compresses better and packs alike. */
    static final List<String> ENTRY_FIELDS = List.of(EVENT_ID, TS, SEVERITY, USER, DATABASE, CLIENT, PID, SQLSTATE,
            SESSION_ID, APPLICATION, MESSAGE, REDACTED, TRUNCATED, ORIGINAL_BYTES, REDUCED, KIND, DURATION_MS,
            FINGERPRINT, SQLSTATE_CLASS, TEMP_BYTES, WAIT_MS, SESSION_MS, RELATION, CHECKPOINT_BUFFERS,
            CHECKPOINT_WRITE_S, CHECKPOINT_SYNC_S, CHECKPOINT_TOTAL_S);
    private static final JsonFactory JSON = new JsonFactory().setRootValueSeparator(null);

    private final int shards;

    public CompactItems(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.shards = shards;
    }

    /** The items of one payload, how many distinct entries they hold, and entries dropped as repeated event ids. */
    public record Packed(List<Map<String, AttributeValue>> items, int entries, int duplicates) {
    }

    /** Packs entry items of one source (as {@link ItemFactory} builds them); the last of repeated event ids wins. */
    public Packed pack(List<Map<String, AttributeValue>> entryItems) {
        Map<String, Map<String, AttributeValue>> unique = new LinkedHashMap<>(entryItems.size() * 2);
        for (Map<String, AttributeValue> e : entryItems) {
            unique.put(e.get(EVENT_ID).s(), e);
        }
        List<Map<String, AttributeValue>> sorted = new ArrayList<>(unique.values());
        sorted.sort((a, b) -> a.get(SK).s().compareTo(b.get(SK).s()));
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        if (!sorted.isEmpty()) {
            Encoded encoded = encode(sorted);
            Deflater deflater = new Deflater(LEVEL);
            try {
                Packer packer = new Packer(sorted, encoded, deflater, items);
                int start = 0;
                for (int i = 1; i <= sorted.size(); i++) {
                    if (i == sorted.size() || !sameSpan(sorted.get(i), sorted.get(start))) {
                        packer.packRun(start, i);
                        start = i;
                    }
                }
            } finally {
                deflater.end();
            }
        }
        return new Packed(items, sorted.size(), entryItems.size() - sorted.size());
    }

    /**
     * No item a writer makes unpacks to more: one entry of a 380,000-byte message, every character escaped as
     * {@code \\u0000}, is under 2.3 MB. A damaged or hostile item stops there instead of exhausting the reader's memory.
     */
    static final int MAX_UNPACKED_BYTES = 8 << 20;

    /** Ends the stream with an IOException past {@code limit} bytes. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private long read;

        BoundedInputStream(java.io.InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new IOException("it unpacks to more than " + limit + " bytes");
            }
        }
    }

    /**
     * Whether two entries' times fall in one span, as readers bound it ({@link ItemContract#compactSpan}), and on one
     * UTC day (the item's key names one).
     */
    private static boolean sameSpan(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        String at = a.get(TS).s();
        String bt = b.get(TS).s();
        return at.regionMatches(0, bt, 0, 10) && ItemContract.compactSpan(at) == ItemContract.compactSpan(bt);
    }

    /** The JSON lines of the sorted entries, one buffer; entry i is bytes [offsets[i], offsets[i+1]). */
    private record Encoded(byte[] bytes, int[] offsets) {
    }

    private static Encoded encode(List<Map<String, AttributeValue>> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 200);
        int[] offsets = new int[entries.size() + 1];
        try (JsonGenerator g = JSON.createGenerator(out)) {
            for (int i = 0; i < entries.size(); i++) {
                Map<String, AttributeValue> e = entries.get(i);
                // What the classifier derives from severity, SQLSTATE and message is derived again by readers, unless
                // the message stored is not the one it was derived from (cut, or escaped in the reduced form).
                boolean derivable = !e.containsKey(TRUNCATED) && !e.containsKey(REDUCED);
                g.writeStartObject();
                for (String name : ENTRY_FIELDS) {
                    AttributeValue v = e.get(name);
                    if (v == null || derivable && ItemFactory.DERIVED.contains(name)) {
                        continue;
                    }
                    g.writeFieldName(name);
                    if (v.s() != null) {
                        g.writeString(v.s());
                    } else if (v.n() != null) {
                        g.writeNumber(v.n());
                    } else if (v.bool() != null) {
                        g.writeBoolean(v.bool());
                    } else {
                        throw new IllegalArgumentException("attribute " + name + " of an entry is not S, N or BOOL");
                    }
                }
                g.writeEndObject();
                g.writeRaw('\n');
                offsets[i + 1] = out.size() + g.getOutputBuffered();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length != offsets[entries.size()]) {
            throw new IllegalStateException("JSON lines of " + bytes.length + " bytes, counted "
                    + offsets[entries.size()]);
        }
        return new Encoded(bytes, offsets);
    }

    /** Packs runs of sorted entries into items, each as full as fits, learning the compression ratio as it goes. */
    private final class Packer {
        private final List<Map<String, AttributeValue>> sorted;
        private final Encoded encoded;
        private final Deflater deflater;
        private final List<Map<String, AttributeValue>> out;
        private byte[] buffer = new byte[4096];
        /** Compressed bytes per entry and the item's other bytes, from the last candidate: the next guess. */
        private double perEntry = 40;
        private int overhead = 300;

        Packer(List<Map<String, AttributeValue>> sorted, Encoded encoded, Deflater deflater,
               List<Map<String, AttributeValue>> out) {
            this.sorted = sorted;
            this.encoded = encoded;
            this.deflater = deflater;
            this.out = out;
        }

        private record Candidate(byte[] data, int size, int dataBytes) {
        }

        /**
         * Entries [from, to), all of one span: as many as fit, found from an estimate (the last item's compressed bytes
         * per entry) and a few trial compressions at most, stopping at 95 % full. A single entry is an item on its own
         * whatever its size (up to DynamoDB's 400 KB).
         */
        void packRun(int from, int to) {
            int i = from;
            while (i < to) {
                int remaining = to - i;
                int fits = 0;
                int tooMany = remaining + 1;
                Candidate best = null;
                int n = clamp((int) ((TARGET_BYTES - overhead) * 0.97 / perEntry), 1, remaining);
                for (int attempt = 0; ; attempt++) {
                    Candidate c = candidate(i, n);
                    if (c.size() <= TARGET_BYTES || n == 1) {
                        fits = n;
                        best = c;
                    } else {
                        tooMany = n;
                    }
                    overhead = c.size() - c.dataBytes();
                    perEntry = Math.max(1.0, (double) c.dataBytes() / n);
                    if (tooMany - fits <= 1 || best != null && (best.size() >= TARGET_BYTES * 0.95 || attempt >= 4)) {
                        break;
                    }
                    n = clamp((int) ((TARGET_BYTES - overhead) * 0.99 / perEntry), fits + 1, tooMany - 1);
                }
                out.add(item(sorted.subList(i, i + fits), best.data(), true));
                i += fits;
            }
        }

        private Candidate candidate(int from, int n) {
            int start = encoded.offsets()[from];
            int length = encoded.offsets()[from + n] - start;
            deflater.reset();
            deflater.setInput(encoded.bytes(), start, length);
            deflater.finish();
            int need = length + length / 100 + 64;
            if (buffer.length < need) {
                buffer = new byte[need];
            }
            int size = 0;
            while (!deflater.finished()) {
                size += deflater.deflate(buffer, size, buffer.length - size);
                if (size == buffer.length && !deflater.finished()) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                }
            }
            byte[] data = java.util.Arrays.copyOf(buffer, size);
            // Sized with a stand-in key of the same length: the digest is computed only for the item kept.
            Map<String, AttributeValue> item = item(sorted.subList(from, from + n), data, false);
            return new Candidate(data, ItemSize.bytes(item), data.length);
        }
    }

    private static final String STAND_IN_DIGEST = "0".repeat(16);
    private static final AttributeValue CLASSIFIER_VERSION = AttributeValue.fromN(
            Integer.toString(io.pglogs.forwarder.parse.EntryClassifier.VERSION));

    /** @param keyed false for a trial item whose size is all that counts: its key ends in a stand-in digest */
    private Map<String, AttributeValue> item(List<Map<String, AttributeValue>> entries, byte[] data, boolean keyed) {
        Map<String, AttributeValue> first = entries.get(0);
        Map<String, AttributeValue> last = entries.get(entries.size() - 1);
        String firstTs = first.get(TS).s();
        TreeSet<String> severities = new TreeSet<>();
        TreeSet<String> kinds = new TreeSet<>();
        long expires = Long.MIN_VALUE;
        MessageDigest sha = keyed ? sha256() : null;
        for (Map<String, AttributeValue> e : entries) {
            severities.add(e.get(SEVERITY).s());
            AttributeValue kind = e.get(KIND);
            if (kind != null && !io.pglogs.forwarder.parse.EntryKind.ROUTINE.contains(kind.s())) {
                kinds.add(kind.s());
            }
            expires = Math.max(expires, Long.parseLong(e.get(EXPIRES_AT).n()));
            if (keyed) {
                sha.update(e.get(EVENT_ID).s().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
        }
        String digest = keyed ? Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 16)
                : STAND_IN_DIGEST;
        Map<String, AttributeValue> item = new HashMap<>(16);
        item.put(PK, AttributeValue.fromS(partitionKey(first.get(INSTANCE).s(), firstTs, first.get(EVENT_ID).s(),
                shards)));
        item.put(SK, AttributeValue.fromS(firstTs + '#' + digest));
        for (String shared : new String[] {INSTANCE, CLUSTER, LOG_GROUP, LOG_STREAM}) {
            AttributeValue v = first.get(shared);
            if (v != null) {
                item.put(shared, v);
            }
        }
        item.put(TS, first.get(TS));
        item.put(LAST_TS, last.get(TS));
        item.put(ENTRIES, AttributeValue.fromN(Integer.toString(entries.size())));
        item.put(SEVERITIES, AttributeValue.fromSs(new ArrayList<>(severities)));
        if (!kinds.isEmpty()) {
            item.put(KINDS, AttributeValue.fromSs(new ArrayList<>(kinds)));
        }
        item.put(KINDS_VERSION, CLASSIFIER_VERSION);
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expires)));
        item.put(DATA, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(data)));
        return item;
    }

    /**
     * The entries of an item as the entries format stores them: the same attributes and values, {@code sk} the
     * entry's own ({@code <ts>#<event id>}), {@code pk} the item's. An entry item is returned as it is, classified
     * if it was stored without a kind (before kinds existed: {@link ItemFactory#classified}).
     */
    public static List<Map<String, AttributeValue>> entries(Map<String, AttributeValue> item) {
        if (!isCompact(item)) {
            return List.of(ItemFactory.classified(item));
        }
        try {
            return unpack(item);
        } catch (RuntimeException e) {
            // Whoever meets a damaged item must be able to find it: its full key, and what is wrong with it.
            throw new IllegalArgumentException("compact item pk=" + text(item.get(PK)) + " sk=" + text(item.get(SK))
                    + " cannot be read: " + (e instanceof IllegalArgumentException ? e.getMessage()
                    : "an attribute it needs is missing or malformed (" + e + ")"), e);
        }
    }

    private static String textOrNull(AttributeValue v) {
        return v == null ? null : v.s();
    }

    private static String text(AttributeValue v) {
        return v == null ? "(none)" : v.s();
    }

    private static List<Map<String, AttributeValue>> unpack(Map<String, AttributeValue> item) {
        String lastTs = item.get(LAST_TS).s();
        long ttlSeconds = Long.parseLong(item.get(EXPIRES_AT).n()) - Instant.parse(lastTs).getEpochSecond();
        int count = item.containsKey(ENTRIES) ? Integer.parseInt(item.get(ENTRIES).n()) : 16;
        List<Map<String, AttributeValue>> out = new ArrayList<>(count);
        Inflater inflater = new Inflater();
        try (JsonParser p = JSON.createParser(new BoundedInputStream(new InflaterInputStream(
                new ByteArrayInputStream(item.get(DATA).b().asByteArrayUnsafe()), inflater), MAX_UNPACKED_BYTES))) {
            JsonToken t;
            Map<String, AttributeValue> entry = null;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT -> entry = new HashMap<>(24);
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        entry.put(name, switch (v) {
                            case VALUE_STRING -> AttributeValue.fromS(p.getText());
                            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> AttributeValue.fromN(p.getText());
                            case VALUE_TRUE -> AttributeValue.fromBool(true);
                            case VALUE_FALSE -> AttributeValue.fromBool(false);
                            default -> throw new IllegalArgumentException("attribute " + name + " holds " + v);
                        });
                    }
                    case END_OBJECT -> {
                        String ts = entry.get(TS).s();
                        entry.put(PK, item.get(PK));
                        entry.put(SK, AttributeValue.fromS(sortKey(ts, entry.get(EVENT_ID).s())));
                        for (String shared : new String[] {INSTANCE, CLUSTER, LOG_GROUP, LOG_STREAM}) {
                            AttributeValue v = item.get(shared);
                            if (v != null) {
                                entry.put(shared, v);
                            }
                        }
                        entry.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(
                                Instant.parse(ts).getEpochSecond() + ttlSeconds)));
                        if (!entry.containsKey(KIND) && entry.containsKey(MESSAGE)) {
                            // Packed without what is derived from its message (docs/schema.md): derived again, as the
                            // writer did, so the entry reads as the entries format stores it.
                            ItemFactory.putFacts(entry, ItemFactory.classifier().classify(
                                    textOrNull(entry.get(SEVERITY)), textOrNull(entry.get(SQLSTATE)),
                                    entry.get(MESSAGE).s()), AttributeValue::fromS);
                        }
                        out.add(entry);
                    }
                    default -> throw new IllegalArgumentException("unexpected " + t + " in its entries");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return out;
    }

    private static int clamp(int n, int min, int max) {
        return Math.max(min, Math.min(max, n));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
