package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.cli.query.ReportReader;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.ReportBuilder;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Peak live heap of the report reader from summaries (issue 26, review finding 4): a moto table holding only summary
 * items (made by the forwarder's own {@link Summariser} from payloads of P lines of the bench corpus, times rewritten
 * to spread each instance's payloads over one UTC day) and flagged catalogue items, so the whole window is counted
 * from summaries; then {@link ReportReader#read} over the day with a sampler thread taking the live heap (after a
 * full GC) every 20 ms, less what was live before. Only summary items are written (their entries are not needed for
 * a window every summary lies in), so moto holds many.
 *
 * <p>usage: SummaryHeapBenchmark MOTO_ENDPOINT CORPUS_LOG INSTANCES PAYLOADS_PER_INSTANCE P [CONCURRENCY [TABLE]]
 * (TABLE: a table an earlier run wrote with the same arguments, read again without writing: one input for two
 * builds of the reader)
 */
public final class SummaryHeapBenchmark {
    private static final LocalDate DAY = LocalDate.of(2026, 1, 1);

    private SummaryHeapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        int instances = Integer.parseInt(args[2]);
        int payloads = Integer.parseInt(args[3]);
        int p = Integer.parseInt(args[4]);
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            corpus = Corpus.split(in);
        }
        corpus = corpus.stream().filter(e -> e.text().matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"))
                .toList();
        DynamoDbClient ddb = MotoServer.dynamoDb(endpoint);
        boolean load = args.length <= 6;
        String table = load ? LogTables.create(ddb, "bench-heap") : args[6];
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, 90, new Redactor());
        Summariser summariser = new Summariser(ItemContract.DEFAULT_SHARDS);
        PostgresLogParser parser = new PostgresLogParser();
        Instant start = DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        long spacing = 86_400_000L / ((long) payloads * p);
        long summaries = 0;
        long bytes = 0;
        long loadStart = System.nanoTime();
        try (BatchWriter writer = new BatchWriter(ddb, table, 8)) {
            for (int i = 0; load && i < instances; i++) {
                String instance = "heap-db-" + i;
                LogSource source = LogSource.of(LogSource.instanceLogGroup(instance), instance);
                List<Map<String, AttributeValue>> batch = new ArrayList<>();
                Map<String, AttributeValue> catalogue = new HashMap<>(items.catalogItem(instance, null, DAY));
                catalogue.put(ItemContract.SUMMARISED, AttributeValue.fromBool(true));
                batch.add(catalogue);
                long line = 0;
                for (int n = 0; n < payloads; n++) {
                    List<Map<String, AttributeValue>> entries = new ArrayList<>(p);
                    for (int k = 0; k < p; k++, line++) {
                        Instant t = start.plusMillis(line * spacing);
                        String text = corpus.get((int) ((line + i * 997L) % corpus.size())).text();
                        text = t.toString().replace('T', ' ').substring(0, 19) + text.substring(19);
                        entries.add(items.forSource(source).build(String.format("%056d", line), t.toEpochMilli(),
                                parser.parse(text)).item());
                    }
                    for (Map<String, AttributeValue> s : summariser.summaries(entries, source)) {
                        batch.add(s);
                        summaries++;
                        bytes += SummaryItem.of(s).data().length;
                    }
                    if (batch.size() >= 500) {
                        writer.write(batch, Deadline.after(Duration.ofMinutes(5)));
                        batch.clear();
                    }
                }
                writer.write(batch, Deadline.after(Duration.ofMinutes(5)));
            }
        }
        if (load) {
            System.out.printf("table %s: %d instances x %,d payloads of %d lines over %s: %,d summary items (%,.1f MB "
                            + "encoded) written into moto in %.1f s%n", table, instances, payloads, p, DAY, summaries,
                    bytes / 1e6, (System.nanoTime() - loadStart) / 1e9);
        }

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = live(memory);
        AtomicLong peak = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(live(memory) - before, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        long began = System.nanoTime();
        sampler.start();
        ReportReader.Read read;
        try (ReportReader reader = new ReportReader(ddb, table, TableLayout.DEFAULT, concurrency)) {
            read = reader.read(List.of(), start, start.plusSeconds(86_400).minusMillis(1),
                    new ReportBuilder.Options(10, 5000), Instant.now(), (day, entries, share) -> { });
        }
        done.set(true);
        sampler.join();
        peak.accumulateAndGet(live(memory) - before, Math::max);
        System.out.printf("report from summaries (--concurrency %d): %,d summaries used (%,d entries), %,d entries "
                        + "read, in %.1f s; peak live heap of the reader %.1f MiB (max heap %d MiB)%n", concurrency,
                read.sources().summaries(), read.sources().summarised(), read.sources().read(),
                (System.nanoTime() - began) / 1e9, peak.get() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576);
    }

    private static long live(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
