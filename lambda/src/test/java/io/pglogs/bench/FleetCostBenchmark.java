package io.pglogs.bench;

import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.Forwarder;
import io.pglogs.forwarder.Rollups;
import io.pglogs.forwarder.Summariser;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.BatchWriter;
import io.pglogs.forwarder.dynamo.CatalogWriter;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.dynamo.ItemSize;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.StorageFormat;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import io.pglogs.testing.Corpus;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What summaries at ingest cost and save for a fleet of 200 instances logging 1,000 lines a second in all (5 each;
 * {@link SyntheticFleet}: the bench corpus, a real server's log, replayed), for payloads of P lines, over 24 hours and
 * over 7 days.
 *
 * <p><b>Write units.</b> A 24-hour fleet is 86.4 million entries: too many to forward here, so a sample of payloads is
 * forwarded, each payload P consecutive lines of one instance, its start drawn at random within its own stratum of the
 * span (so payloads fall across hour and day boundaries as often as the fleet's do), the instances taken in turn.
 * Every payload goes through the real {@link Forwarder} and its real BatchWriter and CatalogWriter into a
 * {@link CountingDynamoDb}, which charges each item as DynamoDB does (one write unit per started KB, per item): first
 * with summaries off (today), then on, in each storage format. Per entry, today's units, units with summaries, and
 * their ratio (goal: at most 1.10); the fleet's day and week are those figures times their entries (scaled, not
 * forwarded). The log items of both runs must cost the same: summaries are written beside them, they change nothing.
 *
 * <p><b>Items read.</b> A fleet report of a 24-hour (7-day) window starting at a random moment, as docs/schema.md
 * "Reading summaries" reads it: per instance, the rollup items of the window's ten-minute spans (one per span, every
 * span rolled up but those ended less than ROLL_AFTER before a window ending now), the summary items of the spans
 * without a rollup used (those the window cuts, and the unrolled ones), plus, at each edge, the entries of the summary
 * that straddles it, cut to the window (entries format: one item an entry; compact: the items from that range's
 * ten-minute span on, at the compact items per entry measured for this P); against the log items a report from entries
 * reads for the same window; the catalogue Query of each day (200 items a day) in both. Payloads are P consecutive
 * lines cut as the sample's are ({@link SyntheticFleet#payloadStart}), summaries cut at spans as the forwarder cuts
 * them, and summary items per payload-span piece as measured (the forwarder splits one over 350,000 bytes); the
 * expectation is taken over TRIALS random windows (instances in turn). A rollup's bytes are measured: one instance's
 * span forwarded in payloads of P and merged by the forwarder's {@link Roller}. Goal: at most 1 %.
 *
 * <p><b>Report CPU.</b> Also, in one thread, no I/O: decoding and merging the sample's summaries into a report's
 * builder, against adding the same entries row by row (what a report from entries does), both per item and projected
 * to the fleet's window; the rest of a report's time is reading.
 *
 * <p>usage: FleetCostBenchmark CORPUS_LOG [SAMPLE_ENTRIES [P,P,...]]
 */
public final class FleetCostBenchmark {
    static final int INSTANCES = 200;
    static final int LINES_PER_SECOND = 1_000;
    /**
     * The fleet logs from here on (windows start one day in, and the last 7-day one ends a day before today): recent,
     * so its entries are within the TTL the forwarder stamps and a report does not hide them as expired.
     */
    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(10, ChronoUnit.DAYS);
    private static final long HOUR = 3_600_000L;
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final long DAY = 24 * HOUR;
    /** Payloads in a sample at least, whatever P: fewer would leave hour crossings to luck. */
    private static final int MIN_PAYLOADS = 60;
    private static final int TRIALS = 4_000;
    private static final int CATALOGUE_ITEMS_A_DAY = INSTANCES;
    /** The report's defaults (ReportCommand: --top 10, --max-fingerprints 5000). */
    private static final ReportBuilder.Options REPORT = new ReportBuilder.Options(10, 5_000);

    private FleetCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<LogFileSplitter.RawEntry> corpus;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            corpus = Corpus.split(in);
        }
        int sampleEntries = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int[] sizes = Arrays.stream((args.length > 2 ? args[2] : "20,100,500,2000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        SyntheticFleet fleet = new SyntheticFleet(corpus, INSTANCES, LINES_PER_SECOND, START);
        System.out.printf("fleet: %d instances, %,d lines/s in all (one every %d ms each), from the bench corpus's "
                        + "%,d entries (each instance from its own offset, in a loop); sample: at least %,d entries "
                        + "and %d payloads per P and span%n", INSTANCES, LINES_PER_SECOND, fleet.intervalMillis(),
                corpus.size(), sampleEntries, MIN_PAYLOADS);
        for (long span : new long[] {DAY, 7 * DAY}) {
            String name = span == DAY ? "24h" : "7d";
            long fleetEntries = span / 1000 * LINES_PER_SECOND;
            System.out.printf("=== %s: the fleet logs %,d entries%n", name, fleetEntries);
            for (int p : sizes) {
                List<SubscriptionPayload> payloads = sample(fleet, span, p, sampleEntries, new Random(p * 31L + span));
                long entries = payloads.stream().mapToLong(x -> x.events().size()).sum();
                long pieces = payloads.stream().mapToLong(FleetCostBenchmark::spanPieces).sum();
                Measured[] byFormat = new Measured[2];
                double fleetSummaries = 0;
                double fleetRollups = 0;
                double rollupBytes = rollupBytes(fleet, p);
                for (StorageFormat format : List.of(StorageFormat.ENTRIES, StorageFormat.COMPACT)) {
                    Cost today = forward(format, false, payloads);
                    Cost with = forward(format, true, payloads);
                    if (today.log.units != with.log.units || today.log.items != with.log.items) {
                        throw new IllegalStateException("the log items changed with summaries on: " + today.log.items
                                + " items, " + today.log.units + " units without, " + with.log.items + ", "
                                + with.log.units + " with");
                    }
                    String f = format.name().toLowerCase(java.util.Locale.ROOT);
                    double unitsToday = (double) today.log.units / entries;
                    double unitsWith = (double) (with.log.units + with.summary.units) / entries;
                    double ratio = unitsWith / unitsToday;
                    System.out.printf("%s P=%-5d %-7s write units/entry: today %.4f, with summaries %.4f; ratio "
                                    + "%.3f (goal <= 1.10: %s)  [sample: %,d payloads, %,d entries; log items %,d "
                                    + "(%,d WU); summary items %,d (%,d WU, mean %,.0f B, %.2f per payload)]%n",
                            name, p, f, unitsToday, unitsWith, ratio, ratio <= 1.10 ? "met" : "NOT met",
                            payloads.size(), entries, today.log.items, today.log.units, with.summary.items,
                            with.summary.units, (double) with.summary.bytes / Math.max(1, with.summary.items),
                            (double) with.summary.items / payloads.size());
                    System.out.printf("%s P=%-5d %-7s scaled to the fleet's %s (%,d entries): today %,.0f WU, with "
                            + "summaries %,.0f WU (+%,.0f)%n", name, p, f, name, fleetEntries,
                            unitsToday * fleetEntries, unitsWith * fleetEntries,
                            (unitsWith - unitsToday) * fleetEntries);
                    byFormat[format == StorageFormat.ENTRIES ? 0 : 1] = new Measured(entries, pieces, today, with);
                }
                for (int i = 0; i < 2; i++) {
                    String f = i == 0 ? "entries" : "compact";
                    Measured m = byFormat[i];
                    double logItemsPerEntry = (double) m.today.log.items / m.entries;
                    double logBytesPerItem = (double) m.today.log.bytes / m.today.log.items;
                    double summariesPerPiece = (double) m.with.summary.items / m.pieces;
                    double summaryBytes = (double) m.with.summary.bytes / Math.max(1, m.with.summary.items);
                    long days = span / DAY + 1; // a window not aligned to days touches one day more
                    double catalogue = (double) days * CATALOGUE_ITEMS_A_DAY;
                    for (boolean live : new boolean[] {false, true}) {
                        Window w = window(fleet, p, span, live, new Random(p * 7L + span));
                        double rollupItems = INSTANCES * w.rollupsRead;
                        double summaryItems = INSTANCES * w.pieces * summariesPerPiece;
                        double edgeItems = INSTANCES * (i == 0 ? w.edgeEntries
                                : w.edgeCompactEntries * logItemsPerEntry);
                        double baseline = INSTANCES * (i == 0 ? w.entries : w.compactEntries * logItemsPerEntry);
                        double read = rollupItems + summaryItems + edgeItems + catalogue;
                        double ratio = read / (baseline + catalogue);
                        System.out.printf("%s P=%-5d %-7s items read for a %s fleet report%s: from summaries %,.0f "
                                        + "(%,.0f rollup items (%,.0f used) + %,.0f summary items + %,.0f log items "
                                        + "at the edges + %,.0f catalogue), from entries %,.0f; ratio %.4f = %.2f %% "
                                        + "(goal <= 1 %%: %s); bytes read %,.0f MB vs %,.0f MB%n", name, p, f, name,
                                live ? " ending now" : "", read, rollupItems, INSTANCES * w.rollupsUsed, summaryItems,
                                edgeItems, catalogue, baseline + catalogue, ratio, ratio * 100,
                                ratio <= 0.01 ? "met" : "NOT met", (rollupItems * rollupBytes + summaryItems
                                        * summaryBytes + edgeItems * logBytesPerItem) / 1e6,
                                baseline * logBytesPerItem / 1e6);
                        if (i == 0 && !live) {
                            fleetSummaries = summaryItems;
                            fleetRollups = rollupItems;
                        }
                    }
                }
                cpu(name, p, span, fleetEntries, fleetSummaries + fleetRollups, byFormat[0], payloads, fleet);
            }
        }
    }

    /** The measurements of one P and format. */
    private record Measured(long entries, long pieces, Cost today, Cost with) {
    }

    /** What forwarding the sample wrote, per kind of item. */
    private record Cost(CountingDynamoDb.Bill log, CountingDynamoDb.Bill summary, CountingDynamoDb.Bill catalogue,
                        List<Map<String, AttributeValue>> summaries, long forwarded) {
    }

    /**
     * {@code count} consecutive lines of the instances in turn, each payload's first line drawn at random within its
     * own stratum of the span and moved back to where the instance's payloads are cut ({@link SyntheticFleet#payloadStart}).
     */
    static List<SubscriptionPayload> sample(SyntheticFleet fleet, long span, int p, int entries, Random random) {
        int n = Math.max(MIN_PAYLOADS, (entries + p - 1) / p);
        List<SubscriptionPayload> payloads = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
            int instance = (int) ((long) j * 37 % fleet.instances());
            long at = fleet.startMillis() + (long) ((j + random.nextDouble()) * span / n);
            long first = fleet.payloadStart(instance, fleet.lineAt(instance, at), p);
            if (first < 0) {
                first += p; // the instance's first payload starts at its line 0 or after
            }
            payloads.add(fleet.payload(instance, first, p));
        }
        return payloads;
    }

    /** The ten-minute spans a payload's events fall in: the summary pieces it makes (before any split by size). */
    static long spanPieces(SubscriptionPayload payload) {
        List<LogEvent> events = payload.events();
        return events.isEmpty() ? 0
                : events.get(events.size() - 1).timestamp() / SPAN - events.get(0).timestamp() / SPAN + 1;
    }

    /**
     * The size of a rollup item (bytes, as DynamoDB sizes items): one instance's whole span of the fleet forwarded
     * in payloads of {@code p} lines through the real Forwarder, its summaries merged by the real {@link Roller}.
     */
    static double rollupBytes(SyntheticFleet fleet, int p) throws InterruptedException {
        long spanStart = Math.floorDiv(fleet.startMillis() + DAY, SPAN) * SPAN;
        long first = fleet.lineAt(0, spanStart);
        long end = fleet.lineAt(0, spanStart + SPAN);
        List<SubscriptionPayload> payloads = new ArrayList<>();
        for (long line = fleet.payloadStart(0, first, p); line < end; line += p) {
            payloads.add(fleet.payload(0, line, p));
        }
        String from = ItemContract.isoMillis(Instant.ofEpochMilli(spanStart));
        String until = ItemContract.isoMillis(Instant.ofEpochMilli(spanStart + SPAN));
        List<Map<String, AttributeValue>> summaries = new ArrayList<>(forward(StorageFormat.ENTRIES, true, payloads)
                .summaries.stream().filter(s -> s.get(ItemContract.SK).s().compareTo(from) >= 0
                        && s.get(ItemContract.SK).s().compareTo(until) < 0).toList());
        summaries.sort(Comparator.comparing((Map<String, AttributeValue> s) -> s.get(ItemContract.SK).s()));
        Map<String, AttributeValue> rollup = Roller.rollup(SyntheticFleet.instanceName(0),
                ItemContract.rollupKey(SyntheticFleet.instanceName(0), Instant.ofEpochMilli(spanStart)), summaries,
                null);
        long entries = summaries.stream().mapToLong(s -> Long.parseLong(s.get(ItemContract.ENTRIES).n())).sum();
        if (rollup == null || entries != end - first) {
            throw new IllegalStateException("the span's " + (end - first) + " lines gave " + entries
                    + " summarised entries and " + (rollup == null ? "no rollup" : "a rollup"));
        }
        int bytes = ItemSize.bytes(rollup);
        System.out.printf("P=%-5d a rollup of one instance's span (%,d entries, %d summaries): %,d bytes, %d write "
                        + "units once (%.5f per entry; not in the write units above)%n", p, entries, summaries.size(),
                bytes, ItemSize.writeUnits(rollup), (double) ItemSize.writeUnits(rollup) / entries);
        return bytes;
    }

    static Cost forward(StorageFormat format, boolean summaries, List<SubscriptionPayload> payloads)
            throws InterruptedException {
        CountingDynamoDb ddb = new CountingDynamoDb(summaries);
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS,
                new Redactor());
        long forwarded = 0;
        try (BatchWriter writer = new BatchWriter(ddb, "bench", 1)) {
            Forwarder forwarder = new Forwarder(new PostgresLogParser(), items,
                    format == StorageFormat.COMPACT ? new CompactItems(ItemContract.DEFAULT_SHARDS) : null, writer,
                    new CatalogWriter(ddb, "bench", items), line -> { },
                    summaries ? new Summariser(ItemContract.DEFAULT_SHARDS) : null,
                    // The live path on time: no late summaries, so no bumps; the roller's one rollup per
                    // instance and span is counted apart (rollupBytes; RollupCostBenchmark sizes rollups too).
                    Rollups.NONE);
            for (SubscriptionPayload payload : payloads) {
                ForwardResult r = forwarder.forward(payload, Deadline.after(Duration.ofMinutes(1)));
                forwarded += r.written();
            }
        }
        return new Cost(ddb.bill(CountingDynamoDb.Kind.LOG), ddb.bill(CountingDynamoDb.Kind.SUMMARY),
                ddb.bill(CountingDynamoDb.Kind.CATALOG), ddb.summaries(), forwarded);
    }

    /** What one fleet report reads, per instance, in expectation over random windows. */
    record Window(double rollupsRead, double rollupsUsed, double pieces, double edgeEntries,
                  double edgeCompactEntries, double entries, double compactEntries) {
    }

    /**
     * Per instance, over TRIALS windows of {@code span} starting at random moments of the fleet's second day, read as
     * docs/schema.md "Reading summaries" says: {@code rollupsRead}: the rollup items of the spans from the one the
     * window starts in to the one it ends in (one Query a day); {@code rollupsUsed}: those of spans the window holds
     * whole and the roller has rolled (every one in the past; {@code live}: a window ending now, whose spans ended
     * less than ROLL_AFTER ago are not rolled yet); {@code pieces}: the summary items of the other spans
     * (payload-span pieces whose first entry lies in them, up to the window's end); {@code edgeEntries}: the window's
     * entries in the pieces straddling its edges (read from entries instead); {@code edgeCompactEntries}: the entries
     * a compact Query over those ranges passes over (it starts at the range's ten-minute span); {@code entries},
     * {@code compactEntries}: the same for the whole window.
     */
    static Window window(SyntheticFleet fleet, int p, long span, boolean live, Random random) {
        double rollupsRead = 0;
        double rollupsUsed = 0;
        double pieces = 0;
        double edge = 0;
        double edgeCompact = 0;
        double entries = 0;
        double compactEntries = 0;
        for (int t = 0; t < TRIALS; t++) {
            int i = t % fleet.instances();
            long from = fleet.startMillis() + DAY + (long) (random.nextDouble() * DAY);
            long until = from + span;
            long n0 = fleet.lineAt(i, from);
            long n1 = fleet.lineAt(i, until);
            long firstSpan = spanFloor(from);
            long fullStart = firstSpan == from ? from : firstSpan + SPAN;
            long rolledEnd = spanFloor(live ? until - ItemContract.ROLL_AFTER_MILLIS : until);
            rollupsRead += (spanFloor(until) - firstSpan) / SPAN + 1;
            rollupsUsed += Math.max(0, (rolledEnd - fullStart) / SPAN);
            // Summary pieces starting in the spans without a rollup used: the first (when cut) and the last ones.
            pieces += piecesStarting(fleet, i, p, fleet.lineAt(i, firstSpan), fleet.lineAt(i, fullStart))
                    + piecesStarting(fleet, i, p, fleet.lineAt(i, Math.max(fullStart, rolledEnd)), n1);
            long[] head = piece(fleet, i, p, n0);
            if (head[0] < n0) {
                edge += head[1] - n0;
                edgeCompact += head[1] - fleet.lineAt(i, spanFloor(from));
            }
            long[] tail = piece(fleet, i, p, n1 - 1);
            if (tail[1] > n1) {
                edge += n1 - tail[0];
                edgeCompact += n1 - fleet.lineAt(i, spanFloor(fleet.timeOf(i, tail[0])));
            }
            entries += n1 - n0;
            compactEntries += n1 - fleet.lineAt(i, spanFloor(from));
        }
        return new Window(rollupsRead / TRIALS, rollupsUsed / TRIALS, pieces / TRIALS, edge / TRIALS,
                edgeCompact / TRIALS, entries / TRIALS, compactEntries / TRIALS);
    }

    /**
     * Summary pieces of instance {@code i} whose first line lies in {@code [a, b)}: payload starts, plus spans' first
     * lines that are not payload starts (a payload crossing a span boundary makes a piece on each side).
     */
    private static long piecesStarting(SyntheticFleet fleet, int i, int p, long a, long b) {
        if (a >= b) {
            return 0;
        }
        long count = payloadStarts(fleet, i, p, a, b);
        for (long s = spanFloor(fleet.timeOf(i, a)); s <= fleet.timeOf(i, b - 1); s += SPAN) {
            long first = fleet.lineAt(i, s);
            if (first >= a && first < b && fleet.payloadStart(i, first, p) != first) {
                count++;
            }
        }
        return count;
    }

    /** The lines {@code [first, end)} of the summary piece holding line {@code n}: its payload cut at spans. */
    private static long[] piece(SyntheticFleet fleet, int i, int p, long n) {
        long spanStart = spanFloor(fleet.timeOf(i, n));
        long payload = fleet.payloadStart(i, n, p);
        long first = Math.max(payload, fleet.lineAt(i, spanStart));
        long end = Math.min(payload + p, fleet.lineAt(i, spanStart + SPAN));
        return new long[] {first, end};
    }

    /** How many of instance {@code i}'s payloads start at lines {@code [a, b)}. */
    private static long payloadStarts(SyntheticFleet fleet, int i, int p, long a, long b) {
        long firstStart = fleet.payloadStart(i, a, p) == a ? a : fleet.payloadStart(i, a, p) + p;
        return firstStart >= b ? 0 : (b - 1 - firstStart) / p + 1;
    }

    private static long spanFloor(long millis) {
        return Math.floorDiv(millis, ItemContract.COMPACT_SPAN_MILLIS) * ItemContract.COMPACT_SPAN_MILLIS;
    }

    /**
     * One thread, no I/O: the sample's summaries decoded and merged into a report's builder in time order, against
     * the same entries added row by row; alternating, median of ROUNDS each; per item and projected to the fleet.
     */
    private static void cpu(String name, int p, long span, long fleetEntries, double fleetSummaries, Measured m,
                            List<SubscriptionPayload> payloads, SyntheticFleet fleet) {
        List<Map<String, AttributeValue>> summaries = new ArrayList<>(m.with.summaries);
        summaries.sort(Comparator.comparing((Map<String, AttributeValue> s) -> s.get(ItemContract.SK).s()));
        List<LogRow> rows = new ArrayList<>();
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS,
                new Redactor());
        Forwarder parser = new Forwarder(new PostgresLogParser(), items, null, null, line -> { });
        for (SubscriptionPayload payload : payloads) {
            for (ItemFactory.Built b : parser.parse(payload).items()) {
                rows.add(LogRow.of(b.item()));
            }
        }
        // Time order, then event id: the sample's ids are CloudWatch-like, all 56 digits, so text order is theirs.
        rows.sort(Comparator.comparing(LogRow::ts).thenComparing(r -> r.text(ItemContract.EVENT_ID)));
        Instant from = Instant.ofEpochMilli(fleet.startMillis());
        Instant until = from.plusMillis(span + DAY);
        double[] merge = new double[ROUNDS];
        double[] add = new double[ROUNDS];
        long[] counted = new long[2];
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            // Each way as many passes as fill PASS_MILLIS: one pass over a hundred summaries is too short to time.
            double mergeNanos = passes(() -> {
                ReportBuilder merged = new ReportBuilder(REPORT, from, until);
                for (Map<String, AttributeValue> s : summaries) {
                    merged.merge(SummaryCodec.decode(s.get(ItemContract.SUMMARY).b().asByteArrayUnsafe(), REPORT));
                }
                counted[0] = merged.build().overview().entries();
            });
            double addNanos = passes(() -> {
                ReportBuilder added = new ReportBuilder(REPORT, from, until);
                for (LogRow row : rows) {
                    added.add(row);
                }
                counted[1] = added.build().overview().entries();
            });
            if (r >= 0) {
                merge[r] = mergeNanos;
                add[r] = addNanos;
            }
        }
        long mergedEntries = counted[0];
        if (counted[0] != counted[1]) {
            throw new IllegalStateException("the summaries counted " + counted[0] + " entries, the rows "
                    + counted[1]);
        }
        double perSummary = median(merge) / Math.max(1, summaries.size());
        double perEntry = median(add) / rows.size();
        System.out.printf("%s P=%-5d report CPU, one thread, no I/O: decode + merge %,.0f ns per summary (%,d "
                        + "summaries of %,d entries: %.1f ms a pass), add %,.0f ns per entry (%.1f ms a pass); for "
                        + "the fleet's %s: %.1f s from the %,.0f summaries read vs %.1f s from entries; ratio %.4f "
                        + "(projected)%n", name, p, perSummary, summaries.size(), mergedEntries, median(merge) / 1e6,
                perEntry, median(add) / 1e6, name,
                perSummary * fleetSummaries / 1e9, fleetSummaries, perEntry * fleetEntries / 1e9,
                perSummary * fleetSummaries / (perEntry * fleetEntries));
    }

    private static final int ROUNDS = 5;
    private static final int WARM_UP = 3;
    private static final long PASS_MILLIS = 300;

    /** Nanoseconds one pass takes, from as many passes as fill PASS_MILLIS (at least one). */
    private static double passes(Runnable pass) {
        long start = System.nanoTime();
        int n = 0;
        do {
            pass.run();
            n++;
        } while (System.nanoTime() - start < PASS_MILLIS * 1_000_000);
        return (double) (System.nanoTime() - start) / n;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
