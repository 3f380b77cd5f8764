package io.pglogs.cli.ingest;

import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.Roller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Rolls up the spans a CLI writer (import, backfill, failed redrive) stored, once its run has stored everything it
 * could (docs/schema.md "Rollup items"): the forwarder's roller looks back only 2 hours, so the older spans such a
 * writer fills would never get rollups (nor slices) and every report over them would read every entry or summary. One
 * close pass a span ({@link Roller#rollNow}: the writer bumped them itself a moment ago, so the roller's quiet period
 * does not apply), for the spans {@link Roller#dueForWriter due}; those closer to now are not rolled. A span not
 * rolled fails nothing: readers use its summaries or entries.
 *
 * <p>Throttling (review P6, F4): after {@link #MAX_CONSECUTIVE_FAILURES} spans in a row fail on DynamoDB errors or
 * time, the phase stops and says what is left, rather than spend hours of retries competing with the forwarder and
 * every reader for the table's capacity.
 */
public final class WrittenRollups {
    /** The most one span's pass may take (its calls are bounded by the roller too). */
    static final Duration PER_SPAN = Duration.ofMinutes(2);
    /** Spans failing in a row (DynamoDB errors, out of time) after which the phase stops: the table is throttling. */
    public static final int MAX_CONSECUTIVE_FAILURES = 5;
    /** Reasons a span was not rolled told on stderr; the rest are counted in the outcome only. */
    static final int MAX_REASONS = 10;

    /**
     * What the phase came to: spans rolled (or found valid), with nothing to roll, not due (too recent), not rolled
     * (each reason counted), and left untried when it stopped ({@code stoppedBy}: the last failure's cause, or null).
     */
    public record Outcome(int done, int nothing, int notDue, int notRolled, int left, String stoppedBy) {
        public static final Outcome NONE = new Outcome(0, 0, 0, 0, 0, null);
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

    /** How one span is rolled; {@link Roller#rollNow} with the phase's {@code now}, or a test's. */
    @FunctionalInterface
    public interface SpanRoller {
        Roller.Rolled roll(Span span, Deadline deadline);
    }

    /**
     * Rolls the due spans of {@code written} up with {@code roller} at {@code now}, {@code concurrency} at once,
     * telling progress on {@code progress} and why a span was not rolled on {@code reasons} (the first
     * {@link #MAX_REASONS}). Returns what it came to; never throws but for an interrupt.
     */
    public static Outcome roll(Roller roller, Map<String, SortedSet<Long>> written, Instant now, int concurrency,
                               Progress progress, Consumer<String> reasons) throws InterruptedException {
        return roll((s, deadline) -> roller.rollNow(s.instance(), s.span(), now, deadline), written, now, concurrency,
                progress, reasons);
    }

    /** As above, each span rolled by {@code roller}. */
    static Outcome roll(SpanRoller roller, Map<String, SortedSet<Long>> written, Instant now, int concurrency,
                        Progress progress, Consumer<String> reasons) throws InterruptedException {
        int all = written.values().stream().mapToInt(SortedSet::size).sum();
        List<Span> due = due(written, now);
        int notDue = all - due.size();
        if (due.isEmpty()) {
            return new Outcome(0, 0, notDue, 0, 0, null);
        }
        progress.step(String.format("rolling up %,d spans%s", due.size(),
                concurrency == 1 ? " (one at a time)" : ""));
        Map<Roller.Outcome, AtomicInteger> counts = new EnumMap<>(Roller.Outcome.class);
        for (Roller.Outcome o : Roller.Outcome.values()) {
            counts.put(o, new AtomicInteger());
        }
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger told = new AtomicInteger();
        AtomicInteger failuresInARow = new AtomicInteger();
        AtomicReference<String> stoppedBy = new AtomicReference<>();
        AtomicReference<String> current = new AtomicReference<>("");
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, due.size())), r -> {
            Thread t = new Thread(r, "pglogs-rollup");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Span s : due) {
                pool.execute(() -> {
                    if (stoppedBy.get() != null) {
                        return; // left: counted below
                    }
                    String at = s.instance() + " at " + ItemContract.isoMillis(ItemContract.spanStart(s.span()));
                    current.set(at);
                    Roller.Rolled r;
                    try {
                        r = roller.roll(s, Deadline.after(PER_SPAN));
                    } catch (RuntimeException | Error e) {
                        // Derived data: the write it follows is whole; an OutOfMemoryError here loses one span only.
                        r = new Roller.Rolled(Roller.Outcome.FAILED, e.toString());
                    }
                    counts.get(r.outcome()).incrementAndGet();
                    finished.incrementAndGet();
                    boolean failure = r.outcome() == Roller.Outcome.FAILED
                            || r.outcome() == Roller.Outcome.OUT_OF_TIME;
                    if (!failure) {
                        failuresInARow.set(0);
                    } else if (failuresInARow.incrementAndGet() >= MAX_CONSECUTIVE_FAILURES) {
                        stoppedBy.compareAndSet(null, why(r));
                    }
                    if (!r.outcome().rolled() && r.outcome() != Roller.Outcome.NOTHING
                            && told.incrementAndGet() <= MAX_REASONS) {
                        reasons.accept("pglogs: rollup of " + at + " not made: " + why(r));
                    }
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                progress.count("rolling up", finished.get(), due.size(), "spans", current.get());
            }
        } finally {
            pool.shutdownNow();
        }
        int done = counts.get(Roller.Outcome.ROLLED).get() + counts.get(Roller.Outcome.VALID).get();
        int nothing = counts.get(Roller.Outcome.NOTHING).get();
        int left = due.size() - finished.get();
        return new Outcome(done, nothing, notDue, finished.get() - done - nothing, left, stoppedBy.get());
    }

    /** Why a span was not rolled, in the CLI's words. */
    static String why(Roller.Rolled r) {
        return switch (r.outcome()) {
            case BUMPED -> "another writer stored into the span meanwhile";
            case OUT_OF_TIME -> "out of time (" + PER_SPAN.toMinutes() + " minutes a span; the table may be "
                    + "throttling)";
            case FAILED -> "DynamoDB: " + r.cause();
            case UNUSABLE -> "its summaries or entries cannot be counted by this pglogs"
                    + (r.cause() == null ? "" : " (" + r.cause() + ")");
            case TOO_LARGE -> "its rollup would exceed DynamoDB's item size";
            case TOO_MANY -> "more than " + Roller.MAX_SPAN_ENTRIES + " entries";
            default -> r.outcome().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
