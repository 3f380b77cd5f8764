package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * The report's CPU per stored summary (issue 26 part 3): {@code INSTANCES} instances of the {@link SyntheticFleet}
 * forwarded for {@code HOURS} hours in payloads of P lines (entries format, summaries on), each whole ten-minute span's
 * summaries rolled up by {@link Roller#rollup}; then, one thread, no I/O, what a fleet report does with them: every
 * rollup (and, apart, every summary) decoded and merged in time order into one builder with the report's defaults.
 * Prints the thread's CPU nanoseconds per rollup and per summary (median of ROUNDS, each as many passes as fill
 * PASS_MILLIS of CPU).
 *
 * <p>{@code MODE} {@code merge} times {@code builder.merge(SummaryCodec.decode(data, options))}, the API every
 * version has: run against another build's classes (bench/summary-decode does, with PGLOGS_BENCH_BASELINE) it times
 * that build. {@code into} times {@code SummaryCodec.decodeInto(data, builder)} and checks that both ways make the
 * same report.
 *
 * <p>usage: SummaryDecodeBenchmark CORPUS_LOG MODE [P [INSTANCES [HOURS]]]
 */
public final class SummaryDecodeBenchmark {
    /** The report's defaults (ReportCommand: --top 10, --max-fingerprints 5000). */
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(10, 5_000);
    private static final int ROUNDS = 5;
    private static final int WARM_UP = 3;
    private static final long PASS_MILLIS = 500;

    private SummaryDecodeBenchmark() {
    }

    /** Adds one stored summary's state to a builder. */
    private interface Way {
        void add(ReportBuilder into, byte[] data);
    }

    public static void main(String[] args) throws Exception {
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            corpus = Corpus.split(in);
        }
        String mode = args[1];
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int instances = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int hours = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        SyntheticFleet fleet = new SyntheticFleet(corpus, FleetCostBenchmark.INSTANCES,
                FleetCostBenchmark.LINES_PER_SECOND, FleetCostBenchmark.START);
        long from = fleet.startMillis() + 86_400_000L;
        long until = from + hours * 3_600_000L;
        List<byte[]> summaries = new ArrayList<>();
        List<byte[]> rollups = new ArrayList<>();
        long entries = make(fleet, p, instances, from, until, summaries, rollups);
        Way merge = (into, data) -> into.merge(SummaryCodec.decode(data, REPORT));
        Way way = switch (mode) {
            case "merge" -> merge;
            case "into" -> Into.WAY;
            default -> throw new IllegalArgumentException("MODE is merge or into");
        };
        if (way != merge) {
            for (List<byte[]> items : List.of(rollups, summaries)) {
                Report expected = report(items, merge);
                Report got = report(items, way);
                if (!expected.equals(got)) {
                    throw new IllegalStateException("decodeInto made another report than decode + merge");
                }
            }
        }
        double rollupNanos = time(rollups, way) / rollups.size();
        double summaryNanos = time(summaries, way) / summaries.size();
        System.out.printf("mode %s, P=%d, %d instances x %d h (%,d entries): %,.0f ns per rollup (%,d rollups, %,.0f B "
                        + "mean), %,.0f ns per summary (%,d summaries, %,.0f B mean)%n", mode, p, instances, hours,
                entries, rollupNanos, rollups.size(), mean(rollups), summaryNanos, summaries.size(), mean(summaries));
    }

    /** Kept apart so that a build without decodeInto runs the merge mode (methods link when first called). */
    private static final class Into {
        static final Way WAY = (into, data) -> SummaryCodec.decodeInto(data, into);
    }

    private static long make(SyntheticFleet fleet, int p, int instances, long from, long until, List<byte[]> summaries,
                             List<byte[]> rollups) throws InterruptedException {
        CountingDynamoDb ddb = new CountingDynamoDb(true);
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS,
                new Redactor());
        try (BatchWriter writer = new BatchWriter(ddb, "bench", 1)) {
            Forwarder forwarder = new Forwarder(new PostgresLogParser(), items, null, writer,
                    new CatalogWriter(ddb, "bench", items), line -> { },
                    new Summariser(ItemContract.DEFAULT_SHARDS), Rollups.NONE);
            for (int i = 0; i < instances; i++) {
                long first = fleet.payloadStart(i, fleet.lineAt(i, from), p);
                long last = fleet.lineAt(i, until);
                for (long n = Math.max(0, first); n < last; n += p) {
                    forwarder.forward(fleet.payload(i, n, p), Deadline.after(Duration.ofMinutes(1)));
                }
            }
        }
        // By instance, then span: the order a report merges an instance-day's pieces in.
        Map<String, List<Map<String, AttributeValue>>> bySpan = new TreeMap<>();
        long entries = 0;
        for (Map<String, AttributeValue> s : ddb.summaries()) {
            long span = ItemContract.compactSpan(SummaryItem.of(s).ts());
            long start = span * ItemContract.COMPACT_SPAN_MILLIS;
            if (start < from || start + ItemContract.COMPACT_SPAN_MILLIS > until) {
                continue;
            }
            bySpan.computeIfAbsent(instanceOf(s) + "#" + String.format("%012d", span),
                    k -> new ArrayList<>()).add(s);
        }
        for (var e : bySpan.entrySet()) {
            List<Map<String, AttributeValue>> span = e.getValue();
            span.sort(Comparator.comparing(s -> s.get(ItemContract.SK).s()));
            String instance = instanceOf(span.get(0));
            long start = ItemContract.compactSpan(SummaryItem.of(span.get(0)).ts());
            Map<String, AttributeValue> rollup = Roller.rollup(instance, ItemContract.rollupKey(instance, start),
                    span, null);
            rollups.add(rollup.get(ItemContract.SUMMARY).b().asByteArray());
            for (Map<String, AttributeValue> s : span) {
                summaries.add(SummaryItem.of(s).data());
                entries += SummaryItem.of(s).entries();
            }
        }
        return entries;
    }

    /** A summary item's instance: its pk is _summary#<instance>#<day>#<shard>. */
    private static String instanceOf(Map<String, AttributeValue> summary) {
        String pk = summary.get(ItemContract.PK).s();
        String rest = pk.substring(ItemContract.SUMMARY_PREFIX.length(), pk.lastIndexOf('#'));
        return rest.substring(0, rest.lastIndexOf('#'));
    }

    private static Report report(List<byte[]> items, Way way) {
        ReportBuilder b = new ReportBuilder(REPORT, null, null);
        for (byte[] data : items) {
            way.add(b, data);
        }
        return b.build();
    }

    /**
     * CPU nanoseconds of this thread one pass over {@code items} takes: the median of ROUNDS after WARM_UP. CPU time,
     * not wall time: on a shared machine the thread waits for a core as long as others run.
     */
    private static double time(List<byte[]> items, Way way) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] rounds = new double[ROUNDS];
        long[] sink = new long[1];
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            long start = cpu.getCurrentThreadCpuTime();
            int n = 0;
            do {
                sink[0] += report(items, way).overview().entries();
                n++;
            } while (cpu.getCurrentThreadCpuTime() - start < PASS_MILLIS * 1_000_000);
            if (r >= 0) {
                rounds[r] = (double) (cpu.getCurrentThreadCpuTime() - start) / n;
            }
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static double mean(List<byte[]> items) {
        return items.stream().mapToInt(b -> b.length).average().orElse(0);
    }
}
