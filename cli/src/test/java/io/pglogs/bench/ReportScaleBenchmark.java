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
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
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
import java.time.Clock;
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
 * {@code pglogs report} of a fleet from rollups, against moto, on the part of the fleet moto can hold: INSTANCES
 * instances of the synthetic fleet ({@link SyntheticFleet}: 5 lines a second each, the bench corpus replayed) for
 * HOURS hours, cut into payloads of P lines and written through the forwarder's code as {@code pglogs import} runs it
 * ({@link TableWriter}: entries or compact items, their summaries when SUMMARIES is on, the catalogue) into a table of
 * its own, and its spans rolled up by the forwarder's {@link Roller} (its clock stepped through the part, as the Lambda
 * would), from the summaries or, summaries off, from the stored entries (issue 26 part 3). Then the
 * fleet report (every instance, no {@code --instance}) of a window with ragged edges (from 17 min 17 s after the first
 * hour's start to 22 min 51 s before the last hour's end) and of its first half: from rollups (the default) and, as
 * the baseline of the same run, {@code --no-summaries} (entries only); after one warm-up, ROUNDS of each, the medians.
 * Prints the times, the items DynamoDB read ({@code -v}), their ratios, whether the two reports of the whole window
 * are equal number for number (all but {@code overview.sources} and {@code read}), and each way's time projected to
 * 200 instances x 24 hours on the line through its two windows' points ({@link Fit}), at what a 24-hour fleet report
 * reads that way (FleetCostBenchmark's model, when given). A projection against moto: moto answers one request at a
 * time and slows as it fills, DynamoDB does neither.
 *
 * <p>usage: ReportScaleBenchmark ENDPOINT CORPUS_LOG FORMAT on|off INSTANCES HOURS P [ROUNDS [FLEET_SUMMARIES
 * FLEET_ITEMS]] (on|off: summaries; FLEET_SUMMARIES: the rollups and summary items a 24-hour fleet report counts from,
 * and FLEET_ITEMS: the log items a report from entries reads, from FleetCostBenchmark's model, for the projection)
 */
public final class ReportScaleBenchmark {
    private static final Instant FIRST_HOUR = FleetCostBenchmark.START.plus(Duration.ofDays(1));
    private static final Duration HEAD = Duration.ofSeconds(17 * 60 + 17);
    private static final Duration TAIL = Duration.ofSeconds(22 * 60 + 51);
    private static final Pattern READ = Pattern.compile("DynamoDB read (\\d+) items, returned \\d+, in (\\d+) queries");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLEET_INSTANCES = 200;
    private static final int FLEET_HOURS = 24;
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;

    private ReportScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        StorageFormat format = StorageFormat.valueOf(args[2].toUpperCase(java.util.Locale.ROOT));
        boolean summaries = switch (args[3]) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("SUMMARIES is on or off, not " + args[3]);
        };
        int instances = Integer.parseInt(args[4]);
        int hours = Integer.parseInt(args[5]);
        int p = Integer.parseInt(args[6]);
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 3;
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
        long summaryItems = 0;
        long payloads = 0;
        DeployedSettings d = DeployedSettings.DEFAULTS;
        try (TableWriter writer = new TableWriter(ddb, table, new DeployedSettings(d.ttlDays(), d.shards(),
                d.redaction(), format, summaries, "bench"), LogTimeZone.NONE, null, false)) {
            for (int i = 0; i < instances; i++) {
                // Payloads cut as the fleet's are, from the one holding the first hour's first line to the one holding
                // the last line before the end.
                long first = fleet.payloadStart(i, fleet.lineAt(i, FIRST_HOUR.toEpochMilli()), p);
                long last = fleet.lineAt(i, end.toEpochMilli());
                for (long n = first; n < last; n += p) {
                    SubscriptionPayload payload = fleet.payload(i, n, p);
                    ForwardResult r = writer.forwarder().forward(payload, Deadline.after(Duration.ofMinutes(5)));
                    entries += r.written();
                    summaryItems += r.summaries();
                    payloads++;
                }
            }
        }
        System.out.printf("%s, summaries %s: %d instances x %d h at 5 lines/s, payloads of %d lines: %,d payloads, "
                        + "%,d entries, %,d summary items written through the forwarder into moto in %.1f s%n",
                format.name().toLowerCase(java.util.Locale.ROOT), summaries ? "on" : "off", instances, hours, p,
                payloads, entries, summaryItems,
                (System.nanoTime() - loadStart) / 1e9);
        // The import path bumped every span it wrote (stubs); the Lambda's roller then rolls each span up ROLL_AFTER
        // (3 min) after its end. Here its clock steps through the part, a span at a time, as the Lambda's invocations would.
        long rollStart = System.nanoTime();
        int rolled = 0;
        // From summaries or from the stored entries, as the forwarder's roller with this summaries switch rolls.
        List<String> rollerSaid = java.util.Collections.synchronizedList(new ArrayList<>());
        Roller roller = new Roller(ddb, table, d.shards(), Clock.systemUTC(), rollerSaid::add,
                Roller.Source.forSummaries(summaries));
        for (int i = 0; i < instances; i++) {
            for (Instant now = FIRST_HOUR.plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS);
                    !now.isAfter(end.plusMillis(SPAN + ItemContract.ROLL_AFTER_MILLIS)); now = now.plusMillis(SPAN)) {
                rolled += roller.rollUp(SyntheticFleet.instanceName(i), now, Deadline.after(Duration.ofMinutes(1)));
            }
        }
        System.out.printf("rolled up %,d spans from %s (the forwarder's Roller, its clock stepped through the part) "
                + "in %.1f s%n", rolled, summaries ? "summaries" : "entries", (System.nanoTime() - rollStart) / 1e9);
        if (!rollerSaid.isEmpty()) {
            // What it logs is why a span was left unrolled (a timeout, a conflict...): readers read that span instead.
            System.out.printf("the roller logged %,d lines; the first: %s%n", rollerSaid.size(), rollerSaid.get(0));
        }

        Instant from = FIRST_HOUR.plus(HEAD);
        Instant until = end.minus(TAIL);
        Instant half = from.plus(Duration.between(from, until).dividedBy(2));
        TestCli cli = new TestCli();
        cli.env.putAll(Map.of("AWS_ENDPOINT_URL", endpoint.toString(), "AWS_REGION", MotoServer.REGION.id(),
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null", "PGLOGS_DEVEL_TABLE", table));
        Fit fromSummaries = measure(cli, from, half, until, false, rounds);
        Fit entriesOnly = measure(cli, from, half, until, true, rounds);
        System.out.printf("reports over %s to %s: %,d entries counted from rollups, %,d from entries (the "
                        + "fleet's times put %,d of the %,d written there); the two reports: %s%n", from, until,
                fromSummaries.whole.entries, entriesOnly.whole.entries,
                entries - outside(fleet, instances, p, from, until, end), entries,
                differences(fromSummaries.whole.json, entriesOnly.whole.json));
        System.out.printf("sources of the report from rollups: %s%n", fromSummaries.whole.sources);
        for (Fit f : List.of(fromSummaries, entriesOnly)) {
            System.out.printf("report %-38s first half: %,7.0f ms, %,6d items read in %,d queries, %,5d "
                            + "rollups+summaries; whole window: %,7.0f ms, %,6d items read in %,d queries, %,5d "
                            + "rollups+summaries (medians of "
                            + "%d); line: %,.0f ms + %.3f ms per %s%n", f.name, f.half.millis, f.half.itemsRead,
                    f.half.queries, f.half.summaries, f.whole.millis, f.whole.itemsRead, f.whole.queries,
                    f.whole.summaries, rounds, f.intercept(), f.slope(),
                    f.bySummaries ? "rollup or summary" : "item read");
        }
        System.out.printf("ratio rollups / entries (whole window): time %.3f, items read %.4f%n",
                fromSummaries.whole.millis / entriesOnly.whole.millis,
                (double) fromSummaries.whole.itemsRead / entriesOnly.whole.itemsRead);
        double window = Duration.between(from, until).toMillis() / 3_600_000.0;
        double scale = (double) FLEET_INSTANCES * FLEET_HOURS / (instances * window);
        // What a 24-hour fleet report reads, from bench/report-scale's model when given, else scaled in instance-hours.
        boolean model = args.length > 9;
        double fleetSummaries = model ? Double.parseDouble(args[8]) : fromSummaries.whole.summaries * scale;
        double fleetItems = model ? Double.parseDouble(args[9]) : entriesOnly.whole.itemsRead * scale;
        // From summaries, the line's constant (the edges' entries, the Queries of each instance-day, and the command's
        // own start) is taken as all per instance: times 200 / INSTANCES, which overstates the command's start.
        double projectedS = fromSummaries.intercept() * FLEET_INSTANCES / instances
                + fromSummaries.slope() * fleetSummaries;
        double projectedE = entriesOnly.intercept() + entriesOnly.slope() * fleetItems;
        System.out.printf("projected to %d instances x %d h against moto (a projection, not a measurement: moto "
                        + "answers one request at a time, DynamoDB does not; %s): from rollups %,.0f rollups and "
                        + "summaries and "
                        + "%d instances' edges: %s; from entries %,.0f items: %s%s%n", FLEET_INSTANCES, FLEET_HOURS,
                model ? "counts from the fleet model" : "counts scaled x " + String.format("%.1f", scale)
                        + " in instance-hours", fleetSummaries, FLEET_INSTANCES,
                projection(fromSummaries, projectedS, true), fleetItems, projection(entriesOnly, projectedE, false),
                fromSummaries.slope() > 0 && entriesOnly.slope() > 0
                        ? String.format("; ratio %.4f", projectedS / projectedE) : "");
    }

    /**
     * The projected time, or why there is none: a line that does not rise (the whole window no slower than its
     * half: the machine's noise above what the extra summaries or items cost) says nothing about a larger fleet.
     */
    private static String projection(Fit f, double millis, boolean goal) {
        if (f.slope() <= 0) {
            return String.format("not projected (the whole window took %,.0f ms, its half %,.0f: noise above the "
                    + "cost of what the whole adds)", f.whole.millis, f.half.millis);
        }
        return String.format("%,.1f s", millis / 1000) + (goal ? " (goal < 10 s: " + (millis < 10_000 ? "met"
                : "NOT met") + ")" : "");
    }

    /** Entries written outside {@code [from, until)}, by the fleet's times: a check on what the reports count. */
    private static long outside(SyntheticFleet fleet, int instances, int p, Instant from, Instant until, Instant end) {
        long n = 0;
        for (int i = 0; i < instances; i++) {
            long first = fleet.payloadStart(i, fleet.lineAt(i, FIRST_HOUR.toEpochMilli()), p);
            long last = fleet.lineAt(i, end.toEpochMilli());
            long written = (fleet.payloadStart(i, last - 1, p) + p) - first;
            // The CLI's window includes its end: an entry logged at --until itself is counted.
            n += written - fleet.linesBetween(i, from.toEpochMilli(), until.toEpochMilli() + 1);
        }
        return n;
    }

    /**
     * One way of reporting (from summaries, or --no-summaries) over half the window and the whole of it, and the line
     * through those two (count, time) points: the count is of summaries used from summaries (both windows have the
     * same edges, so the difference is what more summaries cost), of items read from entries.
     */
    record Fit(String name, Run half, Run whole, boolean bySummaries) {
        private long count(Run r) {
            return bySummaries ? r.summaries : r.itemsRead;
        }

        double slope() {
            return count(whole) == count(half) ? 0 : (whole.millis - half.millis) / (count(whole) - count(half));
        }

        double intercept() {
            return whole.millis - slope() * count(whole);
        }
    }

    /** One warm-up, then the two windows alternating, ROUNDS each; the medians. */
    private static Fit measure(TestCli cli, Instant from, Instant half, Instant until, boolean entriesOnly, int rounds)
            throws Exception {
        List<Run> halves = new ArrayList<>();
        List<Run> wholes = new ArrayList<>();
        run(cli, from, until, entriesOnly);
        for (int r = 0; r < rounds; r++) {
            halves.add(run(cli, from, half, entriesOnly));
            wholes.add(run(cli, from, until, entriesOnly));
        }
        return new Fit(entriesOnly ? "from entries (--no-summaries, baseline)" : "from rollups", median(halves),
                median(wholes), !entriesOnly);
    }

    /** {@code summaries}: the summary and rollup items the report counted from ({@code overview.sources}). */
    record Run(double millis, long entries, long itemsRead, long queries, long summaries, String sources,
               JsonNode json) {
    }

    private static Run run(TestCli cli, Instant from, Instant until, boolean entriesOnly) throws Exception {
        List<String> args = new ArrayList<>(List.of("report", "-v", "--since", from.toString(), "--until",
                until.toString(), "-o", "json", "--concurrency", Integer.toString(ReportBenchmark.CONCURRENCY)));
        if (entriesOnly) {
            args.add("--no-summaries");
        }
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
                Long.parseLong(m.group(2)), sources.path("summaries").asLong() + sources.path("rollups").asLong(),
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
