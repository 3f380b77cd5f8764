package io.pglogs.bench;

import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What rollups (issue 26 part 2) add to the writes: for instances of the {@link SyntheticFleet} (the bench corpus at 5
 * lines a second each), {@code HOURS} hours of their payloads of P lines go through the real Forwarder (entries
 * format, summaries on, no bumps: the live path on time) into a {@link CountingDynamoDb}; each whole ten-minute span's
 * summaries are then merged as the roller merges them ({@link Roller#rollup}) and the rollup item charged as DynamoDB
 * charges a put (one write unit per started KB). Printed per P: the span's entries, its write units for entries and
 * summaries, the rollup's bytes and units, and the ratio; plus the roller's consistent reads (GetItem: 1 unit; the
 * summaries' Query: their bytes in 4 KB units, at least one per shard).
 *
 * <p>usage: RollupCostBenchmark CORPUS_LOG [P,P,... [INSTANCES [HOURS]]]
 */
public final class RollupCostBenchmark {
    private RollupCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            corpus = Corpus.split(in);
        }
        int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "20,100,500,2000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int instances = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int hours = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        SyntheticFleet fleet = new SyntheticFleet(corpus, FleetCostBenchmark.INSTANCES,
                FleetCostBenchmark.LINES_PER_SECOND, FleetCostBenchmark.START);
        long from = fleet.startMillis() + 86_400_000L;
        long until = from + hours * 3_600_000L;
        System.out.printf("rollups: %d instances of the fleet (one line every %d ms each), %d h from %s, payloads of P "
                        + "lines, entries format, summaries on; corpus %,d entries%n", instances,
                fleet.intervalMillis(), hours, ItemContract.isoMillis(java.time.Instant.ofEpochMilli(from)),
                corpus.size());
        for (int p : sizes) {
            CountingDynamoDb ddb = new CountingDynamoDb(true);
            ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS,
                    new Redactor());
            Map<String, long[]> entryUnitsBySpan = new TreeMap<>();
            try (BatchWriter writer = new BatchWriter(ddb, "bench", 1)) {
                Forwarder forwarder = new Forwarder(new PostgresLogParser(), items, null, writer,
                        new CatalogWriter(ddb, "bench", items), line -> { },
                        new Summariser(ItemContract.DEFAULT_SHARDS), Rollups.NONE);
                for (int i = 0; i < instances; i++) {
                    long first = fleet.payloadStart(i, fleet.lineAt(i, from), p);
                    long last = fleet.lineAt(i, until);
                    for (long n = Math.max(0, first); n < last; n += p) {
                        var payload = fleet.payload(i, n, p);
                        long before = ddb.bill(CountingDynamoDb.Kind.LOG).units;
                        forwarder.forward(payload, Deadline.after(Duration.ofMinutes(1)));
                        // Log units by the payload's first span: payloads are short beside a span.
                        long span = Math.floorDiv(payload.events().get(0).timestamp(),
                                ItemContract.COMPACT_SPAN_MILLIS);
                        entryUnitsBySpan.computeIfAbsent(i + "#" + span, k -> new long[1])[0] +=
                                ddb.bill(CountingDynamoDb.Kind.LOG).units - before;
                    }
                }
            }
            Map<String, List<Map<String, AttributeValue>>> bySpan = new TreeMap<>();
            for (Map<String, AttributeValue> s : ddb.summaries()) {
                long span = ItemContract.compactSpan(s.get(ItemContract.TS).s());
                long start = span * ItemContract.COMPACT_SPAN_MILLIS;
                if (start < from || start + ItemContract.COMPACT_SPAN_MILLIS > until) {
                    continue; // only whole spans
                }
                bySpan.computeIfAbsent(s.get(ItemContract.INSTANCE).s() + "#" + span, k -> new ArrayList<>()).add(s);
            }
            long spans = bySpan.size();
            long entries = 0;
            long summaryUnits = 0;
            long summaryBytes = 0;
            long summaryItems = 0;
            long rollupBytes = 0;
            long rollupUnits = 0;
            long maxRollup = 0;
            long queryUnits = 0;
            long entryUnits = 0;
            for (var e : bySpan.entrySet()) {
                List<Map<String, AttributeValue>> summaries = e.getValue();
                summaries.sort(Comparator.comparing(s -> s.get(ItemContract.SK).s()));
                String instance = summaries.get(0).get(ItemContract.INSTANCE).s();
                long span = Long.parseLong(e.getKey().substring(e.getKey().lastIndexOf('#') + 1));
                Map<String, AttributeValue> rollup = Roller.rollup(instance, ItemContract.rollupKey(instance, span),
                        summaries, null);
                if (rollup == null) {
                    throw new IllegalStateException("a rollup over 350,000 bytes at " + e.getKey());
                }
                long bytes = ItemSize.bytes(rollup);
                rollupBytes += bytes;
                rollupUnits += ItemSize.writeUnits(rollup);
                maxRollup = Math.max(maxRollup, bytes);
                long spanSummaryBytes = 0;
                for (Map<String, AttributeValue> s : summaries) {
                    entries += Long.parseLong(s.get(ItemContract.ENTRIES).n());
                    summaryUnits += ItemSize.writeUnits(s);
                    spanSummaryBytes += ItemSize.bytes(s);
                }
                summaryBytes += spanSummaryBytes;
                summaryItems += summaries.size();
                queryUnits += Math.max(ItemContract.DEFAULT_SHARDS, (spanSummaryBytes + 4095) / 4096);
                int instanceNo = Integer.parseInt(instance.substring(instance.lastIndexOf('-') + 1));
                long[] u = entryUnitsBySpan.get(instanceNo + "#" + span);
                entryUnits += u == null ? 0 : u[0];
            }
            System.out.printf("P=%-5d %d whole spans, %,.0f entries each, %.1f summaries (%,.0f B each): per span "
                            + "entries %,.1f WU + summaries %,.1f WU; rollup %,.0f B (max %,d) = %,.2f WU per span "
                            + "(%.2f %% of entries+summaries, %.5f WU/entry); roller reads per span: GetItem 1 RU + "
                            + "Query %,.1f RU (consistent)%n", p, spans, (double) entries / spans,
                    (double) summaryItems / spans, (double) summaryBytes / Math.max(1, summaryItems),
                    (double) entryUnits / spans, (double) summaryUnits / spans, (double) rollupBytes / spans,
                    maxRollup, (double) rollupUnits / spans,
                    100.0 * rollupUnits / Math.max(1, entryUnits + summaryUnits), (double) rollupUnits / entries,
                    (double) queryUnits / spans);
        }
    }
}
