package io.pglogs.cli.ingest;

import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rolls up the spans a CLI writer (import, backfill, failed redrive) stored, once its whole run has stored everything
 * (docs/schema.md "Rollup items"): the forwarder's roller looks back only 2 hours, so the older spans such a writer
 * fills would never get rollups (nor slices) and every report over them would read every entry or summary. One close
 * pass a span ({@link Roller#rollNow}: the writer bumped them itself a moment ago, so the roller's quiet period does
 * not apply), for the spans {@link Roller#dueForWriter due}; those closer to now are left to the forwarder's roller.
 * A span not rolled fails nothing: readers use its summaries or entries.
 */
public final class WrittenRollups {
    /** The most one span's pass may take (its calls are bounded by the roller too). */
    private static final Duration PER_SPAN = Duration.ofMinutes(2);

    /** Spans rolled up (or found done, or empty), left to the forwarder (not due yet), and not rolled. */
    public record Outcome(int done, int notDue, int notRolled) {
    }

    /** One span of one instance. */
    public record Span(String instance, long span) {
    }

    private WrittenRollups() {
    }

    /** The spans of {@code written} {@link Roller#dueForWriter due} at {@code now}, in instance and time order. */
    public static List<Span> due(Map<String, SortedSet<Long>> written, Instant now) {
        List<Span> due = new ArrayList<>();
        written.forEach((instance, spans) -> spans.stream().filter(s -> Roller.dueForWriter(s, now))
                .forEach(s -> due.add(new Span(instance, s))));
        return due;
    }

    /**
     * Rolls the due spans of {@code written} up with {@code roller}, {@code concurrency} at once, telling progress on
     * {@code progress}. Returns what it came to; never throws but for an interrupt.
     */
    public static Outcome roll(Roller roller, Map<String, SortedSet<Long>> written, Instant now, int concurrency,
                               Progress progress) throws InterruptedException {
        int all = written.values().stream().mapToInt(SortedSet::size).sum();
        List<Span> due = due(written, now);
        int notDue = all - due.size();
        if (due.isEmpty()) {
            return new Outcome(0, notDue, 0);
        }
        progress.step(String.format("rolling up %,d spans", due.size()));
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger notRolled = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, due.size())), r -> {
            Thread t = new Thread(r, "pglogs-rollup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Span s : due) {
                running.add(pool.submit(() -> {
                    Roller.Outcome o;
                    try {
                        o = roller.rollNow(s.instance(), s.span(), now, Deadline.after(PER_SPAN));
                    } catch (RuntimeException e) {
                        o = Roller.Outcome.NOT_ROLLED; // derived data: the write it follows is whole
                    }
                    if (o != Roller.Outcome.DONE) {
                        notRolled.incrementAndGet();
                    }
                    finished.incrementAndGet();
                }));
            }
            for (int i = 0; i < running.size(); i++) {
                Future<?> f = running.get(i);
                Span s = due.get(i);
                while (true) {
                    try {
                        f.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        progress.count("rolling up", finished.get(), due.size(), "spans", s.instance() + " "
                                + ItemContract.isoMillis(ItemContract.spanStart(s.span())));
                    } catch (java.util.concurrent.ExecutionException e) {
                        break; // the task catches what it can; anything else is counted below as not rolled
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int failed = notRolled.get() + (due.size() - finished.get());
        return new Outcome(due.size() - failed, notDue, failed);
    }
}
