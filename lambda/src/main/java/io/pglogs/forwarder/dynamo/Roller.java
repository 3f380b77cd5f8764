package io.pglogs.forwarder.dynamo;

import io.pglogs.report.ReportBuilder;
import io.pglogs.report.SummaryCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Rolls an instance's closed ten-minute spans up (issue 26 part 2, docs/schema.md "Rollup items"): what a report
 * counts of a span in one item, so a report of a day reads 144 rollups per instance instead of a summary per payload
 * or every entry. Its {@link Source} is fixed at construction: a forwarder that writes summaries merges the span's
 * summaries; one that writes none (summaries off, issue 26 part 3) reads the span's stored entries once and counts
 * them ({@link SpanEntries}): reads cost a fifth of writes, and a span is read once. From entries it also makes
 * {@link Slices slices} (issue 26 part 4): rollups of parts of a span of at least
 * {@link ItemContract#SLICE_MIN_ENTRIES} entries, on {@link ItemContract#SLICE_UNIT_MILLIS two-minute} boundaries,
 * also of the span still open, each read once; the span's rollup is then the merge of its slices.
 *
 * <p>Per span: an (eventually consistent) GetItem of the rollup (valid: done; else its {@code gen} is remembered),
 * a consistent Query of the span's summaries (or entries) in every shard, then a PutItem conditional on that
 * {@code gen}. Writers
 * bump {@code gen} ({@link RollupBumper}) once a payload's entries and summaries are stored, when the rollup may be
 * made without them, so what they wrote is either seen by the Query or its bump fails the put or marks the put rollup
 * stale: a valid rollup never lacks an entry. Failures are logged and never fail the invocation: readers fall back to
 * the summaries (or entries).
 */
public final class Roller {
    /** Spans whose end is at most this long ago are candidates: older ones were rolled by earlier invocations. */
    static final Duration LOOK_BACK = Duration.ofHours(2);
    /** At most this many passes (spans examined) per invocation: the entries' latency comes first. */
    static final int MAX_SPANS = 3;
    /** A span is not started with less time than this left. */
    private static final long MIN_MILLIS = 500;
    /**
     * The most one call may take: a consistent 1 MB page of a span's entries (about 400 KB a shard in the entries
     * format). 2 s was too little against moto, which scans the partition on every Query: no rollup was ever made
     * there (bench/report-scale, issue 26 part 3). Every call is bounded by the invocation's deadline as well.
     */
    private static final long MAX_CALL_MS = 10_000;
    /** The most one invocation spends rolling up (and never past its deadline). */
    static final long BUDGET_MS = 10_000;
    /** Tries of one span in this container (out of time, a bump in between, an error) before it is left alone. */
    static final int MAX_TRIES = 3;
    /** Remembered spans before the set is cleared (as {@link CatalogWriter}'s). */
    private static final int MAX_REMEMBERED = 20_000;
    /** The largest merged summary stored: items are limited to 400 KB (the same bound as a summary's). */
    static final int MAX_ROLLUP_BYTES = 350_000;
    /**
     * Rolling from entries, a span holding more entries than this is given up (logged; readers read its entries):
     * the roller holds a span's entries in memory to sort and de-duplicate them, about 1.2 KB each (measured on the
     * bench corpus), so about 120 MB at the cap in a function of 512 MB. 100,000 entries in ten minutes is an instance
     * logging 167 lines a second.
     */
    public static final int MAX_SPAN_ENTRIES = 100_000;
    /**
     * A span bumped less than this long ago is left alone (review V4 of part 4, H1): under a delivery backlog every
     * payload is late and bumps its span, and re-reading the span after each would multiply the reads by the payload
     * count; waiting a unit after the last bump re-reads it once the backlog is over. Safe: rolling later is always
     * safe, and the bump already made the old rollup and slices unusable.
     */
    public static final long QUIET_MILLIS = ItemContract.SLICE_UNIT_MILLIS;
    /**
     * The open span is sliced as its units become due (partial passes) only for an instance whose previous span's
     * rollup counted this many entries or more (review V4, H2): a quieter instance would have units below
     * {@link ItemContract#SLICE_MIN_ENTRIES}, which no pass writes, so every container would read them again each
     * unit for nothing. Its spans are sliced by the close pass, 3 minutes after their end.
     */
    static final int BUSY_SPAN_ENTRIES = 5 * ItemContract.SLICE_MIN_ENTRIES;

    /** What a rollup is made of ({@link ItemContract#ROLLED_FROM}). */
    public enum Source {
        /** The span's summary items: the forwarder writes them (part 2). */
        SUMMARIES("its summaries"),
        /** The span's stored entries: the forwarder writes no summaries (part 3). */
        ENTRIES("its entries");

        /** What readers use when a span has no rollup, for the log. */
        private final String fallback;

        Source(String fallback) {
            this.fallback = fallback;
        }

        /** The source for a forwarder that writes summaries ({@code true}) or none. */
        public static Source forSummaries(boolean summaries) {
            return summaries ? SUMMARIES : ENTRIES;
        }
    }

    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final Clock clock;
    private final Consumer<String> log;
    private final Source source;
    private final SpanEntries spanEntries;
    /** {@code instance NUL span}: spans this container found rolled, or with nothing (or nothing usable) to roll. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /**
     * {@code instance NUL span}: the span not closed yet, and up to which unit end (epoch millis) this container
     * looked for slices to make (issue 26 part 4): it reads again once a later unit is due, or after it bumped the
     * span. A bump by another container is not seen here; that container forgets its own, and the close pass reads
     * the span's gen and slices anew, so what is missed here only costs a later read.
     */
    private final Map<String, Long> looked = new ConcurrentHashMap<>();
    /** {@code instance NUL span}: not to be tried before this (epoch millis): bumped a moment ago. */
    private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
    /** {@code instance NUL span} of an open span: whether its instance logs enough for partial passes. */
    private final Map<String, Boolean> busy = new ConcurrentHashMap<>();
    /**
     * Instance: the latest span in which this container found it busy itself (a pass that read more than the cap, a
     * rollup or slice too large, or a rollup counting {@link #BUSY_SPAN_ENTRIES}): such a span may have no rollup for
     * the gate to read (review V5, F1: an instance over the cap would otherwise never be sliced again).
     */
    private final Map<String, Long> busySeen = new ConcurrentHashMap<>();
    /** {@code instance NUL span}: tries of spans not done yet ({@link #givenUp}). */
    private final Map<String, Integer> tries = new ConcurrentHashMap<>();
    /** Called between the GetItem and the PutItem of a span: tests bump there to prove the put then fails. */
    private volatile java.util.function.LongConsumer beforePut = span -> { };
    /** {@link #MAX_SPAN_ENTRIES}; tests lower it rather than store 100,000 entries. */
    private volatile int maxSpanEntries = MAX_SPAN_ENTRIES;
    /** {@link #BUSY_SPAN_ENTRIES}; tests lower it (0: every instance is busy) rather than log 2,500 entries a span. */
    private volatile int busySpanEntries = BUSY_SPAN_ENTRIES;

    /** A roller of summaries (part 2's): for a forwarder that writes them. */
    public Roller(DynamoDbClient ddb, String table, int shards, Clock clock, Consumer<String> log) {
        this(ddb, table, shards, clock, log, Source.SUMMARIES);
    }

    /** @param source what its rollups are made of: {@link Source#forSummaries} of the forwarder it rolls for */
    public Roller(DynamoDbClient ddb, String table, int shards, Clock clock, Consumer<String> log, Source source) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.clock = clock;
        this.log = log;
        this.source = source;
        this.spanEntries = new SpanEntries(ddb, table, shards, MIN_MILLIS, MAX_CALL_MS);
    }

    public Source source() {
        return source;
    }

    /** Rolls up what is due at the roller's clock; see {@link #rollUp(String, Instant, Deadline)}. */
    public int rollUp(String instance, Deadline deadline) {
        return rollUp(instance, clock.instant(), deadline);
    }

    /**
     * Rolls up the closed spans of {@code instance} that are due at {@code now} (ended between {@link #LOOK_BACK} and
     * {@link ItemContract#ROLL_AFTER_MILLIS} ago) and not known done here, newest first, at most {@link #MAX_SPANS},
     * within the deadline. From entries, the span not closed yet comes first: its units that ended
     * {@link ItemContract#ROLL_AFTER_MILLIS} ago or more are sliced (a partial pass, docs/schema.md "Slice items"),
     * once per new unit due in this container. Returns the rollups written. Never throws for DynamoDB's errors: they
     * are logged.
     */
    public int rollUp(String instance, Instant now, Deadline invocation) {
        // A budget of its own: rolling comes after the payload is stored, and one instance's busy span must not keep
        // every invocation of it (and so the function's concurrency) busy reading.
        Deadline deadline = Deadline.after(Duration.ofMillis(Math.max(0, Math.min(BUDGET_MS,
                invocation.remainingMillis()))));
        int examined = 0;
        int rolled = 0;
        if (source == Source.ENTRIES) {
            Instant ready = readyEnd(now);
            long open = Math.floorDiv(ready.toEpochMilli(), ItemContract.COMPACT_SPAN_MILLIS);
            String key = instance + '\u0000' + open;
            Long seen = looked.get(key);
            // Ready on a span boundary: that span is closed and due, a close pass below.
            if (ready.isAfter(ItemContract.spanStart(open)) && (seen == null || seen < ready.toEpochMilli())
                    && !waiting(key, now) && deadline.remainingMillis() >= MIN_MILLIS) {
                // A quiet instance is looked at again at the next unit only: its busyness is one GetItem a unit.
                boolean lookedAt = !busy(instance, open, key, deadline);
                if (!lookedAt) {
                    examined++;
                    lookedAt = settled(instance, open, key + "\u0000partial",
                            () -> pass(instance, open, ready, false, now, deadline)) != null;
                }
                if (lookedAt) {
                    remember(looked, key, ready.toEpochMilli());
                }
            }
        }
        long[] due = dueSpans(now);
        // Newest first: the span closed last is the one no other container has rolled yet.
        for (long span = due[1]; span >= due[0] && examined < MAX_SPANS; span--) {
            String key = instance + '\u0000' + span;
            if (done.contains(key) || waiting(key, now)) {
                continue;
            }
            if (deadline.remainingMillis() < MIN_MILLIS) {
                break;
            }
            examined++;
            long s = span;
            Result r = settled(instance, span, key, () -> roll(instance, s, now, deadline));
            if (r != null) {
                remember(key);
            }
            rolled += r == Result.ROLLED ? 1 : 0;
        }
        return rolled;
    }

    /**
     * Runs one pass over {@code span}; returns what it came to when this container is done with it (for now), null
     * when a later invocation should try again ({@code triesKey} counts the tries, {@link #givenUp}).
     */
    private Result settled(String instance, long span, String triesKey, java.util.function.Supplier<Result> pass) {
        try {
            Result r = pass.get();
            if (r == Result.WAIT) {
                return null; // not a try: bumped a moment ago, tried once the span is quiet
            }
            return r != Result.RETRY || triesKey == null || givenUp(triesKey, instance, span) ? r : null;
        } catch (IllegalArgumentException e) {
            // A summary this version cannot decode (a newer forwarder wrote it: the newer version rolls it), or
            // a compact item that cannot be unpacked (readers name it too).
            log.accept("pglogs-forwarder: rollup of " + instance + " at "
                    + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written (" + e.getMessage()
                    + "); readers use " + source.fallback);
            return Result.UNUSABLE;
        } catch (SdkException e) {
            log.accept("pglogs-forwarder: rollup of " + instance + " at "
                    + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written ("
                    + BatchWriter.describe(e) + "); readers use " + source.fallback
                    + ", a later invocation tries again");
            return triesKey == null || givenUp(triesKey, instance, span) ? Result.RETRY : null;
        }
    }

    /** The latest unit boundary at least {@link ItemContract#ROLL_AFTER_MILLIS} before {@code now}. */
    static Instant readyEnd(Instant now) {
        long unit = ItemContract.SLICE_UNIT_MILLIS;
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli() - ItemContract.ROLL_AFTER_MILLIS, unit) * unit);
    }

    /**
     * The first and last span numbers ({@link ItemContract#compactSpan}) due at {@code now}: those whose end is
     * between {@link #LOOK_BACK} and {@link ItemContract#ROLL_AFTER_MILLIS} before it, both included.
     */
    static long[] dueSpans(Instant now) {
        long millis = now.toEpochMilli();
        long span = ItemContract.COMPACT_SPAN_MILLIS;
        // A span s ends at (s + 1) * span: due when millis - LOOK_BACK <= (s + 1) * span <= millis - ROLL_AFTER.
        // A span bumped just before LOOK_BACK is up is left alone QUIET_MILLIS (on a clock up to the skew behind): it
        // stays a candidate that much longer, so its re-roll is not lost (review V5, F2).
        long back = LOOK_BACK.toMillis() + QUIET_MILLIS + RollupBumper.CLOCK_SKEW_MILLIS;
        long first = Math.floorDiv(millis - back + span - 1, span) - 1;
        long last = Math.floorDiv(millis - ItemContract.ROLL_AFTER_MILLIS, span) - 1;
        return new long[] {first, last};
    }

    /**
     * This container bumped these spans' rollups (a late summary it wrote): they are not done any more, whatever it
     * found before, so its next invocations roll them again.
     */
    public void bumped(String instance, Collection<Long> spans) {
        long until = clock.millis() + QUIET_MILLIS;
        for (long span : spans) {
            String key = instance + '\u0000' + span;
            done.remove(key);
            looked.remove(key);
            remember(notBefore, key, until);
        }
    }

    /** Whether the span {@code key} was bumped too recently to be rolled at {@code now}. */
    private boolean waiting(String key, Instant now) {
        Long until = notBefore.get(key);
        if (until == null) {
            return false;
        }
        if (until > now.toEpochMilli()) {
            return true;
        }
        notBefore.remove(key);
        return false;
    }

    /**
     * Whether the span bumped at the item's {@code bumped_at} is to be left alone at {@code now}; if so, remembered
     * under {@code key} until it is quiet.
     */
    private boolean recentlyBumped(Map<String, AttributeValue> item, String key, Instant now) {
        AttributeValue at = item == null ? null : item.get(ItemContract.BUMPED_AT);
        if (at == null || at.n() == null) {
            return false;
        }
        long bumpedAt = Long.parseLong(at.n());
        long until = bumpedAt + QUIET_MILLIS;
        // A bump stamped further ahead than the clocks may differ is not waited for: its writer's clock is wrong, and
        // waiting only saves reads (rolling is safe at any time).
        if (until <= now.toEpochMilli() || bumpedAt > now.toEpochMilli() + RollupBumper.CLOCK_SKEW_MILLIS) {
            return false;
        }
        remember(notBefore, key, until);
        return true;
    }

    /**
     * Whether {@code instance} logs enough for partial passes over its open span ({@link #BUSY_SPAN_ENTRIES}), from
     * its previous span's rollup (eventually consistent, once per span in this container; a stale rollup's count
     * serves too). No rollup there yet: not now, asked again at the next unit.
     */
    private boolean busy(String instance, long open, String key, Deadline deadline) {
        if (busySpanEntries <= 0) {
            return true;
        }
        Long seen = busySeen.get(instance);
        if (seen != null && seen >= open - 2) {
            return true;
        }
        Boolean known = busy.get(key);
        if (known != null) {
            return known;
        }
        Map<String, AttributeValue> previous;
        try {
            previous = existing(ItemContract.rollupKey(instance, open - 1), deadline);
        } catch (SdkException e) {
            return false;
        }
        AttributeValue entries = previous == null ? null : previous.get(ItemContract.ENTRIES);
        if (entries == null || entries.n() == null) {
            return false;
        }
        boolean answer = Long.parseLong(entries.n()) >= busySpanEntries;
        remember(busy, key, answer);
        return answer;
    }

    private static <V> void remember(Map<String, V> map, String key, V value) {
        if (map.size() >= MAX_REMEMBERED) {
            map.clear();
        }
        map.put(key, value);
    }

    /**
     * Counts a try of a span that is not done; true once it had {@link #MAX_TRIES} here: then this container leaves it
     * to readers (its summaries or entries) and to other containers, rather than spend every invocation on it.
     */
    private boolean givenUp(String key, String instance, long span) {
        if (tries.size() >= MAX_REMEMBERED) {
            tries.clear();
        }
        if (tries.merge(key, 1, Integer::sum) < MAX_TRIES) {
            return false;
        }
        tries.remove(key);
        log.accept("pglogs-forwarder: rollup of " + instance + " at "
                + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not made in " + MAX_TRIES
                + " tries; this container leaves it, readers use " + source.fallback);
        return true;
    }

    private void remember(String key) {
        if (done.size() >= MAX_REMEMBERED) {
            done.clear();
        }
        done.add(key);
    }

    /** What rolling one span came to; only {@code RETRY} leaves it for a later invocation of this container. */
    enum Result { ROLLED, SLICED, VALID, NOTHING, CONFLICT, UNUSABLE, TOO_LARGE, TOO_MANY, RETRY, WAIT }

    /** A rollup item to put, or why there is none. */
    private record Made(Map<String, AttributeValue> item, Result result) {
        static Made not(Result why) {
            return new Made(null, why);
        }
    }

    /**
     * Whether a writer that bumped the span {@code span} itself, off the live path, may roll it at {@code now} with
     * {@link #rollNow}: the span ended {@link ItemContract#ROLL_AFTER_MILLIS} plus {@link RollupBumper#CLOCK_SKEW_MILLIS}
     * ago or more. Then every live writer of the span, whose clock is at most that skew behind, finds its units may be
     * rolled ({@link RollupBumper#mayBeRolled}) and bumps what it writes there after our Query; a span closer to now
     * may still receive entries a live writer does not bump, so it is left to the forwarder's roller.
     */
    public static boolean dueForWriter(long span, Instant now) {
        long end = ItemContract.spanStart(span + 1).toEpochMilli();
        return end + WRITER_ROLL_AFTER_MILLIS <= now.toEpochMilli();
    }

    /** How long after a span's end a writer off the live path may roll it ({@link #dueForWriter}): 4 minutes. */
    public static final long WRITER_ROLL_AFTER_MILLIS = ItemContract.ROLL_AFTER_MILLIS
            + RollupBumper.CLOCK_SKEW_MILLIS;

    /** What {@link #rollNow} came to for one span. */
    public enum Outcome {
        /** A rollup was written. */
        ROLLED,
        /** A valid rollup was there already (a re-run, or the forwarder's roller got there first). */
        VALID,
        /** The span holds nothing to roll up (no summary, or every entry expired). */
        NOTHING,
        /** Not due at {@code now} ({@link #dueForWriter}): too recent for a writer off the live path. */
        NOT_DUE,
        /** Another writer bumped the span between the read and the put: what it wrote is not in our rollup. */
        BUMPED,
        /** The span's deadline came before its reads were done. */
        OUT_OF_TIME,
        /** A DynamoDB error (throttling after the SDK's retries, a call timing out, access denied): its cause. */
        FAILED,
        /** Summaries or entries this version cannot count (cause given when there is one). */
        UNUSABLE,
        /** The rollup (or a slice) would exceed {@link #MAX_ROLLUP_BYTES}. */
        TOO_LARGE,
        /** From entries: more than {@link #MAX_SPAN_ENTRIES} in the span. */
        TOO_MANY;

        /** Whether the span has a valid rollup now. */
        public boolean rolled() {
            return this == ROLLED || this == VALID;
        }
    }

    /** {@link #rollNow}'s answer: the outcome and, for {@link Outcome#FAILED} or {@link Outcome#UNUSABLE}, why. */
    public record Rolled(Outcome outcome, String cause) {
    }

    /**
     * One close pass over {@code span} of {@code instance} by a writer off the live path (import, backfill, redrive)
     * that has just stored its entries and bumped the span itself: as {@link #rollUp} rolls a due span, but whatever
     * its age (older than {@link #LOOK_BACK} too) and <em>without</em> the quiet period after a bump
     * ({@link #QUIET_MILLIS}), which only saves a live roller re-reads under a delivery backlog: the caller knows the
     * last bump was its own, made after its store, so its consistent Queries see everything that bump stands for. Its
     * GetItem of the rollup is consistent: made right after the caller's own bump, an eventually consistent one could
     * return the rollup that bump made stale and count it done (review P6, F7).
     *
     * <p>Every other rule holds: only a span {@link #dueForWriter due} at {@code now}; a valid rollup is left; the puts
     * (slices and rollup) are conditional on the {@code gen} read, so a bump by another writer in between fails them.
     * Summaries of one stream that overlap (a backfill over hours the forwarder delivered batches the same events
     * differently: {@link Result#CONFLICT}), or that this version cannot use, are not merged: the span is rolled from
     * its entries instead (a close pass, as the entries roller makes, {@code rolled_from = entries}), which counts each
     * stored entry once by its key and is usable on any day (review P6, F3).
     *
     * <p>Logs nothing of its own: the outcome says why a span was not rolled, for the caller to tell in its own words
     * (the lines the passes log are the Lambda's). Never throws for DynamoDB's errors or entries it cannot count.
     * Safe to call from several threads at once (one span each).
     */
    public Rolled rollNow(String instance, long span, Instant now, Deadline deadline) {
        if (!dueForWriter(span, now)) {
            return new Rolled(Outcome.NOT_DUE, null);
        }
        try {
            Result r = roll(instance, span, now, deadline, false);
            if (source == Source.SUMMARIES && (r == Result.CONFLICT || r == Result.UNUSABLE)) {
                r = pass(instance, span, ItemContract.spanStart(span + 1), true, now, deadline, false);
            }
            return new Rolled(switch (r) {
                case ROLLED -> Outcome.ROLLED;
                case VALID -> Outcome.VALID;
                case NOTHING, SLICED -> Outcome.NOTHING;
                // RETRY: a Query stopped for the deadline, or a conditional put failed (a bump in between).
                case RETRY, WAIT -> deadline.remainingMillis() < MIN_MILLIS ? Outcome.OUT_OF_TIME : Outcome.BUMPED;
                case UNUSABLE, CONFLICT -> Outcome.UNUSABLE;
                case TOO_LARGE -> Outcome.TOO_LARGE;
                case TOO_MANY -> Outcome.TOO_MANY;
            }, null);
        } catch (IllegalArgumentException e) {
            return new Rolled(Outcome.UNUSABLE, e.getMessage());
        } catch (SdkException e) {
            return new Rolled(Outcome.FAILED, BatchWriter.describe(e));
        }
    }

    /** One span: see the class comment for why this order is safe. From entries, a close pass ({@link #pass}). */
    Result roll(String instance, long span, Instant now, Deadline deadline) {
        return roll(instance, span, now, deadline, true);
    }

    /** @param quiet whether a span bumped less than {@link #QUIET_MILLIS} ago is left alone ({@link Result#WAIT}) */
    private Result roll(String instance, long span, Instant now, Deadline deadline, boolean quiet) {
        if (source == Source.ENTRIES) {
            return pass(instance, span, ItemContract.spanStart(span + 1), true, now, deadline, quiet);
        }
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, span);
        Map<String, AttributeValue> existing = existing(key, deadline, !quiet);
        if (valid(existing)) {
            return Result.VALID;
        }
        if (quiet && recentlyBumped(existing, instance + '\u0000' + span, now)) {
            return Result.WAIT;
        }
        AttributeValue gen = existing == null ? null : existing.get(ItemContract.GEN);
        Made made = fromSummaries(instance, span, key, gen, deadline);
        if (made.item() == null) {
            return made.result();
        }
        beforePut.accept(span);
        return put(made.item(), existing, gen, deadline);
    }

    /**
     * The span's rollup item, eventually consistent (half the read units): a stale answer only makes the conditional
     * put fail (it holds the gen it read), or leaves a stale rollup (or slices of an old gen) for a later try; the
     * Queries that follow must be consistent. Null when there is none.
     */
    private Map<String, AttributeValue> existing(Map<String, AttributeValue> key, Deadline deadline) {
        return existing(key, deadline, false);
    }

    /** @param consistent for {@link #rollNow} (no quiet period): its writer bumped the span a moment ago */
    private Map<String, AttributeValue> existing(Map<String, AttributeValue> key, Deadline deadline,
                                                 boolean consistent) {
        GetItemResponse got = ddb.getItem(b -> b.tableName(table).key(key).consistentRead(consistent)
                .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline))));
        return got.hasItem() && !got.item().isEmpty() ? got.item() : null;
    }

    private static boolean valid(Map<String, AttributeValue> rollup) {
        return rollup != null && rollup.containsKey(ItemContract.SUMMARY) && !isTrue(rollup.get(ItemContract.STALE));
    }

    /** Puts a rollup on condition that the item's gen is still the one read ({@code existing}'s). */
    private Result put(Map<String, AttributeValue> rollup, Map<String, AttributeValue> existing, AttributeValue gen,
                       Deadline deadline) {
        String condition = existing == null ? "attribute_not_exists(" + ItemContract.PK + ")"
                : gen == null ? "attribute_not_exists(" + ItemContract.GEN + ")" : ItemContract.GEN + " = :gen";
        try {
            ddb.putItem(b -> {
                b.tableName(table).item(rollup).conditionExpression(condition)
                        .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline)));
                if (existing != null && gen != null) {
                    b.expressionAttributeValues(Map.of(":gen", gen));
                }
            });
            return Result.ROLLED;
        } catch (ConditionalCheckFailedException e) {
            // Entries (and summaries) came in since the GetItem (their writer bumped gen): a later invocation rolls
            // the span again.
            return Result.RETRY;
        }
    }

    /**
     * One pass over a span from its entries (issue 26 part 4, docs/schema.md "Slice items"): slices of the units of
     * [end of the span's valid chain, {@code readyEnd}), and, in a close pass ({@code readyEnd} the span's end), the
     * span's rollup (the merge of its slices, or of its entries counted directly when it has none). Nothing stored, or
     * nothing to slice: {@link Result#NOTHING}. Over {@link #MAX_SPAN_ENTRIES} read, or entries the report's code fails
     * on: nothing written, said in the log; readers read the entries, as they would without rollups.
     */
    Result pass(String instance, long span, Instant readyEnd, boolean close, Instant now, Deadline deadline) {
        return pass(instance, span, readyEnd, close, now, deadline, true);
    }

    private Result pass(String instance, long span, Instant readyEnd, boolean close, Instant now, Deadline deadline,
                        boolean quiet) {
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, span);
        String at = key.get(ItemContract.SK).s();
        Map<String, AttributeValue> existing = existing(key, deadline, !quiet);
        if (valid(existing)) {
            return Result.VALID;
        }
        if (quiet && recentlyBumped(existing, instance + '\u0000' + span, now)) {
            return Result.WAIT;
        }
        AttributeValue gen = existing == null ? null : existing.get(ItemContract.GEN);
        long g = gen == null || gen.n() == null ? 0 : Long.parseLong(gen.n());
        Instant start = ItemContract.spanStart(span);
        String end = ItemContract.isoMillis(ItemContract.spanStart(span + 1));
        List<Map<String, AttributeValue>> stored = slices(instance, at, end, deadline);
        if (stored == null) {
            return Result.RETRY;
        }
        List<Map<String, AttributeValue>> chain = Slices.chain(stored, g, at, end);
        Instant chainEnd = chain.isEmpty() ? start : Instant.parse(chain.get(chain.size() - 1)
                .get(ItemContract.UNTIL).s());
        String from = chain.isEmpty() ? at : chain.get(chain.size() - 1).get(ItemContract.NEXT_FLOOR).s();
        if (!readyEnd.isAfter(chainEnd) && !close) {
            return Result.NOTHING;
        }
        // A close pass over a span its chain covers whole merges the chain: nothing to read.
        SpanEntries.Read read = readyEnd.isAfter(chainEnd)
                ? spanEntries.read(instance, from, chainEnd, readyEnd, now, maxSpanEntries, deadline)
                : new SpanEntries.Read(new java.util.TreeMap<>(), false);
        if (read == null) {
            return Result.RETRY;
        }
        if (read.tooMany()) {
            remember(busySeen, instance, span);
            log.accept("pglogs-forwarder: the span of " + instance + " at " + at + " holds more than "
                    + maxSpanEntries + " entries" + (chain.isEmpty() ? "" : " after its slices")
                    + "; no rollup, readers read its entries");
            return Result.TOO_MANY;
        }
        if (close && chain.isEmpty() && read.rows().isEmpty()) {
            return Result.NOTHING;
        }
        List<Map<String, AttributeValue>> made = new ArrayList<>();
        Map<String, AttributeValue> rollup = null;
        try {
            for (Slices.Group group : Slices.groups(read.rows(), chainEnd, readyEnd, close, !chain.isEmpty())) {
                Map<String, AttributeValue> slice = Slices.sliceOf(instance, group.start(), group.until(),
                        Slices.between(read.rows(), group.start(), group.until()),
                        group.start().equals(chainEnd) ? from : Slices.floorAt(read.items(), group.start()),
                        Slices.floorAt(read.items(), group.until()), g);
                if (slice == null) {
                    remember(busySeen, instance, span);
                    log.accept("pglogs-forwarder: a slice of " + instance + " at " + at + " would exceed "
                            + MAX_ROLLUP_BYTES + " bytes; readers read its entries");
                    return Result.TOO_LARGE;
                }
                made.add(slice);
            }
            if (close) {
                List<Map<String, AttributeValue>> all = new ArrayList<>(chain);
                all.addAll(made);
                rollup = all.isEmpty() ? rollupOfEntries(instance, key, read.rows().values(), gen)
                        : Slices.rollupOf(instance, key, all, gen);
                if (rollup == null) {
                    remember(busySeen, instance, span);
                    log.accept("pglogs-forwarder: rollup of " + instance + " at " + at + " would exceed "
                            + MAX_ROLLUP_BYTES + " bytes; readers read its entries");
                    return Result.TOO_LARGE;
                }
                if (busySpanEntries > 0 && Long.parseLong(rollup.get(ItemContract.ENTRIES).n()) >= busySpanEntries) {
                    remember(busySeen, instance, span);
                }
            }
        } catch (RuntimeException e) {
            // Derived data: an entry the report's code cannot count must not fail the payload that triggered us.
            log.accept("pglogs-forwarder: ERROR counting the " + read.rows().size() + " entries of " + instance
                    + " at " + at + " for a rollup failed (" + e + "); no rollup, readers read its entries");
            return Result.UNUSABLE;
        }
        beforePut.accept(span);
        for (Map<String, AttributeValue> slice : made) {
            if (!putSlice(slice, g, deadline)) {
                return Result.RETRY;
            }
        }
        if (!close) {
            return made.isEmpty() ? Result.NOTHING : Result.SLICED;
        }
        return put(rollup, existing, gen, deadline);
    }

    /**
     * Puts a slice unless one of its gen (or a newer) starts there: another roller got there first, or a bump came
     * in between. Slices of one gen so never overlap: each starts where an existing one of that gen ends (or at the
     * span's start), and only one of a gen starts at any point.
     */
    private boolean putSlice(Map<String, AttributeValue> slice, long gen, Deadline deadline) {
        try {
            ddb.putItem(b -> b.tableName(table).item(slice)
                    .conditionExpression("attribute_not_exists(#pk) OR #gen < :g")
                    .expressionAttributeNames(Map.of("#pk", ItemContract.PK, "#gen", ItemContract.GEN))
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromN(Long.toString(gen))))
                    .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The span's slice items (any gen), consistent; null when the deadline came first. */
    private List<Map<String, AttributeValue>> slices(String instance, String spanStart, String spanEnd,
                                                     Deadline deadline) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        SpanQuery.End end = SpanQuery.pages(ddb, table, ItemContract.slicePartitionKey(instance,
                spanStart.substring(0, 10)), spanStart, spanEnd, deadline, MIN_MILLIS, MAX_CALL_MS, items -> {
                    out.addAll(items);
                    return true;
                });
        return end == SpanQuery.End.OUT_OF_TIME ? null : out;
    }

    private Made fromSummaries(String instance, long span, Map<String, AttributeValue> key, AttributeValue gen,
                               Deadline deadline) {
        List<Map<String, AttributeValue>> summaries = summaries(instance, span, deadline);
        if (summaries == null) {
            return Made.not(Result.RETRY);
        }
        if (summaries.isEmpty()) {
            return Made.not(Result.NOTHING);
        }
        if (summaries.stream().anyMatch(x -> SummaryItem.of(x).data() == null)) {
            return Made.not(Result.UNUSABLE); // not written by this forwarder: readers read what it stands for
        }
        if (SummaryRanges.conflicting(summaries)) {
            log.accept("pglogs-forwarder: summaries of " + instance + " at " + key.get(ItemContract.SK).s()
                    + " hold the same events twice (a backfill over delivered entries?); no rollup, readers sort them");
            return Made.not(Result.CONFLICT);
        }
        Map<String, AttributeValue> rollup = rollup(instance, key, summaries, gen);
        if (rollup == null) {
            log.accept("pglogs-forwarder: rollup of " + instance + " at " + key.get(ItemContract.SK).s()
                    + " would exceed " + MAX_ROLLUP_BYTES + " bytes; readers use its summaries");
            return Made.not(Result.TOO_LARGE);
        }
        return new Made(rollup, Result.ROLLED);
    }

    private static boolean isTrue(AttributeValue v) {
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    private static Duration budget(Deadline deadline) {
        return Duration.ofMillis(Math.max(1, Math.min(MAX_CALL_MS, deadline.remainingMillis())));
    }

    /** The span's summaries in every shard, in time order; null when the deadline came first. */
    private List<Map<String, AttributeValue>> summaries(String instance, long span, Deadline deadline) {
        Instant start = ItemContract.spanStart(span);
        // Every summary key is "<isoMillis>#<event id>": between the two bare times is exactly [start, end).
        String from = ItemContract.isoMillis(start);
        String until = ItemContract.isoMillis(ItemContract.spanStart(span + 1));
        String day = from.substring(0, 10);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            String pk = ItemContract.summaryPartitionKey(instance, java.time.LocalDate.parse(day), shard);
            SpanQuery.End end = SpanQuery.pages(ddb, table, pk, from, until, deadline, MIN_MILLIS, MAX_CALL_MS,
                    items -> {
                        out.addAll(items);
                        return true;
                    });
            if (end == SpanQuery.End.OUT_OF_TIME) {
                return null;
            }
        }
        out.sort(SummaryRanges.FIRST);
        return out;
    }

    /**
     * The rollup of {@code summaries} (time order), or null when its summary would be too large to store. Public for
     * tests and benchmarks that size rollups without a table.
     */
    public static Map<String, AttributeValue> rollup(String instance, Map<String, AttributeValue> key,
                                                     List<Map<String, AttributeValue>> summaries,
                                                     AttributeValue gen) {
        ReportBuilder merged = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        long entries = 0;
        long expiresAt = 0;
        long minExpiresAt = Long.MAX_VALUE;
        String ts = null;
        String lastTs = null;
        for (Map<String, AttributeValue> item : summaries) {
            SummaryItem s = SummaryItem.of(item);
            SummaryCodec.decodeInto(s.data(), merged);
            entries += s.entries();
            String first = s.ts();
            String last = s.lastTs();
            ts = ts == null || first.compareTo(ts) < 0 ? first : ts;
            lastTs = lastTs == null || last.compareTo(lastTs) > 0 ? last : lastTs;
            if (s.expiresAt() > 0) {
                long e = s.expiresAt();
                expiresAt = Math.max(expiresAt, e);
                // expires_at is its last entry's; each entry expires its own time plus one TTL after.
                minExpiresAt = Math.min(minExpiresAt, e - (seconds(last) - seconds(first)));
            }
        }
        byte[] data = SummaryCodec.encode(merged);
        if (data.length > MAX_ROLLUP_BYTES) {
            return null;
        }
        return item(key, instance, data, entries, summaries.size(), ItemContract.ROLLED_FROM_SUMMARIES, ts, lastTs,
                expiresAt, minExpiresAt, gen);
    }

    /**
     * The rollup of a span's stored entries ({@code rows} in sort key order, each once, none expired), or null when
     * its summary would be too large to store: counted by the report's own {@link ReportBuilder}, as a report from
     * entries counts them. Public for tests and benchmarks that size rollups without a table.
     */
    public static Map<String, AttributeValue> rollupOfEntries(String instance, Map<String, AttributeValue> key,
                                                              Collection<LogRow> rows, AttributeValue gen) {
        Counted c = Counted.of(rows);
        if (c == null) {
            return null;
        }
        return item(key, instance, c.data(), c.entries(), 0, ItemContract.ROLLED_FROM_ENTRIES, c.ts(), c.lastTs(),
                c.expiresAt(), c.minExpiresAt(), gen);
    }

    /**
     * What the report's own {@link ReportBuilder} counts of stored entries (in sort key order, each once), encoded, and
     * their first and last time and expiry: a span's rollup from entries and a slice hold the same.
     */
    record Counted(byte[] data, long entries, String ts, String lastTs, long expiresAt, long minExpiresAt) {
        /** Null when the encoded summary would exceed {@link #MAX_ROLLUP_BYTES}. */
        static Counted of(Collection<LogRow> rows) {
            ReportBuilder counted = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
            long expiresAt = 0;
            long minExpiresAt = Long.MAX_VALUE;
            String ts = null;
            String lastTs = null;
            for (LogRow row : rows) {
                counted.add(row);
                ts = ts == null || row.ts().compareTo(ts) < 0 ? row.ts() : ts;
                lastTs = lastTs == null || row.ts().compareTo(lastTs) > 0 ? row.ts() : lastTs;
                if (row.attributes().get(ItemContract.EXPIRES_AT) instanceof Number n) {
                    expiresAt = Math.max(expiresAt, n.longValue());
                    minExpiresAt = Math.min(minExpiresAt, n.longValue());
                }
            }
            byte[] data = SummaryCodec.encode(counted);
            return data.length > MAX_ROLLUP_BYTES ? null
                    : new Counted(data, rows.size(), ts, lastTs, expiresAt, minExpiresAt);
        }
    }

    /** A rollup item, whichever it was made from: valid ({@code stale = false}) at the {@code gen} its maker read. */
    static Map<String, AttributeValue> item(Map<String, AttributeValue> key, String instance, byte[] data,
                                            long entries, int summaries, String rolledFrom, String ts,
                                            String lastTs, long expiresAt, long minExpiresAt,
                                            AttributeValue gen) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put(ItemContract.INSTANCE, AttributeValue.fromS(instance));
        item.put(ItemContract.SUMMARY, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(data)));
        item.put(ItemContract.SUMMARY_VERSION, AttributeValue.fromN(Integer.toString(SummaryCodec.VERSION)));
        item.put(ItemContract.ENTRIES, AttributeValue.fromN(Long.toString(entries)));
        item.put(ItemContract.SUMMARIES, AttributeValue.fromN(Integer.toString(summaries)));
        item.put(ItemContract.ROLLED_FROM, AttributeValue.fromS(rolledFrom));
        item.put(ItemContract.TS, AttributeValue.fromS(ts));
        item.put(ItemContract.LAST_TS, AttributeValue.fromS(lastTs));
        if (expiresAt > 0) {
            item.put(ItemContract.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
            item.put(ItemContract.MIN_EXPIRES_AT, AttributeValue.fromN(Long.toString(minExpiresAt)));
        }
        item.put(ItemContract.GEN, gen == null ? AttributeValue.fromN("0") : gen);
        item.put(ItemContract.STALE, AttributeValue.fromBool(false));
        return item;
    }

    private static long seconds(String isoMillis) {
        return Instant.parse(isoMillis).getEpochSecond();
    }

    /** Tests: runs {@code hook} with the span after the roller read its rollup and summaries (or entries), before its put. */
    void beforePut(java.util.function.LongConsumer hook) {
        this.beforePut = hook == null ? span -> { } : hook;
    }

    /**
     * Partial passes for instances whose previous span counted at least {@code entries} ({@link #BUSY_SPAN_ENTRIES}
     * by default; 0: every instance). For tests, whose spans are smaller than a busy instance's.
     */
    public void busyFrom(int entries) {
        this.busySpanEntries = entries;
    }

    /** Tests: gives up on spans of more than {@code max} entries. */
    void maxSpanEntries(int max) {
        this.maxSpanEntries = max;
    }

    /** Forgets which spans were done (tests; a new container starts so). */
    void forget() {
        done.clear();
        looked.clear();
    }
}
