package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.Sources;
import io.pglogs.report.SummaryCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Makes a report's counts from rollups and summaries where they serve and from entries where they must
 * (docs/report.md "Sources"): per instance and UTC day of the window, the spans inside the window that have a usable
 * rollup are counted from it ({@link RollupPlan}: one made from entries on any day, one made from summaries only on a
 * day the catalogue marks summarised); on a summarised day the rest is planned from summaries ({@link SummaryPlan})
 * hour by hour, on another day from the slices of those spans ({@link SlicePlan}) and entries; what summaries or
 * slices leave is read from entries as {@link LogReader} reads them (a compact table's edges from the first item that
 * may hold a needed entry, as summaries' {@code payload_ts} or slices' floors say).
 * Instance-days are worked on in parallel, each into a builder of its own (its pieces merged in time order), and
 * merged in day and instance order: memory holds, per instance-day in flight, its rollups (up to 144, with their
 * bytes: about 2 KB each, up to 350 KB for a busy instance's), the slices of its spans without a complete rollup (up
 * to 5 a span, about 1.5-2 KB each), one hour's summary items and a builder, not the window.
 */
public final class ReportReader implements AutoCloseable {
    /** What was counted, where it came from, and how many instances were read. */
    public record Read(ReportBuilder builder, Sources sources, int instances) {
    }

    /** Told, after each instance-day, the day, the entries counted so far and the share of instance-days done. */
    public interface Progress {
        void update(String day, long entries, double share);
    }

    private final LogReader entries;
    private final SummaryItems summaries;
    private final QueryStats summaryStats = new QueryStats();
    private final ExecutorService workers;
    private final ExecutorService queries;
    private final int inFlight;

    /**
     * @param concurrency Query requests in flight at once (summaries; entries through {@link LogReader} likewise),
     *                    and instance-days worked on at once ({@link #daysInFlight}): each holds one hour's summaries
     *                    and a builder, so memory follows them, a few MB each.
     */
    public ReportReader(DynamoDbClient ddb, String table, TableLayout layout, int concurrency) {
        this.entries = new LogReader(ddb, table, layout, concurrency);
        this.summaries = new SummaryItems(ddb, table, layout.shards(), summaryStats);
        this.inFlight = daysInFlight(concurrency);
        this.workers = Executors.newFixedThreadPool(inFlight, daemon("pglogs-report"));
        this.queries = Executors.newFixedThreadPool(concurrency, daemon("pglogs-summaries"));
    }

    /**
     * Instance-days worked on at once: as many as Query requests may be in flight. Each reads its day hour by hour,
     * one round trip after another, so a fleet report's time is round trips over days in flight: a quarter of the
     * concurrency made a 200-instance day about 1,200 sequential rounds (second review of issue 26), this 300. Memory
     * stays bounded: one hour's summaries (about 1.2 MB at 20-line payloads) and a builder per day in flight.
     */
    static int daysInFlight(int concurrency) {
        return Math.max(1, concurrency);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** What DynamoDB read and returned, summaries, catalogue and entries together. */
    public QueryStats stats() {
        return QueryStats.sum(entries.stats(), summaryStats);
    }

    /** What the Queries of entries alone read and returned (the window's edges, conflicts, days not summarised). */
    public QueryStats entryStats() {
        return entries.stats();
    }

    private record Day(LocalDate day, Instant from, Instant until, Map<String, SummaryItems.Catalogued> catalogue) {
    }

    /** One thing to merge: a rollup, a slice, a summary or an entry range; {@code start} its first time, for
     * ordering. */
    private record Piece(String start, RollupPlan.Rollup rollup, SlicePlan.Slice slice, SummaryPlan.Summary summary,
                         SummaryPlan.Range range) {
    }

    /** One instance-day's (or hour's) counts, and its share of the sources: rollups and summaries used, their entries,
     * reads. */
    private static final class Part {
        private final ReportBuilder builder;
        private final Map<String, long[]> read;
        private long used;
        private long rollups;
        private long slices;
        private long summarised;

        Part(ReportBuilder builder, long used, long summarised, Map<String, long[]> read) {
            this.builder = builder;
            this.used = used;
            this.summarised = summarised;
            this.read = read;
        }

        ReportBuilder builder() {
            return builder;
        }

        long used() {
            return used;
        }

        long rollups() {
            return rollups;
        }

        long slices() {
            return slices;
        }

        long summarised() {
            return summarised;
        }

        Map<String, long[]> read() {
            return read;
        }

        void count(long entries) {
            used++;
            summarised += entries;
        }

        void countRollup(long entries) {
            rollups++;
            summarised += entries;
        }

        void countSlice(long entries) {
            slices++;
            summarised += entries;
        }

        /** Adds a later part (in time order). */
        void add(Part later) {
            builder.merge(later.builder);
            used += later.used;
            rollups += later.rollups;
            slices += later.slices;
            summarised += later.summarised;
            later.read.forEach((k, v) -> read.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        }
    }

    /**
     * @param instances those named; empty: every instance the catalogue names on a day of the window (as
     *                  {@link LogReader#instances} finds them)
     * @param progress  told the day being read and the share of instance-days done
     */
    public Read read(List<String> instances, Instant from, Instant until, ReportBuilder.Options options, Instant now,
                     Progress progress) {
        List<Day> days = new ArrayList<>();
        TreeSet<String> catalogued = new TreeSet<>();
        for (LocalDate day : LogReader.days(from, until)) {
            Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant end = start.plusSeconds(86_400).minusMillis(1);
            Map<String, SummaryItems.Catalogued> catalogue = summaries.catalogue(day);
            catalogued.addAll(catalogue.keySet());
            days.add(new Day(day, from.isAfter(start) ? from : start, until.isBefore(end) ? until : end, catalogue));
        }
        List<String> selected = instances.isEmpty() ? new ArrayList<>(catalogued) : instances;
        ReportBuilder all = new ReportBuilder(options, from, until);
        long used = 0;
        long rollups = 0;
        long slices = 0;
        long summarised = 0;
        Map<String, long[]> read = new HashMap<>();
        ArrayDeque<CompletableFuture<Part>> pending = new ArrayDeque<>();
        Iterator<Runnable> tasks = tasks(days, selected, options, now, pending).iterator();
        int total = days.size() * selected.size();
        int done = 0;
        while (pending.size() < inFlight && tasks.hasNext()) {
            tasks.next().run();
        }
        while (!pending.isEmpty()) {
            Part part = join(pending.poll());
            if (tasks.hasNext()) {
                tasks.next().run();
            }
            all.merge(part.builder());
            used += part.used();
            rollups += part.rollups();
            slices += part.slices();
            summarised += part.summarised();
            part.read().forEach((k, v) -> read.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
            done++;
            progress.update(days.get(Math.min(days.size() - 1, (done - 1) / Math.max(1, selected.size()))).day()
                    .toString(), summarised + read.values().stream().mapToLong(v -> v[0]).sum(),
                    (double) done / Math.max(1, total));
        }
        long readTotal = read.values().stream().mapToLong(v -> v[0]).sum();
        return new Read(all, new Sources(used, rollups, slices, summarised, readTotal,
                Sources.reasons(read)), selected.size());
    }

    /** Each instance-day's work, started when run: in day order, then instance order. */
    private List<Runnable> tasks(List<Day> days, List<String> instances, ReportBuilder.Options options, Instant now,
                                 ArrayDeque<CompletableFuture<Part>> pending) {
        List<Runnable> out = new ArrayList<>();
        for (Day day : days) {
            for (String instance : instances) {
                out.add(() -> pending.add(CompletableFuture.supplyAsync(() -> part(day, instance, options, now),
                        workers)));
            }
        }
        return out;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private Part part(Day day, String instance, ReportBuilder.Options options, Instant now) {
        Part part = new Part(new ReportBuilder(options, day.from(), day.until()), 0, 0, new HashMap<>());
        SummaryItems.Catalogued flags = day.catalogue().getOrDefault(instance, new SummaryItems.Catalogued(false,
                false));
        boolean summarised = flags.summarised();
        // Rollups only where every writer of the day bumps them: an older pglogs's writes (which bump nothing) drop
        // the flag, and its entries may then lie in any span, rolled or not. Without it the rollups are not read.
        List<RollupPlan.Rollup> found = flags.rollups() ? summaries.rollups(instance, day.day(),
                RollupPlan.rollupKeys(day.from(), day.until())) : List.of();
        RollupPlan.Plan rolled = RollupPlan.plan(found, day.from(), day.until(), now.getEpochSecond(), summarised);
        if (!summarised) {
            unsummarised(part, day, instance, rolled.used(), flags.rollups() ? found : null, options, now);
            return part;
        }
        // A summary never spans a ten-minute span, and its sort key starts with its first entry's time: each hour is
        // planned and merged on its own, so only one hour's summary bytes are held at a time (docs/report.md "Bounded
        // memory"); an hour its rollups cover whole is not queried at all.
        for (Instant hour = day.from().truncatedTo(ChronoUnit.HOURS); !hour.isAfter(day.until());
             hour = hour.plus(1, ChronoUnit.HOURS)) {
            Instant from = hour.isBefore(day.from()) ? day.from() : hour;
            Instant end = hour.plus(1, ChronoUnit.HOURS).minusMillis(1);
            Instant until = end.isAfter(day.until()) ? day.until() : end;
            List<RollupPlan.Rollup> rollups = RollupPlan.rollupsWithin(rolled.used(), from, until);
            List<RollupPlan.KeyRange> ranges = RollupPlan.rangesWithin(rolled.summaries(), from, until);
            hour(part, day, instance, rollups, ranges, from, until, options, now);
        }
        return part;
    }

    /**
     * An instance-day the catalogue does not mark summarised: the spans with a rollup made from entries counted from
     * it, the rest of the window's part of the day (runs of spans without one, the window's edges) from the valid
     * slices lying in it ({@link SlicePlan}: one Query of the day's slices, only when there is such a rest and the day's
     * rollups are read at all) and from entries, each entry range from the floor the slices give. A rollup or slice
     * that cannot be decoded is dropped and its times read from entries too (the day planned again).
     *
     * @param found every rollup item the day's rollup Query returned (stubs too: their gens validate slices), or null
     *              when the day's rollups are not read (then neither are its slices: they are valid only while
     *              every writer bumps)
     */
    private void unsummarised(Part part, Day day, String instance, List<RollupPlan.Rollup> rollups,
                              List<RollupPlan.Rollup> found, ReportBuilder.Options options, Instant now) {
        List<RollupPlan.Rollup> usable = new ArrayList<>(rollups);
        Map<String, Long> gens = found == null ? Map.of() : SlicePlan.gens(found);
        Set<SlicePlan.Slice> unreadable = Collections.newSetFromMap(new IdentityHashMap<>());
        RollupPlan.KeyRange queried = null;
        List<SlicePlan.Slice> slices = List.of();
        while (true) {
            List<RollupPlan.Times> stretches = RollupPlan.unrolled(usable, day.from(), day.until());
            RollupPlan.KeyRange keys = found == null ? null : SlicePlan.keys(stretches);
            if (keys != null && !keys.equals(queried)) {
                // Again only when a rollup could not be decoded and its span joined the stretches.
                slices = summaries.slices(instance, day.day(), keys);
                queried = keys;
            }
            SlicePlan.Plan plan = SlicePlan.plan(instance, stretches, slices, gens, now.getEpochSecond(), unreadable);
            Part attempt = new Part(new ReportBuilder(options, day.from(), day.until()), 0, 0, new HashMap<>());
            Object bad = merge(attempt, day, new SummaryPlan.Plan(List.of(), plan.ranges()), usable, plan.used(),
                    options, now);
            if (bad == null) {
                part.add(attempt);
                return;
            }
            if (bad instanceof SlicePlan.Slice s) {
                unreadable.add(s);
            } else {
                usable.remove(bad);
            }
        }
    }

    /**
     * One hour of a summarised instance-day: its rollups and the summaries of its other spans, planned, then merged
     * in time order into {@code part}. A summary that cannot be decoded (another version's, damaged) makes the hour
     * planned again with it read from entries, so an older pglogs still reports and says so
     * ({@link Sources#UNREADABLE}); a rollup that cannot be decoded makes it planned again from its span's summaries.
     */
    private void hour(Part part, Day day, String instance, List<RollupPlan.Rollup> rollups,
                      List<RollupPlan.KeyRange> ranges, Instant from, Instant until, ReportBuilder.Options options,
                      Instant now) {
        List<RollupPlan.Rollup> usable = new ArrayList<>(rollups);
        List<RollupPlan.KeyRange> queried = new ArrayList<>(ranges);
        List<SummaryPlan.Summary> found = queried.isEmpty() ? List.of()
                : summaries.of(instance, day.day(), queried, queries);
        Set<SummaryPlan.Summary> unreadable = Collections.newSetFromMap(new IdentityHashMap<>());
        found.stream().filter(s -> s.data() == null).forEach(unreadable::add);
        while (true) {
            SummaryPlan.Plan plan = queried.isEmpty() ? new SummaryPlan.Plan(List.of(), List.of())
                    : SummaryPlan.plan(instance, found, isoMillis(from), isoMillis(until), now.getEpochSecond(),
                    unreadable);
            // A summary of an older pglogs (one UTC hour, across spans) used whole, or an entry range, reaching into a
            // span counted from its rollup would count some of its entries twice and miss others (review 26c, M2):
            // such a span is read from its summaries instead, and the hour planned again.
            List<RollupPlan.Rollup> overlapped = usable.stream().filter(r -> reachedBy(plan, r)).toList();
            if (!overlapped.isEmpty()) {
                List<RollupPlan.KeyRange> spans = overlapped.stream().map(RollupPlan::spanKeys).toList();
                usable.removeAll(overlapped);
                queried.addAll(spans);
                List<SummaryPlan.Summary> more = summaries.of(instance, day.day(), spans, queries);
                more.stream().filter(s -> s.data() == null).forEach(unreadable::add);
                found = new ArrayList<>(found);
                found.addAll(more);
                continue;
            }
            Part hour = new Part(new ReportBuilder(options, day.from(), day.until()), 0, 0, new HashMap<>());
            Object bad = merge(hour, day, plan, usable, List.of(), options, now);
            if (bad == null) {
                part.add(hour);
                return;
            }
            if (bad instanceof RollupPlan.Rollup r) {
                usable.remove(r);
                RollupPlan.KeyRange span = RollupPlan.spanKeys(r);
                queried.add(span);
                List<SummaryPlan.Summary> more = summaries.of(instance, day.day(), List.of(span), queries);
                more.stream().filter(s -> s.data() == null).forEach(unreadable::add);
                found = new ArrayList<>(found);
                found.addAll(more);
            } else {
                unreadable.add((SummaryPlan.Summary) bad);
            }
        }
    }

    /** Whether a summary the plan uses whole, or one of its entry ranges, holds times of the rollup's span. */
    static boolean reachedBy(SummaryPlan.Plan plan, RollupPlan.Rollup r) {
        RollupPlan.KeyRange span = RollupPlan.spanKeys(r);
        String first = span.low();
        String last = span.high();
        for (SummaryPlan.Summary s : plan.used()) {
            if (s.ts() != null && s.lastTs() != null && s.ts().compareTo(last) <= 0
                    && s.lastTs().compareTo(first) >= 0) {
                return true;
            }
        }
        for (SummaryPlan.Range g : plan.ranges()) {
            if (g.from().compareTo(last) <= 0 && g.until().compareTo(first) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Merges rollups, slices and a plan's pieces into {@code into} in time order.
     *
     * @return a used rollup, slice or summary that could not be decoded (then {@code into} is incomplete and to be
     *         dropped), or null
     */
    private Object merge(Part into, Day day, SummaryPlan.Plan plan, List<RollupPlan.Rollup> rollups,
                         List<SlicePlan.Slice> slices, ReportBuilder.Options options, Instant now) {
        List<Piece> pieces = new ArrayList<>();
        rollups.forEach(r -> pieces.add(new Piece(r.ts(), r, null, null, null)));
        slices.forEach(s -> pieces.add(new Piece(s.start(), null, s, null, null)));
        plan.used().forEach(s -> pieces.add(new Piece(s.ts(), null, null, s, null)));
        plan.ranges().forEach(r -> pieces.add(new Piece(r.from(), null, null, null, r)));
        pieces.sort(Comparator.comparing(Piece::start));
        for (Piece p : pieces) {
            if (p.slice() != null) {
                try {
                    SummaryCodec.decodeInto(p.slice().data(), into.builder());
                } catch (RuntimeException e) {
                    return p.slice();
                }
                into.countSlice(p.slice().entries());
            } else if (p.rollup() != null) {
                try {
                    // Straight into the hour's builder: on failure the caller drops the hour and plans it again.
                    SummaryCodec.decodeInto(p.rollup().data(), into.builder());
                } catch (RuntimeException e) {
                    return p.rollup();
                }
                into.countRollup(p.rollup().entries());
            } else if (p.summary() != null) {
                try {
                    SummaryCodec.decodeInto(p.summary().data(), into.builder());
                } catch (RuntimeException e) {
                    return p.summary();
                }
                into.count(p.summary().entries());
            } else {
                ReportBuilder range = new ReportBuilder(options, day.from(), day.until());
                long rows = 0;
                Iterator<LogRow> it = entries.read(List.of(p.range().instance()), Instant.parse(p.range().from()),
                        Instant.parse(p.range().until()), Filters.NONE, false, now, p.range().floor());
                while (it.hasNext()) {
                    LogRow row = it.next();
                    if (!p.range().skips(row)) {
                        range.add(row);
                        rows++;
                    }
                }
                into.builder().merge(range);
                if (rows > 0) {
                    into.read().computeIfAbsent(p.range().reason(), k -> new long[1])[0] += rows;
                }
            }
        }
        return null;
    }

    private static String isoMillis(Instant t) {
        return ItemContract.isoMillis(t);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        queries.shutdownNow();
        entries.close();
    }
}
