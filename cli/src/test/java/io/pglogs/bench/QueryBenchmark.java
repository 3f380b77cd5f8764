package io.pglogs.bench;

import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.LogRow;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemFactory;
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
 * a filter, the baseline, in the same run. Messages come from a real-server corpus.
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
        LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS);
        long loadStart = System.nanoTime();
        int n = load(ddb, table, first, messages);
        System.out.printf("loaded %d entries (%d instances x %d days x %d/day) in %.1f s%n", n, INSTANCES, DAYS,
                PER_DAY, (System.nanoTime() - loadStart) / 1e9);

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
        }
    }

    record Result(double firstMs, double totalMs, int rows, long scanned, long returned, long requests) {
    }

    static Result query(DynamoDbClient ddb, String table, Instant from, Instant until) {
        long start = System.nanoTime();
        double first = -1;
        int rows = 0;
        try (LogReader reader = new LogReader(ddb, table, LogReader.shards(ddb, table), 16)) {
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

    private static int load(DynamoDbClient ddb, String table, LocalDate first, List<String> messages)
            throws Exception {
        ItemFactory factory = new ItemFactory(4, 90, new Redactor());
        PostgresLogParser parser = new PostgresLogParser();
        int count = 0;
        try (BatchWriter writer = new BatchWriter(ddb, table, 8)) {
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
            }
        }
        return count;
    }
}
