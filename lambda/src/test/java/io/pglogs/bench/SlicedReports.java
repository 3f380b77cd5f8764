package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part-4 figures of {@link FleetCostBenchmark} (DESIGN26-part4 E): with summaries off, slices written by the
 * roller beside the span rollups ({@link SpanSlices}: the roller's passes over one forwarded span) and reports reading
 * rollups + slices + entries from floors ({@link SlicedWindow}); then the summary table of both configurations. The
 * model's conventions are FleetCostBenchmark's: a fleet of 200 instances, consistent reads (GetItem 1 unit, 4 KB units
 * per 1 MB Query page, at least 1 per Query and shard), on-demand prices.
 */
final class SlicedReports {
    private static final int INSTANCES = FleetCostBenchmark.INSTANCES;
    private static final long DAY = 86_400_000L;
    private static final long SPAN = ItemContract.COMPACT_SPAN_MILLIS;
    private static final double WRITE_DOLLARS = 1.25e-6;
    private static final double READ_DOLLARS = 0.25e-6;
    /** Figures for the summary table, by "window|format|P|what". */
    private static final Map<String, Double> TABLE = new LinkedHashMap<>();

    private SlicedReports() {
    }

    static void put(String name, String format, int p, String what, double value) {
        TABLE.put(name + "|" + format + "|" + p + "|" + what, value);
    }

    private static double get(String name, String format, int p, String what) {
        Double v = TABLE.get(name + "|" + format + "|" + p + "|" + what);
        return v == null ? Double.NaN : v;
    }

    /** One span's slices and the roller's passes over it. */
    static void printSpan(int p, String f, SpanRollups r, SpanSlices s) {
        StringBuilder units = new StringBuilder();
        for (long n : s.unitEntries) {
            units.append(units.length() == 0 ? "" : "/").append(n);
        }
        StringBuilder passes = new StringBuilder();
        for (SpanSlices.Pass pass : s.passes) {
            passes.append(String.format("%s%s %d+%d+%d RU (%,d log items, %,d B, %d slice%s written)",
                    passes.length() == 0 ? "" : "; ", pass.close() ? "close" : "partial", pass.getUnits(),
                    pass.sliceUnits(), pass.entryUnits(), pass.logItems(), pass.logBytes(), pass.written(),
                    pass.written() == 1 ? "" : "s"));
        }
        double meanBytes = s.slices.stream().mapToInt(SpanSlices.Slice::bytes).average().orElse(0);
        System.out.printf("P=%-5d %-7s slices of one instance's span (%,d entries, per 2-min unit %s): %d slices "
                        + "(%s entries), mean %,.0f B, %,d WU in all (%.5f WU/entry); the roller, a pass per newly "
                        + "due unit (GetItem + slice Query + entry Queries per shard): %s; a span %,d RU (part 3's "
                        + "single pass from entries: %,d RU)%n", p, f, r.entries, units, s.slices.size(),
                s.slices.stream().map(x -> Long.toString(x.entries())).reduce((a, b) -> a + "/" + b).orElse("-"),
                meanBytes, s.writeUnits(), (double) s.writeUnits() / r.entries, passes, s.readUnits(),
                r.fromEntries.readUnits());
    }

    /** Summaries off with slices: write units, items read, the roller's day, a report's Queries. */
    static void print(String name, int p, long span, String f, long entries, long logItems, long logBytes,
                      long logUnits, SpanRollups r, SpanSlices s, FleetCostBenchmark.Window[] windows,
                      SlicedWindow[] sliced, double withinRun, SyntheticFleet fleet) {
        boolean entriesFormat = f.equals("entries");
        long fleetEntries = span / 1000 * FleetCostBenchmark.LINES_PER_SECOND;
        double unitsToday = (double) logUnits / entries;
        double slicesPerEntry = (double) s.writeUnits() / r.entries;
        double rollupsPerEntry = (double) r.fromEntries.writeUnits() / r.entries;
        double units = unitsToday + slicesPerEntry + rollupsPerEntry;
        put(name, f, p, "off WU", units / unitsToday);
        System.out.printf("%s P=%-5d %-7s summaries off, slices: write units/entry: entries alone %.4f + slices "
                        + "%.5f + rollups from slices %.5f = %.4f, ratio %.3f (goal <= 1.10: %s); scaled to the "
                        + "fleet's %s: %,.0f WU (entries alone %,.0f WU)%n", name, p, f, unitsToday, slicesPerEntry,
                rollupsPerEntry, units, units / unitsToday, units / unitsToday <= 1.10 ? "met" : "NOT met", name,
                units * fleetEntries, unitsToday * fleetEntries);
        double logItemsPerEntry = (double) logItems / entries;
        double logBytesPerItem = (double) logBytes / logItems;
        double sliceBytes = s.slices.stream().mapToInt(SpanSlices.Slice::bytes).average().orElse(0);
        double catalogue = (double) (span / DAY + 1) * INSTANCES;
        for (int k = 0; k < 2; k++) {
            FleetCostBenchmark.Window w = windows[k];
            SlicedWindow sw = sliced[k];
            double baseline = INSTANCES * (entriesFormat ? w.entries() : w.compactEntries() * logItemsPerEntry);
            double rollupItems = INSTANCES * sw.rollupsRead();
            double sliceItems = INSTANCES * sw.slicesRead();
            double log = INSTANCES * (entriesFormat ? sw.entries() : sw.compactItems());
            double read = rollupItems + sliceItems + log + catalogue;
            double ratio = read / (baseline + catalogue);
            put(name, f, p, sw.live() ? "off now" : "off", ratio);
            System.out.printf("%s P=%-5d %-7s summaries off, slices: items read for a %s fleet report%s: %,.0f "
                            + "(%,.0f rollup items (%,.0f used) + %,.0f slice items (%,.0f used) + %,.0f log items "
                            + "read from floors (%,.0f entries in %.2f ranges an instance) + %,.0f catalogue), from "
                            + "entries %,.0f; ratio %.4f = %.2f %% (goal <= 1 %%: %s); bytes read %,.0f MB%n", name, p,
                    f, name, sw.live() ? " ending now" : "", read, rollupItems, INSTANCES * sw.rollupsUsed(),
                    sliceItems, INSTANCES * sw.slicesUsed(), log, INSTANCES * sw.entries(), sw.ranges(), catalogue,
                    baseline + catalogue, ratio, ratio * 100, ratio <= 0.01 ? "met" : "NOT met",
                    (rollupItems * r.fromEntries.bytes() + sliceItems * sliceBytes + log * logBytesPerItem) / 1e6);
            if (span == DAY) {
                double perInstance = sw.rollupQueries() + sw.sliceQueries() + sw.entryQueries();
                double days = span / DAY + 1;
                put(name, f, p, sw.live() ? "queries now" : "queries", perInstance);
                System.out.printf("%s P=%-5d %-7s summaries off, slices: DynamoDB Queries of a %s fleet report%s: "
                                + "per instance %.2f (%.2f rollup Queries, one per instance-day + %.2f slice "
                                + "Queries, one per instance-day with an unrolled stretch + %.2f entry Queries, %d "
                                + "shards x %.2f ranges read from entries); fleet %,.0f (+ %.0f catalogue Queries)%n",
                        name, p, f, name, sw.live() ? " ending now" : "", perInstance, sw.rollupQueries(),
                        sw.sliceQueries(), sw.entryQueries(), ItemContract.DEFAULT_SHARDS, sw.ranges(),
                        INSTANCES * perInstance, days);
            }
        }
        if (span == DAY) {
            double spans = (double) INSTANCES * DAY / SPAN;
            double readUnits = spans * s.readUnits();
            double writeUnits = (double) DAY / 1000 * FleetCostBenchmark.LINES_PER_SECOND * units;
            double share = readUnits * READ_DOLLARS / (writeUnits * WRITE_DOLLARS);
            put(name, f, p, "off share", share);
            System.out.printf("%s P=%-5d %-7s summaries off, slices: the roller reads a day: %,.0f spans x %,d RU "
                            + "(%d passes: a pass per newly due 2-min unit, at most) = %,.0f RU = $%.3f, against the "
                            + "day's write bill %,.0f WU = $%.2f: %.2f %%%n", name, p, f, spans, s.readUnits(),
                    s.passes.size(), readUnits, readUnits * READ_DOLLARS, writeUnits, writeUnits * WRITE_DOLLARS,
                    100 * share);
            if (!entriesFormat) {
                // The model's compact items from a floor (the packer's runs exactly, within-run starts at the
                // sample's density) against the exact count on the measured span's real items.
                StringBuilder exact = new StringBuilder();
                StringBuilder model = new StringBuilder();
                double sumExact = 0;
                double sumModel = 0;
                for (int k = 0; k < s.itemsFromFloor.length; k++) {
                    long u = r.spanStart + k * SliceContract.UNIT_MILLIS;
                    double m = SlicedWindow.items(fleet, 0, p, fleet.lineAt(0, u),
                            fleet.lineAt(0, u + SliceContract.UNIT_MILLIS), withinRun);
                    exact.append(k == 0 ? "" : "/").append(s.itemsFromFloor[k]);
                    model.append(k == 0 ? "" : "/").append(String.format("%.1f", m));
                    sumExact += s.itemsFromFloor[k];
                    sumModel += m;
                }
                System.out.printf("%s P=%-5d %-7s check of the model's compact reads from a floor, on the measured "
                                + "span's real items, a unit from its floor each: exact %s (%,.0f), model %s (%,.1f); "
                                + "within-run item starts per entry %.4f%n", name, p, f, exact, sumExact, model,
                        sumModel, withinRun);
            }
        }
    }

    /** The summary table (the head of bench26-part3.txt's, OFF now with slices). */
    static void summary(int[] sizes) {
        System.out.println("=== summary (24-hour fleet, 7-day where said; items = a fleet report's items read / a "
                + "report from entries'; 'now' = ending now; roller share = its reads' dollars / the write bill's)");
        System.out.println(" format   P     | summaries ON (rollups from summaries)                  | summaries OFF,"
                + " slices (rollups + slices from entries)             | OFF no slices (part 3 reads)");
        System.out.println("                | WU ratio  items 24h (now)   items 7d  roller share     | WU ratio  items "
                + "24h (now)   items 7d  roller share  Queries/inst  | items 24h (now)");
        for (String f : new String[] {"entries", "compact"}) {
            for (int p : sizes) {
                System.out.printf(" %-7s  %-5d | %.3f x   %.2f %% (%.2f %%)  %.2f %%    %.2f %%           | %.3f x   "
                                + "%.2f %% (%.2f %%)  %.2f %%    %.2f %%        %.1f (%.1f)   | %.2f %% (%.2f %%)%n",
                        f, p, get("24h", f, p, "on WU"), 100 * get("24h", f, p, "on"),
                        100 * get("24h", f, p, "on now"), 100 * get("7d", f, p, "on"),
                        100 * get("24h", f, p, "on share"), get("24h", f, p, "off WU"), 100 * get("24h", f, p, "off"),
                        100 * get("24h", f, p, "off now"), 100 * get("7d", f, p, "off"),
                        100 * get("24h", f, p, "off share"), get("24h", f, p, "queries"),
                        get("24h", f, p, "queries now"), 100 * get("24h", f, p, "off ns"),
                        100 * get("24h", f, p, "off ns now"));
            }
        }
    }
}
