package io.pglogs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pglogs.cli.TestCli;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code pglogs report} of a fleet from summaries, against moto, on the part of the fleet moto can hold: INSTANCES
 * instances of the synthetic fleet ({@link SyntheticFleet}: 5 lines a second each, the bench corpus replayed) for
 * HOURS hours, cut into payloads of P lines and written through the forwarder's code as {@code pglogs import} runs it
 * ({@link TableWriter}: entries or compact items, their summaries, the catalogue) into a table of its own. Then the
 * fleet report (every instance, no {@code --instance}) of a window with ragged edges (from 17 min 17 s after the first
 * hour to 22 min 51 s before the last hour's end): from summaries (the default) and, as the baseline of the same run,
 * {@code --no-summaries} (entries only), alternating, after one warm-up each; ROUNDS each, the medians. Prints both
 * times, their ratio, the items DynamoDB read ({@code -v}), whether the two reports are equal number for number
 * (everything but {@code overview.sources} and {@code read}), and the times projected linearly in instance-hours to
 * 200 instances x 24 hours (a projection: moto answers one request at a time and slows as it fills; DynamoDB does
 * neither).
 *
 * <p>usage: ReportScaleBenchmark ENDPOINT CORPUS_LOG FORMAT INSTANCES HOURS P [ROUNDS]
 */
public final class ReportScaleBenchmark {
    private static final Instant FIRST_HOUR = FleetCostBenchmark.START.plus(Duration.ofDays(1));
    private static final Duration HEAD = Duration.ofSeconds(17 * 60 + 17);
    private static final Duration TAIL = Duration.ofSeconds(22 * 60 + 51);
    private static final Pattern READ = Pattern.compile("DynamoDB read (\\d+) items");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLEET_INSTANCES = 200;
    private static final int FLEET_HOURS = 24;

    private ReportScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        StorageFormat format = StorageFormat.valueOf(args[2].toUpperCase(java.util.Locale.ROOT));
        int instances = Integer.parseInt(args[3]);
        int hours = Integer.parseInt(args[4]);
        int p = Integer.parseInt(args[5]);
        int rounds = args.length > 6 ? Integer.parseInt(args[6]) : 3;
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            corpus = Corpus.split(in);
        }
        SyntheticFleet fleet = new SyntheticFleet(corpus, FleetCostBenchmark.INSTANCES,
                FleetCostBenchmark.LINES_PER_SECOND, FleetCostBenchmark.START);
        DynamoDbClient ddb = MotoServer.dynamoDb(endpoint);
        String table = format == StorageFormat.COMPACT ? LogTables.createCompact(ddb, "bench-scale")
                : LogTables.create(ddb, "bench-scale");
        Instant end = FIRST_HOUR.plus(Duration.ofHours(hours));
        long loadStart = System.nanoTime();
        long entries = 0;
        long summaries = 0;
        long payloads = 0;
        DeployedSettings d = DeployedSettings.DEFAULTS;
        try (TableWriter writer = new TableWriter(ddb, table, new DeployedSettings(d.ttlDays(), d.shards(),
                d.redaction(), format, "bench"), LogTimeZone.NONE, null, false)) {
            for (int i = 0; i < instances; i++) {
                // Payloads cut every P lines from the instance's first line on, from the one holding the first hour's
                // first line to the one holding the last line before the end.
                long first = fleet.lineAt(i, FIRST_HOUR.toEpochMilli()) / p * p;
                long last = fleet.lineAt(i, end.toEpochMilli());
                for (long n = first; n < last; n += p) {
                    SubscriptionPayload payload = fleet.payload(i, n, p);
                    ForwardResult r = writer.forwarder().forward(payload, Deadline.after(Duration.ofMinutes(5)));
                    entries += r.written();
                    summaries += r.summaries();
                    payloads++;
                }
            }
        }
        System.out.printf("%s: %d instances x %d h at 5 lines/s, payloads of %d lines: %,d payloads, %,d entries, "
                        + "%,d summary items written through the forwarder into moto in %.1f s%n",
                format.name().toLowerCase(java.util.Locale.ROOT), instances, hours, p, payloads, entries, summaries,
                (System.nanoTime() - loadStart) / 1e9);

        Instant from = FIRST_HOUR.plus(HEAD);
        Instant until = end.minus(TAIL);
        TestCli cli = new TestCli();
        cli.env.putAll(Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", MotoServer.REGION.id(),
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "PGLOGS_DEVEL_TABLE", table));
        List<String> report = List.of("report", "-v", "--since", from.toString(), "--until", until.toString(), "-o",
                "json", "--concurrency", Integer.toString(ReportBenchmark.CONCURRENCY));
        List<String> fromEntries = new ArrayList<>(report);
        fromEntries.add("--no-summaries");
        Run s = run(cli, report);
        Run e = run(cli, fromEntries);
        List<Run> sRuns = new ArrayList<>();
        List<Run> eRuns = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            sRuns.add(run(cli, report));
            eRuns.add(run(cli, fromEntries));
        }
        Run sm = median(sRuns);
        Run em = median(eRuns);
        String equal = differences(s.json, e.json);
        double window = Duration.between(from, until).toMillis() / 3_600_000.0;
        double scale = (double) FLEET_INSTANCES * FLEET_HOURS / (instances * window);
        System.out.printf("window %s to %s (%.2f h, ragged edges), %d instances; %,d entries in the report%n", from,
                until, window, instances, sm.entries);
        System.out.printf("report from summaries: %,.0f ms (median of %d), DynamoDB read %,d items; sources: %s%n",
                sm.millis, rounds, sm.itemsRead, sm.sources);
        System.out.printf("report from entries (--no-summaries, baseline, same run): %,.0f ms (median of %d), "
                + "DynamoDB read %,d items%n", em.millis, rounds, em.itemsRead);
        System.out.printf("ratio summaries / entries: time %.3f, items read %.4f; reports %s%n", sm.millis / em.millis,
                (double) sm.itemsRead / em.itemsRead, equal);
        System.out.printf("projected to %d instances x %d h (x %.1f, linear in instance-hours; moto, not DynamoDB): "
                        + "from summaries %.1f s (goal < 10 s: %s), from entries %.0f s%n", FLEET_INSTANCES,
                FLEET_HOURS, scale, sm.millis * scale / 1000, sm.millis * scale < 10_000 ? "met" : "NOT met",
                em.millis * scale / 1000);
    }

    record Run(double millis, long entries, long itemsRead, String sources, JsonNode json) {
    }

    private static Run run(TestCli cli, List<String> args) throws Exception {
        long start = System.nanoTime();
        TestCli.Result r = cli.run(args.toArray(String[]::new));
        double millis = (System.nanoTime() - start) / 1e6;
        if (r.code() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed (" + r.code() + "): " + r.err());
        }
        Matcher m = READ.matcher(r.err());
        if (!m.find()) {
            throw new IllegalStateException("report -v said nothing of what it read: " + r.err());
        }
        JsonNode json = JSON.readTree(r.out());
        JsonNode sources = json.path("overview").path("sources");
        return new Run(millis, json.path("overview").path("entries").asLong(), Long.parseLong(m.group(1)),
                sources.isMissingNode() ? "(none said)" : sources.toString(), json);
    }

    /** "equal" when the reports agree but for where they read and what it cost, else the first field they differ in. */
    static String differences(JsonNode a, JsonNode b) {
        JsonNode x = strip(a);
        JsonNode y = strip(b);
        if (x.equals(y)) {
            return "equal number for number (sources and read cost aside)";
        }
        return "DIFFER at " + firstDifference(x, y, "");
    }

    private static JsonNode strip(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("read");
        if (copy.get("overview") instanceof ObjectNode overview) {
            overview.remove("sources");
        }
        return copy;
    }

    private static String firstDifference(JsonNode x, JsonNode y, String path) {
        if (x.isObject() && y.isObject()) {
            for (Iterator<String> it = x.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!x.get(f).equals(y.get(f))) {
                    return firstDifference(x.get(f), y.path(f), path + "." + f);
                }
            }
            return path + " (fields only in the report from entries)";
        }
        if (x.isArray() && y.isArray()) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!x.get(i).equals(y.get(i))) {
                    return firstDifference(x.get(i), y.get(i), path + "[" + i + "]");
                }
            }
            return path + " (" + x.size() + " vs " + y.size() + " elements)";
        }
        return path + ": " + x + " from summaries, " + y + " from entries";
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Run::millis));
        return sorted.get(sorted.size() / 2);
    }
}
