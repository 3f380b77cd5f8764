package io.pglogs.bench;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What rolling up from entries (issue 26 part 3) costs per instance and ten-minute span. Instances of the
 * {@link SyntheticFleet} (the bench corpus at 5 lines a second each) write {@code HOURS} hours of payloads of P lines,
 * summaries off, through the real Forwarder into a DynamoDB that keeps the log items (no network). For each whole
 * span, as the {@link Roller} reads it: the items its Queries return (one per shard's entry partition, consistent: the
 * items' bytes in 4 KB units, at least 1 a Query) plus its GetItem (1 unit), and the rollup
 * {@link Roller#rollupOfEntries} makes of them (bytes, write units: one per started KB). Against the entries' own
 * write units, in units and in on-demand dollars ($1.25 per million write units, $0.25 per million read units).
 * CPU per span: unpacking and counting the span's entries into the rollup, against the baseline of the same run:
 * the Summariser counting the same entries (what summaries spend at ingest), alternated, best of rounds.
 *
 * <p>usage: EntryRollupCostBenchmark CORPUS_LOG [P,P,... [INSTANCES [HOURS [ROUNDS]]]]
 */
public final class EntryRollupCostBenchmark {
    private static final double WRITE_DOLLARS = 1.25e-6;
    private static final double READ_DOLLARS = 0.25e-6;

    private EntryRollupCostBenchmark() {
    }

    /** Takes every write and keeps the log items; not thread-safe (a BatchWriter of parallelism 1). */
    private static final class KeepingDynamoDb implements DynamoDbClient {
        final List<Map<String, AttributeValue>> logItems = new ArrayList<>();

        private void keep(Map<String, AttributeValue> item) {
            if (!item.get(ItemContract.PK).s().startsWith("_")) {
                logItems.add(item);
            }
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            for (List<WriteRequest> writes : request.requestItems().values()) {
                writes.forEach(w -> keep(w.putRequest().item()));
            }
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            keep(request.item());
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    /** One instance-span's items, by shard partition. */
    private record Span(String instance, long span, Map<String, List<Map<String, AttributeValue>>> byPartition) {
    }

    public static void main(String[] args) throws Exception {
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            corpus = Corpus.split(in);
        }
        int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "20,100,500").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int instances = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int hours = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        SyntheticFleet fleet = new SyntheticFleet(corpus, FleetCostBenchmark.INSTANCES,
                FleetCostBenchmark.LINES_PER_SECOND, FleetCostBenchmark.START);
        long from = fleet.startMillis() + 86_400_000L;
        long until = from + hours * 3_600_000L;
        System.out.printf("rollups from entries: %d instances of the fleet (one line every %d ms each), %d h from %s, "
                        + "payloads of P lines, summaries off; corpus %,d entries; CPU best of %d rounds%n", instances,
                fleet.intervalMillis(), hours, ItemContract.isoMillis(java.time.Instant.ofEpochMilli(from)),
                corpus.size(), rounds);
        for (String format : List.of("entries", "compact")) {
            for (int p : sizes) {
                measure(fleet, format, p, instances, from, until, rounds);
            }
        }
    }

    private static void measure(SyntheticFleet fleet, String format, int p, int instances, long from, long until,
                                int rounds) throws Exception {
        KeepingDynamoDb ddb = new KeepingDynamoDb();
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS, new Redactor());
        try (BatchWriter writer = new BatchWriter(ddb, "bench", 1)) {
            Forwarder forwarder = new Forwarder(new PostgresLogParser(), items,
                    "compact".equals(format) ? new CompactItems(ItemContract.DEFAULT_SHARDS) : null, writer,
                    new CatalogWriter(ddb, "bench", items), line -> { }, null, Rollups.NONE);
            for (int i = 0; i < instances; i++) {
                long first = fleet.payloadStart(i, fleet.lineAt(i, from), p);
                long last = fleet.lineAt(i, until);
                for (long n = Math.max(0, first); n < last; n += p) {
                    forwarder.forward(fleet.payload(i, n, p), Deadline.after(Duration.ofMinutes(1)));
                }
            }
        }
        // The items as the roller's Queries find them: by instance, span (of the item's key) and shard partition.
        Map<String, Span> spans = new TreeMap<>();
        for (Map<String, AttributeValue> item : ddb.logItems) {
            String sk = item.get(ItemContract.SK).s();
            long span = ItemContract.compactSpan(sk.substring(0, 24));
            long start = span * ItemContract.COMPACT_SPAN_MILLIS;
            if (start < from || start + ItemContract.COMPACT_SPAN_MILLIS > until) {
                continue; // only whole spans
            }
            String instance = item.get(ItemContract.INSTANCE).s();
            spans.computeIfAbsent(instance + "#" + span, k -> new Span(instance, span, new TreeMap<>()))
                    .byPartition().computeIfAbsent(item.get(ItemContract.PK).s(), k -> new ArrayList<>()).add(item);
        }
        long entries = 0;
        long itemsRead = 0;
        long entryUnits = 0;
        long readUnits = 0;
        long rollupBytes = 0;
        long rollupUnits = 0;
        long maxRollup = 0;
        long rollerNanos = Long.MAX_VALUE;
        long summariserNanos = Long.MAX_VALUE;
        for (Span s : spans.values()) {
            readUnits += 1; // the GetItem of the rollup
            for (int shard = 0; shard < ItemContract.DEFAULT_SHARDS; shard++) {
                List<Map<String, AttributeValue>> partition = s.byPartition().getOrDefault(
                        ItemContract.partitionKey(s.instance(), java.time.LocalDate.parse(ItemContract.isoMillis(
                                ItemContract.spanStart(s.span())).substring(0, 10)), shard), List.of());
                long bytes = 0;
                for (Map<String, AttributeValue> item : partition) {
                    bytes += ItemSize.bytes(item);
                    entryUnits += ItemSize.writeUnits(item);
                }
                itemsRead += partition.size();
                readUnits += Math.max(1, (bytes + 4095) / 4096);
            }
            Map<String, AttributeValue> rollup = roll(s);
            if (rollup == null) {
                throw new IllegalStateException("a rollup over 350,000 bytes: " + s.instance() + " " + s.span());
            }
            entries += Long.parseLong(rollup.get(ItemContract.ENTRIES).n());
            long bytes = ItemSize.bytes(rollup);
            rollupBytes += bytes;
            rollupUnits += ItemSize.writeUnits(rollup);
            maxRollup = Math.max(maxRollup, bytes);
        }
        // CPU, alternated with the baseline: every span rolled, then every span's entries summarised.
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (Span s : spans.values()) {
                roll(s);
            }
            rollerNanos = Math.min(rollerNanos, System.nanoTime() - t0);
            t0 = System.nanoTime();
            for (Span s : spans.values()) {
                summarise(s);
            }
            summariserNanos = Math.min(summariserNanos, System.nanoTime() - t0);
        }
        int n = Math.max(1, spans.size());
        System.out.printf("%-7s P=%-5d %d whole spans, %,.0f entries each: entries %,.1f WU per span; roller reads "
                        + "%,.1f items = %,.1f RU (GetItem + %d Queries, consistent) = %.2f %% of the entries' bill in "
                        + "$; rollup %,.0f B (max %,d) = %,.2f WU (%.2f %% of the entries' WU); writes+reads of the "
                        + "rollup %.2f %% of the entries' $; CPU per span %,.2f ms vs Summariser on the same entries "
                        + "%,.2f ms (ratio %.2f)%n",
                format, p, spans.size(), (double) entries / n, (double) entryUnits / n, (double) itemsRead / n,
                (double) readUnits / n, ItemContract.DEFAULT_SHARDS,
                100.0 * readUnits * READ_DOLLARS / (entryUnits * WRITE_DOLLARS), (double) rollupBytes / n,
                maxRollup, (double) rollupUnits / n, 100.0 * rollupUnits / entryUnits,
                100.0 * (rollupUnits * WRITE_DOLLARS + readUnits * READ_DOLLARS) / (entryUnits * WRITE_DOLLARS),
                rollerNanos / 1e6 / n, summariserNanos / 1e6 / n, (double) rollerNanos / summariserNanos);
    }

    /** What the Roller does with a span's items once read (SpanEntries, then rollupOfEntries). */
    private static Map<String, AttributeValue> roll(Span s) {
        TreeMap<String, LogRow> rows = new TreeMap<>();
        for (List<Map<String, AttributeValue>> partition : s.byPartition().values()) {
            for (Map<String, AttributeValue> item : partition) {
                for (Map<String, AttributeValue> e : CompactItems.entries(item)) {
                    rows.putIfAbsent(e.get(ItemContract.SK).s(), LogRow.of(e));
                }
            }
        }
        return Roller.rollupOfEntries(s.instance(), ItemContract.rollupKey(s.instance(), s.span()), rows.values(),
                null);
    }

    /** The baseline: the span's entries counted by the Summariser, as a forwarder with summaries counts a payload. */
    private static int summarise(Span s) {
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        for (List<Map<String, AttributeValue>> partition : s.byPartition().values()) {
            for (Map<String, AttributeValue> item : partition) {
                entries.addAll(CompactItems.entries(item));
            }
        }
        return new Summariser(ItemContract.DEFAULT_SHARDS).summaries(entries,
                LogSource.of("/aws/rds/instance/" + s.instance() + "/postgresql", s.instance() + ".0")).size();
    }
}
