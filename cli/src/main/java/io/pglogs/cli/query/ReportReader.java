package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.report.ReportBuilder;
import io.pglogs.report.Sources;
import io.pglogs.report.SummaryCodec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Makes a report's counts from rollups and summaries where they serve and from entries where they must
 * (docs/report.md "Sources"): per instance and UTC day of the window, the catalogue says whether it is summarised; a
 * summarised one counts the spans inside the window that have a valid rollup from it ({@link RollupPlan}) and plans
 * the rest from summaries ({@link SummaryPlan}); the rest is read from entries as {@link LogReader} reads them.
 * Instance-days are worked on in parallel, each into a builder of its own (its pieces merged in time order), and
 * merged in day and instance order: memory holds the instance-days in flight, not the window.
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
    private final int inFlight;

    /** @param concurrency Query requests in flight at once, and instance-days worked on at once */
    public ReportReader(DynamoDbClient ddb, String table, TableLayout layout, int concurrency) {
        this.entries = new LogReader(ddb, table, layout, concurrency);
        this.summaries = new SummaryItems(ddb, table, layout.shards(), summaryStats);
        this.inFlight = concurrency;
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "pglogs-report");
            t.setDaemon(true);
            return t;
        });
    }

    /** What DynamoDB read and returned, summaries, catalogue and entries together. */
    public QueryStats stats() {
        return QueryStats.sum(entries.stats(), summaryStats);
    }

    private record Day(LocalDate day, Instant from, Instant until, Map<String, Boolean> catalogue) {
    }

    /** One thing to merge: a rollup, a summary or an entry range; {@code start} its first time, for ordering. */
    private record Piece(String start, RollupPlan.Rollup rollup, SummaryPlan.Summary summary,
                         SummaryPlan.Range range) {
    }

    /** One instance-day's counts, and its share of the sources. */
    private record Part(ReportBuilder builder, long used, long rollups, long summarised, Map<String, long[]> read) {
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
            Map<String, Boolean> catalogue = summaries.catalogue(day);
            catalogued.addAll(catalogue.keySet());
            days.add(new Day(day, from.isAfter(start) ? from : start, until.isBefore(end) ? until : end, catalogue));
        }
        List<String> selected = instances.isEmpty() ? new ArrayList<>(catalogued) : instances;
        ReportBuilder all = new ReportBuilder(options, from, until);
        long used = 0;
        long rollups = 0;
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
            summarised += part.summarised();
            part.read().forEach((k, v) -> read.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
            done++;
            progress.update(days.get(Math.min(days.size() - 1, (done - 1) / Math.max(1, selected.size()))).day()
                    .toString(), summarised + read.values().stream().mapToLong(v -> v[0]).sum(),
                    (double) done / Math.max(1, total));
        }
        long readTotal = read.values().stream().mapToLong(v -> v[0]).sum();
        return new Read(all, new Sources(used, rollups, summarised, readTotal, Sources.reasons(read)), selected.size());
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
        String from = ItemContract.isoMillis(day.from());
        String until = ItemContract.isoMillis(day.until());
        RollupPlan.Plan rolled = new RollupPlan.Plan(List.of(), List.of());
        SummaryPlan.Plan plan;
        if (Boolean.TRUE.equals(day.catalogue().get(instance))) {
            rolled = RollupPlan.plan(summaries.rollups(instance, day.day(),
                    RollupPlan.rollupKeys(day.from(), day.until())), day.from(), day.until(), now.getEpochSecond());
            plan = rolled.summaries().isEmpty() ? new SummaryPlan.Plan(List.of(), List.of())
                    : SummaryPlan.plan(instance, summaries.of(instance, day.day(), rolled.summaries()), from, until,
                    now.getEpochSecond());
        } else {
            plan = SummaryPlan.unsummarised(instance, from, until);
        }
        List<Piece> pieces = new ArrayList<>();
        rolled.used().forEach(r -> pieces.add(new Piece(r.ts(), r, null, null)));
        plan.used().forEach(s -> pieces.add(new Piece(s.ts(), null, s, null)));
        plan.ranges().forEach(r -> pieces.add(new Piece(r.from(), null, null, r)));
        pieces.sort(Comparator.comparing(Piece::start));
        ReportBuilder builder = new ReportBuilder(options, day.from(), day.until());
        long summarised = 0;
        Map<String, long[]> read = new HashMap<>();
        for (Piece p : pieces) {
            if (p.rollup() != null) {
                builder.merge(SummaryCodec.decode(p.rollup().data(), options));
                summarised += p.rollup().entries();
            } else if (p.summary() != null) {
                builder.merge(SummaryCodec.decode(p.summary().data(), options));
                summarised += p.summary().entries();
            } else {
                ReportBuilder range = new ReportBuilder(options, day.from(), day.until());
                long rows = 0;
                Iterator<LogRow> it = entries.read(List.of(instance), Instant.parse(p.range().from()),
                        Instant.parse(p.range().until()), Filters.NONE, false, now);
                while (it.hasNext()) {
                    LogRow row = it.next();
                    if (!p.range().skips(row)) {
                        range.add(row);
                        rows++;
                    }
                }
                builder.merge(range);
                if (rows > 0) {
                    read.computeIfAbsent(p.range().reason(), k -> new long[1])[0] += rows;
                }
            }
        }
        return new Part(builder, plan.used().size(), rolled.used().size(), summarised, read);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        entries.close();
    }
}
