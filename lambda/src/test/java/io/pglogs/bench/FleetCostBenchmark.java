package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.SummaryItem;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What summaries and rollups cost and save for a fleet of 200 instances logging 1,000 lines a second in all (5 each;
 * {@link SyntheticFleet}: the bench corpus, a real server's log, replayed), for payloads of P lines, over 24 hours and
 * over 7 days, in both configurations the {@code summaries=auto} switch can give: summaries on (rollups merged from
 * them) and summaries off (rollups made from the stored entries, issue 26 part 3).
 *
 * <p><b>Write units.</b> A 24-hour fleet is 86.4 million entries: too many to forward here, so a sample of payloads is
 * forwarded, each payload P consecutive lines of one instance, its start drawn at random within its own stratum of the
 * span (so payloads fall across hour and day boundaries as often as the fleet's do), the instances taken in turn.
 * Every payload goes through the real {@link Forwarder} and its real BatchWriter and CatalogWriter into a
 * {@link CountingDynamoDb}, which charges each item as DynamoDB does (one write unit per started KB, per item): with
 * summaries off and on, in each storage format. Per entry: the log items alone (the baseline), + the summaries + the
 * rollups from summaries (on), + the rollups from entries (off), and their ratios to the baseline (goal: at most 1.10);
 * a rollup's units per entry are one instance's span rolled up both ways ({@link SpanRollups}: the roller's code) over
 * its entries. The fleet's day and week are those figures times their entries (scaled, not forwarded). The log items
 * of both runs must cost the same: summaries are written beside them, they change nothing.
 *
 * <p><b>Items read.</b> A fleet report of a 24-hour (7-day) window starting at a random moment, as docs/schema.md
 * "Reading summaries" reads it, per configuration ({@link #window}: rollups of the spans the window holds whole and the
 * roller has rolled; summaries on, the other spans' summaries and the entries of the summaries straddling the edges,
 * compact Queries starting at the straddling summary's first entry; summaries off, the other spans' entries), against
 * the log items a report from entries reads for the same window; the catalogue Query of each day (200 items a day) in
 * both. Payloads are P consecutive lines cut as the sample's are ({@link SyntheticFleet#payloadStart}), summaries cut
 * at spans as the forwarder cuts them, and summary items per payload-span piece as measured (the forwarder splits one
 * over 350,000 bytes); the expectation is taken over TRIALS random windows (instances in turn). Goal: at most 1 %.
 *
 * <p><b>The roller's reads.</b> Per span, as DynamoDB bills its consistent reads ({@link SpanRollups}); a day's (every
 * instance's 144 spans, each rolled once) in on-demand dollars, as a share of the day's write bill.
 *
 * <p><b>Part 4 (slices, DESIGN26-part4 E).</b> Every "ending now" figure uses the roll delay of {@link SliceContract}
 * (3 minutes; ItemContract's once L1's change is merged). With summaries off the roller also writes slices: per span,
 * {@link SpanSlices} runs the design's passes (one per newly due 2-minute unit, at most: the partial passes, then the
 * close pass) over the span {@link SpanRollups} forwarded, sizing each slice as the roller makes it (its entries
 * through {@link Roller#rollupOfEntries}, plus its own attributes) and billing each pass's reads (GetItem, the slice
 * Query, a Query per shard from the floor); {@link SlicedWindow} reads a report as the design's readers do (rollups,
 * slices wholly inside the unrolled stretches, the rest from entries from each range's floor) over the same random
 * windows; {@link SlicedReports} prints the write-unit ratio with slices, the items read, the roller's share, the
 * report's Query count, and the summary table. The lines of part 3 stay as they were (no slices), beside them.
 *
 * <p><b>Report CPU.</b> Also, in one thread, no I/O: decoding and merging the sample's summaries and the span's rollups
 * into a report's builder, against adding the same entries row by row (what a report from entries does), per item and
 * projected to the fleet's window; the rest of a report's time is reading.
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
        System.out.println(SliceContract.describe() + "; every figure below uses these (the summaries-on and "
                + "no-slice 'ending now' lines too: part 3 had 20 min)");
        Map<Integer, SpanSlices[]> sliced = new HashMap<>();
        // Per P and format, one instance's span rolled up both ways: what a rollup writes, what the roller reads.
        Map<Integer, SpanRollups[]> rollups = new HashMap<>();
        for (int p : sizes) {
            SpanRollups[] r = {SpanRollups.measure(fleet, p, StorageFormat.ENTRIES),
                SpanRollups.measure(fleet, p, StorageFormat.COMPACT)};
            rollups.put(p, r);
            SpanSlices[] sl = {SpanSlices.measure(r[0], SyntheticFleet.instanceName(0)),
                SpanSlices.measure(r[1], SyntheticFleet.instanceName(0))};
            sliced.put(p, sl);
            for (int i = 0; i < 2; i++) {
                SpanRollups.Source s = r[i].fromSummaries;
                SpanRollups.Source e = r[i].fromEntries;
                System.out.printf("P=%-5d %-7s rollup of one instance's span (%,d entries, %d summaries): from "
                                + "summaries %,d B = %d WU (%.5f WU/entry), the roller reads %,d summary items "
                                + "(%,d B): %,d RU; from entries %,d B = %d WU (%.5f WU/entry), the roller reads "
                                + "%,d log items (%,d B): %,d RU  (consistent reads: GetItem 1 RU + a Query per "
                                + "shard, 4 KB units per 1 MB page, at least 1)%n", p, i == 0 ? "entries" : "compact",
                        r[i].entries, r[i].summaries, s.bytes(), s.writeUnits(),
                        (double) s.writeUnits() / r[i].entries, s.itemsRead(), s.bytesRead(), s.readUnits(),
                        e.bytes(), e.writeUnits(), (double) e.writeUnits() / r[i].entries, e.itemsRead(),
                        e.bytesRead(), e.readUnits());
                SlicedReports.printSpan(p, i == 0 ? "entries" : "compact", r[i], sl[i]);
            }
        }
        for (long span : new long[] {DAY, 7 * DAY}) {
            String name = span == DAY ? "24h" : "7d";
            long fleetEntries = span / 1000 * LINES_PER_SECOND;
            System.out.printf("=== %s: the fleet logs %,d entries%n", name, fleetEntries);
            for (int p : sizes) {
                List<SubscriptionPayload> payloads = sample(fleet, span, p, sampleEntries, new Random(p * 31L + span));
                long entries = payloads.stream().mapToLong(x -> x.events().size()).sum();
                long pieces = payloads.stream().mapToLong(FleetCostBenchmark::spanPieces).sum();
                Measured[] byFormat = new Measured[2];
                for (StorageFormat format : List.of(StorageFormat.ENTRIES, StorageFormat.COMPACT)) {
                    int i = format == StorageFormat.ENTRIES ? 0 : 1;
                    Cost today = forward(format, false, payloads);
                    Cost with = forward(format, true, payloads);
                    if (today.log.units != with.log.units || today.log.items != with.log.items) {
                        throw new IllegalStateException("the log items changed with summaries on: " + today.log.items
                                + " items, " + today.log.units + " units without, " + with.log.items + ", "
                                + with.log.units + " with");
                    }
                    String f = format.name().toLowerCase(java.util.Locale.ROOT);
                    SpanRollups r = rollups.get(p)[i];
                    double unitsToday = (double) today.log.units / entries;
                    double summaryUnits = (double) with.summary.units / entries;
                    double rollOn = (double) r.fromSummaries.writeUnits() / r.entries;
                    double rollOff = (double) r.fromEntries.writeUnits() / r.entries;
                    double unitsOn = unitsToday + summaryUnits + rollOn;
                    double unitsOff = unitsToday + rollOff;
                    System.out.printf("%s P=%-5d %-7s write units/entry: entries alone %.4f; summaries on: + "
                                    + "summaries %.4f + rollups %.5f = %.4f, ratio %.3f (goal <= 1.10: %s); summaries "
                                    + "off: + rollups from entries %.5f = %.4f, ratio %.3f (goal <= 1.10: %s)  "
                                    + "[sample: %,d payloads, %,d entries; log items %,d (%,d WU); summary items %,d "
                                    + "(%,d WU, mean %,.0f B, %.2f per payload)]%n",
                            name, p, f, unitsToday, summaryUnits, rollOn, unitsOn, unitsOn / unitsToday,
                            unitsOn / unitsToday <= 1.10 ? "met" : "NOT met", rollOff, unitsOff,
                            unitsOff / unitsToday, unitsOff / unitsToday <= 1.10 ? "met" : "NOT met",
                            payloads.size(), entries, today.log.items, today.log.units, with.summary.items,
                            with.summary.units, (double) with.summary.bytes / Math.max(1, with.summary.items),
                            (double) with.summary.items / payloads.size());
                    System.out.printf("%s P=%-5d %-7s scaled to the fleet's %s (%,d entries): entries alone %,.0f "
                                    + "WU, summaries on %,.0f WU, summaries off %,.0f WU%n", name, p, f, name,
                            fleetEntries, unitsToday * fleetEntries, unitsOn * fleetEntries,
                            unitsOff * fleetEntries);
                    byFormat[i] = new Measured(entries, pieces, today, with, unitsOn, unitsOff, r);
                    SlicedReports.put(name, f, p, "on WU", unitsOn / unitsToday);
                }
                Window[] windows = {window(fleet, p, span, false, new Random(p * 7L + span)),
                    window(fleet, p, span, true, new Random(p * 7L + span))};
                for (int i = 0; i < 2; i++) {
                    itemsRead(name, p, span, i == 0 ? "entries" : "compact", byFormat[i], windows);
                    if (span == DAY) {
                        rollerCost(name, p, i == 0 ? "entries" : "compact", byFormat[i]);
                    }
                    Measured m = byFormat[i];
                    // Compact: item starts beyond each payload-span run's first, per entry, as the packer packed it.
                    double withinRun = (double) (m.today.log.items - m.pieces) / (m.entries - m.pieces);
                    SlicedWindow[] sw = {
                        SlicedWindow.of(fleet, p, span, false, new Random(p * 7L + span), TRIALS, withinRun),
                        SlicedWindow.of(fleet, p, span, true, new Random(p * 7L + span), TRIALS, withinRun)};
                    SlicedReports.print(name, p, span, i == 0 ? "entries" : "compact", m.entries,
                            m.today.log.items, m.today.log.bytes, m.today.log.units, m.rollups, sliced.get(p)[i],
                            windows, sw, withinRun, fleet);
                }
                cpu(name, p, span, fleetEntries, byFormat[0], windows[0], payloads, fleet);
            }
        }
        SlicedReports.summary(sizes);
    }

    /** The items a fleet report reads, both configurations, for a window ending in the past and one ending now. */
    private static void itemsRead(String name, int p, long span, String f, Measured m, Window[] windows) {
        boolean entriesFormat = f.equals("entries");
        double logItemsPerEntry = (double) m.today.log.items / m.entries;
        double logBytesPerItem = (double) m.today.log.bytes / m.today.log.items;
        double summariesPerPiece = (double) m.with.summary.items / m.pieces;
        double summaryBytes = (double) m.with.summary.bytes / Math.max(1, m.with.summary.items);
        long days = span / DAY + 1; // a window not aligned to days touches one day more
        double catalogue = (double) days * CATALOGUE_ITEMS_A_DAY;
        for (boolean on : new boolean[] {true, false}) {
            for (Window w : windows) {
                double rollupItems = INSTANCES * w.rollupsRead;
                double baseline = INSTANCES * (entriesFormat ? w.entries : w.compactEntries * logItemsPerEntry);
                double summaryItems = on ? INSTANCES * w.pieces * summariesPerPiece : 0;
                double logItems = INSTANCES * (on
                        ? (entriesFormat ? w.edgeEntries : w.edgeCompactExact * logItemsPerEntry)
                        : (entriesFormat ? w.offEntries : w.offCompactEntries * logItemsPerEntry));
                double read = rollupItems + summaryItems + logItems + catalogue;
                double ratio = read / (baseline + catalogue);
                double rollupBytes = (on ? m.rollups.fromSummaries : m.rollups.fromEntries).bytes();
                String what = on
                        ? String.format("%,.0f summary items + %,.0f log items at the edges%s", summaryItems,
                                logItems, entriesFormat ? "" : String.format(" (from each edge's first summarised "
                                        + "entry on; from its span start, as before: %,.0f)",
                                INSTANCES * w.edgeCompactEntries * logItemsPerEntry))
                        : String.format("%,.0f log items of the spans without a rollup used", logItems);
                SlicedReports.put(name, f, p, (on ? "on" : "off ns") + (w.live ? " now" : ""), ratio);
                System.out.printf("%s P=%-5d %-7s summaries %-3s items read for a %s fleet report%s: %,.0f (%,.0f "
                                + "rollup items (%,.0f used) + %s + %,.0f catalogue), from entries %,.0f; ratio %.4f "
                                + "= %.2f %% (goal <= 1 %%: %s); bytes read %,.0f MB vs %,.0f MB%n", name, p, f,
                        on ? "on" : "off", name, w.live ? " ending now" : "", read, rollupItems,
                        INSTANCES * w.rollupsUsed, what, catalogue, baseline + catalogue, ratio, ratio * 100,
                        ratio <= 0.01 ? "met" : "NOT met", (rollupItems * rollupBytes + summaryItems * summaryBytes
                                + logItems * logBytesPerItem) / 1e6, baseline * logBytesPerItem / 1e6);
            }
        }
    }

    /**
     * What the roller reads in a day (every instance's 144 spans rolled once, each by one GetItem and a Query per
     * shard, consistent) in dollars on demand, as a share of the day's write bill (entries, summaries, rollups).
     */
    private static void rollerCost(String name, int p, String f, Measured m) {
        double spans = (double) INSTANCES * DAY / SPAN;
        double entriesADay = (double) DAY / 1000 * LINES_PER_SECOND;
        for (boolean on : new boolean[] {true, false}) {
            SpanRollups.Source s = on ? m.rollups.fromSummaries : m.rollups.fromEntries;
            double readUnits = spans * s.readUnits();
            double writeUnits = entriesADay * (on ? m.unitsOn : m.unitsOff);
            double read = readUnits * READ_DOLLARS;
            double write = writeUnits * WRITE_DOLLARS;
            System.out.printf("%s P=%-5d %-7s summaries %-3s the roller reads a day: %,.0f spans x %,d RU (%,d %s "
                            + "items, %,d B each span) = %,.0f RU = $%.3f, against the day's write bill %,.0f WU = "
                            + "$%.2f: %.2f %%%n", name, p, f, on ? "on" : "off", spans, s.readUnits(), s.itemsRead(),
                    on ? "summary" : "log", s.bytesRead(), readUnits, read, writeUnits, write, 100 * read / write);
            SlicedReports.put(name, f, p, on ? "on share" : "off ns share", read / write);
        }
    }

    /** On demand, per unit (us-east-1): $1.25 per million write request units, $0.25 per million read units. */
    private static final double WRITE_DOLLARS = 1.25e-6;
    private static final double READ_DOLLARS = 0.25e-6;

    /** The measurements of one P and format; {@code unitsOn}/{@code unitsOff}: write units per entry, rollups in. */
    private record Measured(long entries, long pieces, Cost today, Cost with, double unitsOn, double unitsOff,
                            SpanRollups rollups) {
    }

    /** What forwarding the sample wrote, per kind of item. */
    private record Cost(CountingDynamoDb.Bill log, CountingDynamoDb.Bill summary, CountingDynamoDb.Bill catalogue,
                        List<Map<String, AttributeValue>> summaries) {
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

    static Cost forward(StorageFormat format, boolean summaries, List<SubscriptionPayload> payloads)
            throws InterruptedException {
        CountingDynamoDb ddb = forwardInto(new CountingDynamoDb(summaries), format, summaries, payloads);
        return new Cost(ddb.bill(CountingDynamoDb.Kind.LOG), ddb.bill(CountingDynamoDb.Kind.SUMMARY),
                ddb.bill(CountingDynamoDb.Kind.CATALOG), ddb.summaries());
    }

    /** {@code payloads} through the real Forwarder, BatchWriter and CatalogWriter into {@code ddb}. */
    static CountingDynamoDb forwardInto(CountingDynamoDb ddb, StorageFormat format, boolean summaries,
                                        List<SubscriptionPayload> payloads) throws InterruptedException {
        ItemFactory items = new ItemFactory(ItemContract.DEFAULT_SHARDS, ItemContract.DEFAULT_TTL_DAYS,
                new Redactor());
        try (BatchWriter writer = new BatchWriter(ddb, "bench", 1)) {
            Forwarder forwarder = new Forwarder(new PostgresLogParser(), items,
                    format == StorageFormat.COMPACT ? new CompactItems(ItemContract.DEFAULT_SHARDS) : null, writer,
                    new CatalogWriter(ddb, "bench", items), line -> { },
                    summaries ? new Summariser(ItemContract.DEFAULT_SHARDS) : null,
                    // The live path on time: no late payloads, so no bumps; the roller's one rollup per instance
                    // and span is counted apart (SpanRollups).
                    Rollups.NONE);
            for (SubscriptionPayload payload : payloads) {
                forwarder.forward(payload, Deadline.after(Duration.ofMinutes(1)));
            }
        }
        return ddb;
    }

    /** What one fleet report reads, per instance, in expectation over random windows. */
    record Window(boolean live, double rollupsRead, double rollupsUsed, double pieces, double edgeEntries,
                  double edgeCompactEntries, double edgeCompactExact, double offEntries, double offCompactEntries,
                  double entries, double compactEntries) {
    }

    /**
     * Per instance, over TRIALS windows of {@code span} starting at random moments of the fleet's second day, read as
     * docs/schema.md "Reading summaries" says: {@code rollupsRead}: the rollup items of the spans from the one the
     * window starts in to the one it ends in (one Query a day); {@code rollupsUsed}: those of spans the window holds
     * whole and the roller has rolled (every one in the past; {@code live}: a window ending now, whose spans ended
     * less than ROLL_AFTER ago are not rolled yet). Summaries on: {@code pieces}: the summary items of the other
     * spans (payload-span pieces whose first entry lies in them, up to the window's end); {@code edgeEntries}: the
     * window's entries in the pieces straddling its edges (read from entries instead); {@code edgeCompactExact}: the
     * entries a compact Query over those ranges passes over when it starts at the straddling piece's first entry (its
     * summary's {@code ts}: the exact edges of part 3); {@code edgeCompactEntries}: the same when it starts at the
     * range's ten-minute span (part 2). Summaries off (rollups from entries): {@code offEntries}: the window's entries
     * in the spans without a rollup used (the cut first and last spans, the unrolled ones), read from entries;
     * {@code offCompactEntries}: the entries compact Queries over those spans pass over (from each span's start).
     * {@code entries}, {@code compactEntries}: a report from entries over the whole window.
     */
    static Window window(SyntheticFleet fleet, int p, long span, boolean live, Random random) {
        double rollupsRead = 0;
        double rollupsUsed = 0;
        double pieces = 0;
        double edge = 0;
        double edgeCompact = 0;
        double edgeExact = 0;
        double off = 0;
        double offCompact = 0;
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
            long rolledEnd = spanFloor(live ? until - SliceContract.ROLL_AFTER_MILLIS : until);
            rollupsRead += (spanFloor(until) - firstSpan) / SPAN + 1;
            rollupsUsed += Math.max(0, (rolledEnd - fullStart) / SPAN);
            // Summary pieces starting in the spans without a rollup used: the first (when cut) and the last ones.
            pieces += piecesStarting(fleet, i, p, fleet.lineAt(i, firstSpan), fleet.lineAt(i, fullStart))
                    + piecesStarting(fleet, i, p, fleet.lineAt(i, Math.max(fullStart, rolledEnd)), n1);
            long[] head = piece(fleet, i, p, n0);
            if (head[0] < n0) {
                edge += head[1] - n0;
                edgeCompact += head[1] - fleet.lineAt(i, spanFloor(from));
                edgeExact += head[1] - head[0];
            }
            long[] tail = piece(fleet, i, p, n1 - 1);
            if (tail[1] > n1) {
                edge += n1 - tail[0];
                edgeCompact += n1 - fleet.lineAt(i, spanFloor(fleet.timeOf(i, tail[0])));
                edgeExact += n1 - tail[0];
            }
            // Summaries off: the cut first span from the window's start (compact: from the span's), and the spans
            // from the last rolled one's end to the window's end, all from entries.
            long tailStart = fleet.lineAt(i, Math.max(fullStart, rolledEnd));
            off += fleet.lineAt(i, fullStart) - n0 + n1 - tailStart;
            offCompact += fleet.lineAt(i, fullStart) - fleet.lineAt(i, firstSpan) + n1 - tailStart;
            entries += n1 - n0;
            compactEntries += n1 - fleet.lineAt(i, spanFloor(from));
        }
        return new Window(live, rollupsRead / TRIALS, rollupsUsed / TRIALS, pieces / TRIALS, edge / TRIALS,
                edgeCompact / TRIALS, edgeExact / TRIALS, off / TRIALS, offCompact / TRIALS, entries / TRIALS,
                compactEntries / TRIALS);
    }

    /**
     * Summary pieces of instance {@code i} whose first line lies in {@code [a, b)}: payload starts, plus spans' first
     * lines that are not payload starts (a payload crossing a span boundary makes a piece on each side).
     */
    static long piecesStarting(SyntheticFleet fleet, int i, int p, long a, long b) {
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
     * the same entries added row by row, and the span's two rollups (from summaries, from entries) decoded and merged
     * ROLLUP_MERGES times; alternating, median of ROUNDS each; per item and projected to the fleet's window (entries
     * format, a window ending in the past): summaries on, the rollups used + the summaries + the edges' entries;
     * summaries off, the rollups used + the entries of the spans without one; against every entry.
     */
    private static void cpu(String name, int p, long span, long fleetEntries, Measured m, Window w,
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
        byte[] rollupOn = m.rollups.fromSummaries.rollup().get(ItemContract.SUMMARY).b().asByteArrayUnsafe();
        byte[] rollupOff = m.rollups.fromEntries.rollup().get(ItemContract.SUMMARY).b().asByteArrayUnsafe();
        double[][] times = new double[4][ROUNDS];
        long[] counted = new long[4];
        for (int r = -WARM_UP; r < ROUNDS; r++) {
            // Each way as many passes as fill PASS_MILLIS: one pass over a hundred summaries is too short to time.
            double mergeNanos = passes(() -> {
                ReportBuilder merged = new ReportBuilder(REPORT, from, until);
                for (Map<String, AttributeValue> s : summaries) {
                    merged.merge(SummaryCodec.decode(SummaryItem.of(s).data(), REPORT));
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
            double onNanos = passes(() -> counted[2] = mergeRollup(rollupOn, from, until));
            double offNanos = passes(() -> counted[3] = mergeRollup(rollupOff, from, until));
            if (r >= 0) {
                times[0][r] = mergeNanos;
                times[1][r] = addNanos;
                times[2][r] = onNanos;
                times[3][r] = offNanos;
            }
        }
        if (counted[0] != counted[1] || counted[2] != counted[3]
                || counted[2] != ROLLUP_MERGES * m.rollups.entries) {
            throw new IllegalStateException("the summaries counted " + counted[0] + " entries, the rows "
                    + counted[1] + "; the rollups " + counted[2] + " and " + counted[3] + " (" + ROLLUP_MERGES
                    + " x " + m.rollups.entries + " expected)");
        }
        double perSummary = median(times[0]) / Math.max(1, summaries.size());
        double perEntry = median(times[1]) / rows.size();
        double perRollupOn = median(times[2]) / ROLLUP_MERGES;
        double perRollupOff = median(times[3]) / ROLLUP_MERGES;
        double rollupsUsed = INSTANCES * w.rollupsUsed;
        double summaryItems = INSTANCES * w.pieces * m.with.summary.items / m.pieces;
        double on = rollupsUsed * perRollupOn + summaryItems * perSummary + INSTANCES * w.edgeEntries * perEntry;
        double off = rollupsUsed * perRollupOff + INSTANCES * w.offEntries * perEntry;
        double all = fleetEntries * perEntry;
        System.out.printf("%s P=%-5d report CPU, one thread, no I/O: decode + merge %,.0f ns per summary (%,d "
                        + "summaries of %,d entries: %.1f ms a pass), %,.0f ns per rollup from summaries, %,.0f ns "
                        + "per rollup from entries; add %,.0f ns per entry (%.1f ms a pass); for the fleet's %s "
                        + "(projected): summaries on %.1f s (%,.0f rollups + %,.0f summaries + %,.0f entries), "
                        + "summaries off %.1f s (%,.0f rollups + %,.0f entries), from entries %.1f s; ratios %.4f "
                        + "and %.4f%n", name, p, perSummary, summaries.size(), counted[0], median(times[0]) / 1e6,
                perRollupOn, perRollupOff, perEntry, median(times[1]) / 1e6, name, on / 1e9, rollupsUsed,
                summaryItems, INSTANCES * w.edgeEntries, off / 1e9, rollupsUsed, INSTANCES * w.offEntries,
                all / 1e9, on / all, off / all);
    }

    /** Rollups merged per timed pass: a report merges an instance's rollups one after another. */
    private static final int ROLLUP_MERGES = 20;

    private static long mergeRollup(byte[] rollup, Instant from, Instant until) {
        ReportBuilder merged = new ReportBuilder(REPORT, from, until);
        for (int k = 0; k < ROLLUP_MERGES; k++) {
            merged.merge(SummaryCodec.decode(rollup, REPORT));
        }
        return merged.build().overview().entries();
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
