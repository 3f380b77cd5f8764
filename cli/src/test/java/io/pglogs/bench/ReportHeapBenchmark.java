package io.pglogs.bench;

import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.Report;
import io.pglogs.report.ReportBuilder;
import io.pglogs.testing.Corpus;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Peak heap of the report's aggregation over N entries, N far past what moto holds (10 million): the rows are made
 * from a real server's log (the bench corpus), each entry built into its item as the forwarder builds it and read back
 * as a row, then replayed in a loop with times moving on 10 ms an entry, each replay's statements given fingerprints
 * and texts of their own among DISTINCT (so the statement table sees far more fingerprints than it holds and folds),
 * and their processes pids of their own. No row is kept: the heap measured is the builder's.
 *
 * <p>The live heap (after a full GC) is sampled every SAMPLE rows and at the end, less what was live before the
 * builder was made (the corpus's rows); the peak of those samples is printed.
 *
 * <p>usage: ReportHeapBenchmark CORPUS_LOG ENTRIES [MAX_FINGERPRINTS]
 */
public final class ReportHeapBenchmark {
    private static final int DISTINCT = 100_000;
    private static final int SAMPLE = 500_000;
    private static final long STEP_MS = 10;

    private ReportHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[1]);
        int maxFingerprints = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        List<LogRow> rows = rows(Path.of(args[0]));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = live(memory);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ReportBuilder builder = new ReportBuilder(new ReportBuilder.Options(10, maxFingerprints), start,
                start.plusMillis(n * STEP_MS + 1000));
        long peak = 0;
        long began = System.nanoTime();
        for (long i = 0; i < n; i++) {
            LogRow row = rows.get((int) (i % rows.size()));
            long copy = i / rows.size();
            String ts = Instant.ofEpochMilli(start.toEpochMilli() + i * STEP_MS).toString();
            row = row.with(ItemContract.TS, ts);
            Object pid = row.attributes().get(ItemContract.PID);
            if (pid instanceof Long p) {
                row = row.with(ItemContract.PID, p + 100_000 * (copy % 50));
            }
            String fingerprint = row.text(ItemContract.FINGERPRINT);
            if (fingerprint != null) {
                long variant = (copy * 7919 + i) % DISTINCT;
                row = row.with(ItemContract.FINGERPRINT, Long.toHexString(Long.parseUnsignedLong(fingerprint, 16)
                        ^ (variant * 0x9E3779B97F4A7C15L))).with(ItemContract.MESSAGE, row.message() + " -- v"
                        + variant);
            }
            builder.add(row);
            if ((i + 1) % SAMPLE == 0) {
                peak = Math.max(peak, live(memory) - before);
            }
        }
        Report report = builder.build();
        double seconds = (System.nanoTime() - began) / 1e9;
        peak = Math.max(peak, live(memory) - before);
        System.out.printf("%,d entries: peak live heap of the aggregation %.1f MiB (max heap %d MiB; rows from %d "
                        + "corpus entries, %,d distinct statements offered, %d held, %,d groups folded); %,.0f "
                        + "entries/s aggregated (GC samples included)%n", report.overview().entries(),
                peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, rows.size(), DISTINCT,
                maxFingerprints, report.statements().folded().groups(), n / seconds);
    }

    private static long live(MemoryMXBean memory) {
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** The corpus's entries as the report reads them back: each built into its item, then the item into a row. */
    static List<LogRow> rows(Path log) throws Exception {
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(log)) {
            corpus = Corpus.split(in);
        }
        ItemFactory factory = new ItemFactory(4, 90, new Redactor());
        ItemFactory.ForSource source = factory.forSource(LogSource.of(LogSource.instanceLogGroup("bench-db"),
                "bench-db.0"));
        PostgresLogParser parser = new PostgresLogParser();
        List<LogRow> rows = new ArrayList<>(corpus.size());
        long id = 0;
        for (LogFileSplitter.RawEntry e : corpus) {
            var entry = parser.parse(e.text());
            long millis = entry.timestamp() == null ? 0 : entry.timestamp().toEpochMilli();
            rows.add(LogRow.of(source.build(String.format("%056d", ++id), millis, entry).item()));
        }
        return rows;
    }
}
