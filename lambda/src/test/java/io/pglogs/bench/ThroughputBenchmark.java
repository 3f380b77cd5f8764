package io.pglogs.bench;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionDecoder;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
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

/**
 * Single-thread throughput of what the Lambda does per payload short of the network: base64 + gunzip + JSON decode,
 * parse, redact, and build the DynamoDB items. Also the write units the items cost. Prints one figure per line.
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
        }
        double[] timed = Arrays.copyOfRange(seconds, 1, rounds);
        Arrays.sort(timed);
        double median = timed[timed.length / 2];
        System.out.printf("entries=%d%n", entries.size());
        System.out.printf("raw_mb=%.2f%n", rawBytes / 1e6);
        System.out.printf("seconds_median=%.4f%n", median);
        System.out.printf("entries_per_s=%.0f%n", entries.size() / median);
        System.out.printf("mb_per_s=%.1f%n", rawBytes / 1e6 / median);
        System.out.printf("write_units_per_entry=%.3f%n", (double) units / entries.size());
        System.out.printf("mean_item_bytes=%.0f%n", (double) itemBytes / entries.size());
    }
}
