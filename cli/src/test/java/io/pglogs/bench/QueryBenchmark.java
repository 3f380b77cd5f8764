package io.pglogs.bench;

import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Query speed on a table of 10 instances x 7 days x one entry a minute (100,800 entries) in moto, beside a Scan with
 * a filter, the baseline, in the same run; and the same entries in a compact table (packed an hour of an instance at
 * a time, as a backfill or a busier instance's payloads pack them), read the same way. Messages come from a
 * real-server corpus.
 *
 * <p>usage: QueryBenchmark ENDPOINT CORPUS_LOG
 */
public final class QueryBenchmark {
    private static final int INSTANCES = 10;
    private static final int DAYS = 7;
    private static final int PER_DAY = 1440;

    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DynamoDbClient ddb = MotoServer.dynamoDb(URI.create(args[0]));
        List<String> messages = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            for (LogFileSplitter.RawEntry e : Corpus.split(in)) {
                messages.add(new PostgresLogParser().parse(e.text()).message());
            }
        }
        String table = LogTables.create(ddb, "bench-query");
        String compact = LogTables.createCompact(ddb, "bench-query-compact");
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS);
        long loadStart = System.nanoTime();
        int n = load(ddb, table, compact, first, messages);
        long compactItems = LogTables.entries(ddb, compact).stream().filter(ItemContract::isCompact).count();
        // moto's Query walks every item of the table, so a table of fewer items answers faster there than DynamoDB
        // would: items of other partitions even the count, so the comparison measures reading, not moto.
        int filler = pad(ddb, compact, LogTables.entries(ddb, table).size() - LogTables.entries(ddb, compact).size());
        System.out.printf("loaded %d entries (%d instances x %d days x %d/day) in %.1f s, in %d compact items (and %d "
                        + "filler items of another partition, so both tables hold as many items)%n", n, INSTANCES, DAYS,
                PER_DAY, (System.nanoTime() - loadStart) / 1e9, compactItems, filler);

        Instant noon = first.plusDays(3).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (Duration window : List.of(Duration.ofHours(1), Duration.ofHours(24))) {
            Instant from = noon.minus(window);
            // Warm both paths once, then measure.
            query(ddb, table, from, noon);
            scan(ddb, table, from, noon);
            Result q = query(ddb, table, from, noon);
            Result s = scan(ddb, table, from, noon);
            System.out.printf("%dh window, instance db03: query  first line %6.1f ms, total %7.1f ms, returned %5d, "
                            + "read/returned %.3f (%d queries)%n", window.toHours(), q.firstMs, q.totalMs, q.rows,
                    (double) q.scanned / q.returned, q.requests);
            System.out.printf("%dh window, instance db03: scan   first line %6.1f ms, total %7.1f ms, returned %5d, "
                            + "read/returned %.1f (%d pages)%n", window.toHours(), s.firstMs, s.totalMs, s.rows,
                    (double) s.scanned / s.returned, s.requests);
            System.out.printf("%dh window: query is %.0fx faster to the first line and %.0fx faster in total%n",
                    window.toHours(), s.firstMs / q.firstMs, s.totalMs / q.totalMs);
            // Entries and compact, alternating, five times each; medians.
            List<Result> plain = new ArrayList<>();
            List<Result> packed = new ArrayList<>();
            List<String> plainRows = rows(ddb, table, from, noon);
            if (!plainRows.equals(rows(ddb, compact, from, noon))) {
                throw new IllegalStateException("the compact table reads otherwise than the entries table");
            }
            for (int round = 0; round < 5; round++) {
                plain.add(query(ddb, table, from, noon));
                packed.add(query(ddb, compact, from, noon));
            }
            Result e = median(plain);
            Result c = median(packed);
            System.out.printf("%dh window, instance db03: entries first line %6.1f ms, total %7.1f ms, returned %5d, "
                    + "items read %5d (median of 5)%n", window.toHours(), e.firstMs, e.totalMs, e.rows, e.scanned);
            System.out.printf("%dh window, instance db03: compact first line %6.1f ms, total %7.1f ms, returned %5d, "
                    + "items read %5d (median of 5)%n", window.toHours(), c.firstMs, c.totalMs, c.rows, c.scanned);
            System.out.printf("%dh window: compact / entries time = %.2f to the first line, %.2f in total "
                    + "(goal: no slower, <= 1)%n", window.toHours(), c.firstMs / e.firstMs, c.totalMs / e.totalMs);
        }
    }

    record Result(double firstMs, double totalMs, int rows, long scanned, long returned, long requests) {
    }

    /** Every row's entry key, as read from {@code table}: the same from both formats. */
    static List<String> rows(DynamoDbClient ddb, String table, Instant from, Instant until) {
        List<String> keys = new ArrayList<>();
        try (LogReader reader = new LogReader(ddb, table, TableLayout.of(DeployedTable.read(ddb, table).orElseThrow()), 16)) {
            reader.read(List.of("db03"), from, until, Filters.NONE, false, Instant.now())
                    .forEachRemaining(r -> keys.add(r.sortKey() + r.attributes()));
        }
        return keys;
    }

    /** The result with the median total time, with the median time to the first line. */
    static Result median(List<Result> results) {
        List<Result> byTotal = new ArrayList<>(results);
        byTotal.sort(java.util.Comparator.comparingDouble(Result::totalMs));
        List<Double> firsts = results.stream().map(Result::firstMs).sorted().toList();
        Result m = byTotal.get(byTotal.size() / 2);
        return new Result(firsts.get(firsts.size() / 2), m.totalMs, m.rows, m.scanned, m.returned, m.requests);
    }

    static Result query(DynamoDbClient ddb, String table, Instant from, Instant until) {
        long start = System.nanoTime();
        double first = -1;
        int rows = 0;
        try (LogReader reader = new LogReader(ddb, table, TableLayout.of(DeployedTable.read(ddb, table).orElseThrow()), 16)) {
            Iterator<LogRow> it = reader.read(List.of("db03"), from, until, Filters.NONE, false, Instant.now());
            while (it.hasNext()) {
                it.next();
                if (rows++ == 0) {
                    first = (System.nanoTime() - start) / 1e6;
                }
            }
            return new Result(first, (System.nanoTime() - start) / 1e6, rows, reader.stats().scanned(),
                    reader.stats().returned(), reader.stats().queries());
        }
    }

    static Result scan(DynamoDbClient ddb, String table, Instant from, Instant until) {
        long start = System.nanoTime();
        double first = -1;
        int rows = 0;
        long scanned = 0;
        long pages = 0;
        Map<String, AttributeValue> last = null;
        do {
            ScanRequest.Builder b = ScanRequest.builder().tableName(table)
                    .filterExpression("instance = :i AND ts BETWEEN :a AND :b")
                    .expressionAttributeValues(Map.of(":i", AttributeValue.fromS("db03"),
                            ":a", AttributeValue.fromS(from.toString()), ":b", AttributeValue.fromS(until.toString())));
            if (last != null) {
                b.exclusiveStartKey(last);
            }
            ScanResponse r = ddb.scan(b.build());
            pages++;
            scanned += r.scannedCount();
            if (rows == 0 && r.count() > 0) {
                first = (System.nanoTime() - start) / 1e6;
            }
            rows += r.count();
            last = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (last != null);
        return new Result(first, (System.nanoTime() - start) / 1e6, rows, scanned, rows, pages);
    }

    private static int pad(DynamoDbClient ddb, String table, int count) throws Exception {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(Map.of("pk", AttributeValue.fromS("filler#" + (i % 100)), "sk", AttributeValue.fromS(
                    String.format("%08d", i))));
        }
        try (BatchWriter writer = new BatchWriter(ddb, table, 8)) {
            writer.write(items, Deadline.after(Duration.ofMinutes(30)));
        }
        return Math.max(0, count);
    }

    private static int load(DynamoDbClient ddb, String table, String compactTable, LocalDate first,
                            List<String> messages) throws Exception {
        ItemFactory factory = new ItemFactory(4, 90, new Redactor());
        CompactItems compact = new CompactItems(4);
        PostgresLogParser parser = new PostgresLogParser();
        int count = 0;
        try (BatchWriter writer = new BatchWriter(ddb, table, 8);
             BatchWriter compactWriter = new BatchWriter(ddb, compactTable, 8)) {
            for (int i = 0; i < INSTANCES; i++) {
                String instance = String.format("db%02d", i);
                ItemFactory.ForSource source = factory.forSource(LogSource.of(LogSource.instanceLogGroup(instance),
                        instance + ".0"));
                List<Map<String, AttributeValue>> batch = new ArrayList<>();
                for (int d = 0; d < DAYS; d++) {
                    LocalDate day = first.plusDays(d);
                    batch.add(factory.catalogItem(instance, null, day));
                    for (int m = 0; m < PER_DAY; m++) {
                        Instant t = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(60L * m + i);
                        String line = t.toString().replace("T", " ").substring(0, 19) + " UTC:10.0.0.1(5000):app@db:[77]:"
                                + "LOG:  " + messages.get((count + m) % messages.size());
                        batch.add(source.build(String.format("%056d", ++count), t.toEpochMilli(),
                                parser.parse(line)).item());
                    }
                }
                writer.write(batch, Deadline.after(Duration.ofMinutes(30)));
                List<Map<String, AttributeValue>> packed = new ArrayList<>();
                List<Map<String, AttributeValue>> hour = new ArrayList<>();
                for (Map<String, AttributeValue> item : batch) {
                    if (ItemContract.isCatalog(item)) {
                        packed.add(item);
                        continue;
                    }
                    hour.add(item);
                    if (hour.size() == 60) {
                        packed.addAll(compact.pack(hour).items());
                        hour.clear();
                    }
                }
                packed.addAll(compact.pack(hour).items());
                compactWriter.write(packed, Deadline.after(Duration.ofMinutes(30)));
            }
        }
        return count;
    }
}
