package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.InMemoryForwarder;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionDecoder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.Payloads;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Single-thread throughput of what the Lambda does per payload short of the network: base64 + gunzip + JSON decode,
 * parse, redact, and build the DynamoDB items, in each storage format (entries; compact, which also packs and
 * compresses), the formats alternating within each round. Also the write units and stored bytes the items cost.
 * Prints one figure per line.
 *
 * <p>usage: ThroughputBenchmark LOGFILE [ROUNDS]
 */
public final class ThroughputBenchmark {
    private ThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<LogFileSplitter.RawEntry> entries;
        try (InputStream in = Files.newInputStream(file)) {
            entries = Corpus.split(in);
        }
        List<LogEvent> events = Corpus.asEvents(entries, 1);
        long rawBytes = Files.size(file);
        // CloudWatch batches up to 10,000 events or about 1 MB into one payload; 500 is typical of a busy instance.
        List<byte[]> payloads = new ArrayList<>();
        for (String e : Payloads.lambdaEvents("/aws/rds/instance/bench-db/postgresql", "bench-db.0", events, 500)) {
            payloads.add(e.getBytes(StandardCharsets.UTF_8));
        }
        SubscriptionDecoder decoder = new SubscriptionDecoder();
        Forwarder forwarder = new Forwarder(new PostgresLogParser(), new ItemFactory(4, 90, new Redactor()), null, null,
                line -> { });
        CompactItems compact = new CompactItems(4);
        double[] compactSeconds = new double[rounds];

        long units = 0;
        long itemBytes = 0;
        double[] seconds = new double[rounds];
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            long start = System.nanoTime();
            long count = 0;
            long roundUnits = 0;
            long roundBytes = 0;
            for (byte[] p : payloads) {
                SubscriptionPayload payload = decoder.decodeEvent(new ByteArrayInputStream(p));
                for (ItemFactory.Built b : forwarder.parse(payload).items()) {
                    count++;
                    if (r == 0) {
                        roundUnits += ItemSize.writeUnits(b.item());
                        roundBytes += ItemSize.bytes(b.item());
                    }
                }
            }
            if (r >= 0) {
                seconds[r] = (System.nanoTime() - start) / 1e9;
                if (r == 0) {
                    // Size accounting is measured once and kept out of the timed rounds' comparison below.
                    units = roundUnits;
                    itemBytes = roundBytes;
                }
            }
            if (count != entries.size()) {
                throw new IllegalStateException("built " + count + " items for " + entries.size() + " entries");
            }
            start = System.nanoTime();
            long packed = 0;
            for (byte[] p : payloads) {
                SubscriptionPayload payload = decoder.decodeEvent(new ByteArrayInputStream(p));
                List<Map<String, AttributeValue>> built = new ArrayList<>();
                for (ItemFactory.Built b : forwarder.parse(payload).items()) {
                    built.add(b.item());
                }
                packed += compact.pack(built).entries();
            }
            if (r >= 0) {
                compactSeconds[r] = (System.nanoTime() - start) / 1e9;
            }
            if (packed != entries.size()) {
                throw new IllegalStateException("packed " + packed + " of " + entries.size() + " entries");
            }
        }
        double median = median(seconds);
        double compactMedian = median(compactSeconds);
        System.out.printf("entries=%d%n", entries.size());
        System.out.printf("raw_mb=%.2f%n", rawBytes / 1e6);
        System.out.printf("seconds_median=%.4f%n", median);
        System.out.printf("entries_per_s=%.0f%n", entries.size() / median);
        System.out.printf("mb_per_s=%.1f%n", rawBytes / 1e6 / median);
        System.out.printf("write_units_per_entry=%.3f%n", (double) units / entries.size());
        System.out.printf("mean_item_bytes=%.0f%n", (double) itemBytes / entries.size());
        System.out.printf("stored_bytes_per_entry=%.1f%n", (double) (itemBytes + PER_ITEM_OVERHEAD * entries.size())
                / entries.size());
        System.out.printf("compact_seconds_median=%.4f%n", compactMedian);
        System.out.printf("compact_entries_per_s=%.0f%n", entries.size() / compactMedian);
        System.out.printf("compact_throughput_ratio=%.3f%n", median / compactMedian);
        // The whole handler per payload, the SDK's request path included, DynamoDB answering in memory; each format
        // with summary items (issue 26: what the Lambda does) and without (before them), alternating in each round.
        double[][] handlerSeconds = new double[5][rounds];
        try (InMemoryForwarder entriesHandler = new InMemoryForwarder(StorageFormat.ENTRIES);
             InMemoryForwarder compactHandler = new InMemoryForwarder(StorageFormat.COMPACT);
             InMemoryForwarder entriesBare = new InMemoryForwarder(StorageFormat.ENTRIES, false);
             InMemoryForwarder compactBare = new InMemoryForwarder(StorageFormat.COMPACT, false);
             InMemoryForwarder entriesUnrolled = new InMemoryForwarder(StorageFormat.ENTRIES, true, false)) {
            InMemoryForwarder[] handlers = {entriesHandler, compactHandler, entriesBare, compactBare,
                entriesUnrolled};
            for (int r = -3; r < rounds; r++) {
                for (int h = 0; h < handlers.length; h++) {
                    long start = System.nanoTime();
                    for (byte[] p : payloads) {
                        String summary = handlers[h].invoke(p);
                        if (!summary.startsWith("{\"status\":\"ok\"")) {
                            throw new IllegalStateException(summary);
                        }
                    }
                    if (r >= 0) {
                        handlerSeconds[h][r] = (System.nanoTime() - start) / 1e9;
                    }
                }
            }
        }
        double handlerEntries = median(handlerSeconds[0]);
        double handlerCompact = median(handlerSeconds[1]);
        double bareEntries = median(handlerSeconds[2]);
        double bareCompact = median(handlerSeconds[3]);
        System.out.printf("handler_entries_per_s=%.0f%n", entries.size() / handlerEntries);
        System.out.printf("handler_compact_entries_per_s=%.0f%n", entries.size() / handlerCompact);
        System.out.printf("handler_compact_throughput_ratio=%.3f%n", handlerEntries / handlerCompact);
        System.out.printf("handler_entries_without_summaries_per_s=%.0f%n", entries.size() / bareEntries);
        System.out.printf("handler_compact_without_summaries_per_s=%.0f%n", entries.size() / bareCompact);
        System.out.printf("summaries_throughput_ratio_entries=%.3f%n", bareEntries / handlerEntries);
        System.out.printf("summaries_throughput_ratio_compact=%.3f%n", bareCompact / handlerCompact);
        // Rollups (issue 26 part 2): the same handler with the roller off; its late summaries bump either way.
        double unrolledEntries = median(handlerSeconds[4]);
        System.out.printf("handler_entries_without_roller_per_s=%.0f%n", entries.size() / unrolledEntries);
        System.out.printf("roller_throughput_ratio_entries=%.3f%n", unrolledEntries / handlerEntries);
        Summariser summariser = new Summariser(4);
        for (int size : new int[] {500, 100, 20}) {
            long packedItems = 0;
            long packedUnits = 0;
            long packedBytes = 0;
            long entryUnits = 0;
            long summaryItems = 0;
            long summaryUnits = 0;
            long summaryBytes = 0;
            long payloadCount = 0;
            for (String e : Payloads.lambdaEvents("/aws/rds/instance/bench-db/postgresql", "bench-db.0", events, size)) {
                SubscriptionPayload payload = decoder.decodeEvent(new ByteArrayInputStream(
                        e.getBytes(StandardCharsets.UTF_8)));
                List<Map<String, AttributeValue>> built = new ArrayList<>();
                for (ItemFactory.Built b : forwarder.parse(payload).items()) {
                    built.add(b.item());
                }
                payloadCount++;
                for (Map<String, AttributeValue> item : built) {
                    entryUnits += ItemSize.writeUnits(item);
                }
                for (Map<String, AttributeValue> item : summariser.summaries(built,
                        io.pglogs.forwarder.cloudwatch.LogSource.of(payload.logGroup(), payload.logStream()))) {
                    summaryItems++;
                    summaryUnits += ItemSize.writeUnits(item);
                    summaryBytes += SummaryItem.of(item).data()
                            .length;
                }
                for (Map<String, AttributeValue> item : compact.pack(built).items()) {
                    packedItems++;
                    packedUnits += ItemSize.writeUnits(item);
                    packedBytes += ItemSize.bytes(item) + PER_ITEM_OVERHEAD;
                }
            }
            System.out.printf("compact_payload%d_entries_per_item=%.1f%n", size, (double) entries.size() / packedItems);
            System.out.printf("compact_payload%d_write_units_per_entry=%.3f%n", size,
                    (double) packedUnits / entries.size());
            System.out.printf("compact_payload%d_stored_bytes_per_entry=%.1f%n", size,
                    (double) packedBytes / entries.size());
            // Summary items (issue 26): the encoded summary's bytes, the item's write units (1 per started KB) per
            // payload, and what they add to each format's write units.
            System.out.printf("summary_payload%d_items_per_payload=%.2f%n", size, (double) summaryItems / payloadCount);
            System.out.printf("summary_payload%d_encoded_bytes_per_payload=%.0f%n", size,
                    (double) summaryBytes / payloadCount);
            System.out.printf("summary_payload%d_write_units_per_payload=%.2f%n", size,
                    (double) summaryUnits / payloadCount);
            System.out.printf("entries_payload%d_write_units_per_payload=%.2f%n", size,
                    (double) entryUnits / payloadCount);
            System.out.printf("compact_payload%d_write_units_per_payload=%.2f%n", size,
                    (double) packedUnits / payloadCount);
            System.out.printf("summary_payload%d_write_units_added_entries=%.3f%n", size,
                    (double) summaryUnits / entryUnits);
            System.out.printf("summary_payload%d_write_units_added_compact=%.3f%n", size,
                    (double) summaryUnits / packedUnits);
        }
    }

    /** DynamoDB bills 100 bytes of index overhead per item on top of its attributes. */
    private static final int PER_ITEM_OVERHEAD = 100;

    /** The median of the timed rounds after the first. */
    private static double median(double[] seconds) {
        double[] timed = Arrays.copyOfRange(seconds, 1, seconds.length);
        Arrays.sort(timed);
        return timed[timed.length / 2];
    }
}
