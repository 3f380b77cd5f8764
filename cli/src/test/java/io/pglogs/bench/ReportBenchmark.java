package io.pglogs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.TestCli;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.TableLayout;
import io.pglogs.cli.table.DeployedTable;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code pglogs report} through moto: a real server's log (the bench corpus: the standard workload and pgbench with
 * every statement logged) repeated, each copy earlier than the last, until it holds at least TARGET entries, imported
 * ({@code pglogs import}, the forwarder's code, summaries written with the entries) into a table of each storage
 * format. Then, alternating, five rounds each: the report of the whole window ({@code report -o json}, in-process:
 * read from moto, from summaries where they serve, and aggregated, the JSON written), the same report from entries
 * only ({@code --no-summaries}), and, as the baseline of the same run, the same window only read (LogReader, what
 * query reads). Prints entries per second of each, their ratios, and items DynamoDB read.
 *
 * <p>usage: ReportBenchmark ENDPOINT CORPUS_LOG [TARGET_ENTRIES [FORMAT]] (FORMAT: entries or compact; both when left
 * out)
 */
public final class ReportBenchmark {
    private static final Pattern STAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) UTC");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final String INSTANCE = "bench-db";
    private static final int ROUNDS = 5;

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        int target = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            corpus = Corpus.split(in);
        }
        if (corpus.size() > target) {
            // A slice of the corpus, its first entries, when it alone is more than asked (moto slows as it fills).
            corpus = List.copyOf(corpus.subList(0, target));
        }
        Path log = Files.createTempFile("pglogs-bench-report", ".log");
        Window w = repeat(corpus, target, log);
        System.out.printf("corpus: %d entries; %d copies, %d entries, %s to %s, in %s%n", corpus.size(), w.copies,
                w.entries, w.from, w.until, log);
        DynamoDbClient ddb = MotoServer.dynamoDb(endpoint);
        for (String format : args.length > 3 ? List.of(args[3]) : List.of("entries", "compact")) {
            String table = format.equals("compact") ? LogTables.createCompact(ddb, "bench-report")
                    : LogTables.create(ddb, "bench-report");
            TestCli cli = new TestCli();
            cli.env.putAll(java.util.Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION",
                    MotoServer.REGION.id(), "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench",
                    "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
                    "PGLOGS_DEVEL_TABLE", table));
            long loadStart = System.nanoTime();
            TestCli.Result imported = cli.run("import", "-q", "--no-rollup", "--instance", INSTANCE, log.toString());
            if (imported.code() != 0) {
                throw new IllegalStateException("import failed: " + imported);
            }
            System.out.printf("%-7s loaded in %.1f s%n", format, (System.nanoTime() - loadStart) / 1e9);
            String[] report = {"report", "-v", "--instance", INSTANCE, "--since", w.from.toString(), "--until",
                    w.until.toString(), "-o", "json", "--concurrency", Integer.toString(CONCURRENCY)};
            String[] fromEntries = java.util.stream.Stream.concat(java.util.Arrays.stream(report),
                    java.util.stream.Stream.of("--no-summaries")).toArray(String[]::new);
            // Warm each path once, then alternate.
            report(cli, report);
            report(cli, fromEntries);
            read(ddb, table, w);
            List<Run> reports = new ArrayList<>();
            List<Run> entryReports = new ArrayList<>();
            List<Run> reads = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                reports.add(report(cli, report));
                entryReports.add(report(cli, fromEntries));
                reads.add(read(ddb, table, w));
            }
            Run rep = median(reports);
            Run ent = median(entryReports);
            Run rd = median(reads);
            if (rep.entries != rd.entries || ent.entries != rd.entries || rep.entries != w.entries) {
                throw new IllegalStateException("the report counted " + rep.entries + " entries (from entries "
                        + ent.entries + "), the read " + rd.entries + ", the file holds " + w.entries);
            }
            System.out.printf("%-7s report: %,9.0f entries/s (%,d entries in %,.0f ms, median of %d), items read "
                            + "%,d, returned %,d: %.3f items read per entry returned%n", format,
                    rep.entries / (rep.millis / 1000), rep.entries, rep.millis, ROUNDS, rep.itemsRead,
                    rep.itemsReturned, (double) rep.itemsRead / rep.entries);
            System.out.printf("%-7s report --no-summaries: %,9.0f entries/s (%,.0f ms), items read %,d, returned %,d; "
                            + "from summaries / from entries: time %.3f, items read %.4f%n", format,
                    ent.entries / (ent.millis / 1000), ent.millis, ent.itemsRead, ent.itemsReturned,
                    rep.millis / ent.millis, (double) rep.itemsRead / ent.itemsRead);
            System.out.printf("%-7s read only (baseline, same run): %,9.0f entries/s (%,.0f ms); report / read "
                    + "time = %.2f%n", format, rd.entries / (rd.millis / 1000), rd.millis, rep.millis / rd.millis);
        }
        Files.deleteIfExists(log);
    }

    record Window(Instant from, Instant until, int copies, long entries) {
    }

    record Run(double millis, long entries, long itemsRead, long itemsReturned) {
    }

    /** The corpus copied until it holds {@code target} entries, each copy stamped a span earlier than the last. */
    static Window repeat(List<LogFileSplitter.RawEntry> corpus, int target, Path out) throws Exception {
        List<LocalDateTime> stamps = new ArrayList<>();
        for (LogFileSplitter.RawEntry e : corpus) {
            Matcher m = STAMP.matcher(e.text());
            stamps.add(m.find() ? LocalDateTime.parse(m.group(1), FORMAT) : null);
        }
        LocalDateTime first = stamps.stream().filter(java.util.Objects::nonNull).min(LocalDateTime::compareTo)
                .orElseThrow();
        LocalDateTime last = stamps.stream().filter(java.util.Objects::nonNull).max(LocalDateTime::compareTo)
                .orElseThrow();
        Duration span = Duration.between(first, last).plusSeconds(1);
        int copies = (target + corpus.size() - 1) / corpus.size();
        long entries = 0;
        try (var w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int c = copies - 1; c >= 0; c--) {
                Duration back = span.multipliedBy(c);
                for (int i = 0; i < corpus.size(); i++) {
                    String text = corpus.get(i).text();
                    if (stamps.get(i) != null) {
                        text = FORMAT.format(stamps.get(i).minus(back)) + text.substring(19);
                    }
                    w.write(text);
                    w.write('\n');
                    entries++;
                }
            }
        }
        Instant from = first.minus(span.multipliedBy(copies - 1)).toInstant(ZoneOffset.UTC).minusSeconds(60);
        return new Window(from, last.toInstant(ZoneOffset.UTC).plusSeconds(60), copies, entries);
    }

    /** Query requests in flight, report and baseline alike: moto serves them one by one, 16 timed out on 2 cores. */
    static final int CONCURRENCY = Integer.parseInt(System.getenv().getOrDefault("PGLOGS_BENCH_REPORT_CONCURRENCY",
            "4"));

    private static final Pattern READ = Pattern.compile("DynamoDB read (\\d+) items, returned (\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Run report(TestCli cli, String[] args) throws Exception {
        long start = System.nanoTime();
        TestCli.Result r = cli.run(args);
        double millis = (System.nanoTime() - start) / 1e6;
        if (r.code() != 0) {
            throw new IllegalStateException("report failed: " + r.err());
        }
        Matcher m = READ.matcher(r.err());
        if (!m.find()) {
            throw new IllegalStateException("report -v said nothing of what it read: " + r.err());
        }
        JsonNode json = JSON.readTree(r.out());
        return new Run(millis, json.path("overview").path("entries").asLong(), Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)));
    }

    static Run read(DynamoDbClient ddb, String table, Window w) {
        long start = System.nanoTime();
        long rows = 0;
        try (LogReader reader = new LogReader(ddb, table, TableLayout.of(DeployedTable.read(ddb, table)
                .orElseThrow()), CONCURRENCY)) {
            Iterator<?> it = reader.read(List.of(INSTANCE), w.from, w.until, Filters.NONE, false, Instant.now());
            while (it.hasNext()) {
                it.next();
                rows++;
            }
            return new Run((System.nanoTime() - start) / 1e6, rows, reader.stats().scanned(),
                    reader.stats().returned());
        }
    }

    static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Run::millis));
        return sorted.get(sorted.size() / 2);
    }
}
