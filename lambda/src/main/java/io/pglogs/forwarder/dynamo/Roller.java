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
 * them ({@link SpanEntries}): reads cost a fifth of writes, and a span is read once.
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
    /** At most this many spans are examined per invocation: the entries' latency comes first. */
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
    /** {@code instance NUL span}: tries of spans not done yet ({@link #givenUp}). */
    private final Map<String, Integer> tries = new ConcurrentHashMap<>();
    /** Called between the GetItem and the PutItem of a span: tests bump there to prove the put then fails. */
    private volatile java.util.function.LongConsumer beforePut = span -> { };
    /** {@link #MAX_SPAN_ENTRIES}; tests lower it rather than store 100,000 entries. */
    private volatile int maxSpanEntries = MAX_SPAN_ENTRIES;

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
     * within the deadline. Returns the rollups written. Never throws for DynamoDB's errors: they are logged.
     */
    public int rollUp(String instance, Instant now, Deadline invocation) {
        // A budget of its own: rolling comes after the payload is stored, and one instance's busy span must not keep
        // every invocation of it (and so the function's concurrency) busy reading.
        Deadline deadline = Deadline.after(Duration.ofMillis(Math.max(0, Math.min(BUDGET_MS,
                invocation.remainingMillis()))));
        long[] due = dueSpans(now);
        int examined = 0;
        int rolled = 0;
        // Newest first: the span closed last is the one no other container has rolled yet.
        for (long span = due[1]; span >= due[0] && examined < MAX_SPANS; span--) {
            String key = instance + '\u0000' + span;
            if (done.contains(key)) {
                continue;
            }
            if (deadline.remainingMillis() < MIN_MILLIS) {
                break;
            }
            examined++;
            try {
                Result r = roll(instance, span, now, deadline);
                if (r != Result.RETRY || givenUp(key, instance, span)) {
                    remember(key);
                }
                rolled += r == Result.ROLLED ? 1 : 0;
            } catch (IllegalArgumentException e) {
                // A summary this version cannot decode (a newer forwarder wrote it: the newer version rolls it), or
                // a compact item that cannot be unpacked (readers name it too).
                remember(key);
                log.accept("pglogs-forwarder: rollup of " + instance + " at "
                        + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written (" + e.getMessage()
                        + "); readers use " + source.fallback);
            } catch (SdkException e) {
                log.accept("pglogs-forwarder: rollup of " + instance + " at "
                        + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written ("
                        + BatchWriter.describe(e) + "); readers use " + source.fallback
                        + ", a later invocation tries again");
                if (givenUp(key, instance, span)) {
                    remember(key);
                }
            }
        }
        return rolled;
    }

    /**
     * The first and last span numbers ({@link ItemContract#compactSpan}) due at {@code now}: those whose end is
     * between {@link #LOOK_BACK} and {@link ItemContract#ROLL_AFTER_MILLIS} before it, both included.
     */
    static long[] dueSpans(Instant now) {
        long millis = now.toEpochMilli();
        long span = ItemContract.COMPACT_SPAN_MILLIS;
        // A span s ends at (s + 1) * span: due when millis - LOOK_BACK <= (s + 1) * span <= millis - ROLL_AFTER.
        long first = Math.floorDiv(millis - LOOK_BACK.toMillis() + span - 1, span) - 1;
        long last = Math.floorDiv(millis - ItemContract.ROLL_AFTER_MILLIS, span) - 1;
        return new long[] {first, last};
    }

    /**
     * This container bumped these spans' rollups (a late summary it wrote): they are not done any more, whatever it
     * found before, so its next invocations roll them again.
     */
    public void bumped(String instance, Collection<Long> spans) {
        for (long span : spans) {
            done.remove(instance + '\u0000' + span);
        }
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
    enum Result { ROLLED, VALID, NOTHING, CONFLICT, UNUSABLE, TOO_LARGE, TOO_MANY, RETRY }

    /** A rollup item to put, or why there is none. */
    private record Made(Map<String, AttributeValue> item, Result result) {
        static Made not(Result why) {
            return new Made(null, why);
        }
    }

    /** One span: see the class comment for why this order is safe. */
    Result roll(String instance, long span, Instant now, Deadline deadline) {
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, span);
        // Eventually consistent (half the read units): a stale answer only makes the conditional put below fail (it
        // holds the gen it read) or leaves a stale rollup for a later try; the Queries that follow must be consistent.
        GetItemResponse got = ddb.getItem(b -> b.tableName(table).key(key)
                .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline))));
        Map<String, AttributeValue> existing = got.hasItem() && !got.item().isEmpty() ? got.item() : null;
        if (existing != null && existing.containsKey(ItemContract.SUMMARY) && !isTrue(existing.get(ItemContract.STALE))) {
            return Result.VALID;
        }
        AttributeValue gen = existing == null ? null : existing.get(ItemContract.GEN);
        Made made = source == Source.ENTRIES ? fromEntries(instance, span, key, gen, now, deadline)
                : fromSummaries(instance, span, key, gen, deadline);
        if (made.item() == null) {
            return made.result();
        }
        Map<String, AttributeValue> rollup = made.item();
        beforePut.accept(span);
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

    private Made fromSummaries(String instance, long span, Map<String, AttributeValue> key, AttributeValue gen,
                               Deadline deadline) {
        List<Map<String, AttributeValue>> summaries = summaries(instance, span, deadline);
        if (summaries == null) {
            return Made.not(Result.RETRY);
        }
        if (summaries.isEmpty()) {
            return Made.not(Result.NOTHING);
        }
        if (summaries.stream().anyMatch(x -> !x.containsKey(ItemContract.SUMMARY))) {
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

    /**
     * The rollup of the span's stored entries. Nothing stored: no rollup (as no summaries). Above
     * {@link #MAX_SPAN_ENTRIES}, or entries the report's code fails on: none either, said in the log; readers read
     * the span's entries, as they would without rollups.
     */
    private Made fromEntries(String instance, long span, Map<String, AttributeValue> key, AttributeValue gen,
                             Instant now, Deadline deadline) {
        String at = key.get(ItemContract.SK).s();
        SpanEntries.Read read = spanEntries.read(instance, span, now, maxSpanEntries, deadline);
        if (read == null) {
            return Made.not(Result.RETRY);
        }
        if (read.tooMany()) {
            log.accept("pglogs-forwarder: the span of " + instance + " at " + at + " holds more than "
                    + maxSpanEntries + " entries; no rollup, readers read its entries");
            return Made.not(Result.TOO_MANY);
        }
        if (read.rows().isEmpty()) {
            return Made.not(Result.NOTHING);
        }
        Map<String, AttributeValue> rollup;
        try {
            rollup = rollupOfEntries(instance, key, read.rows().values(), gen);
        } catch (RuntimeException e) {
            // Derived data: an entry the report's code cannot count must not fail the payload that triggered us.
            log.accept("pglogs-forwarder: ERROR counting the " + read.rows().size() + " entries of " + instance
                    + " at " + at + " for a rollup failed (" + e + "); no rollup, readers read its entries");
            return Made.not(Result.UNUSABLE);
        }
        if (rollup == null) {
            log.accept("pglogs-forwarder: rollup of " + instance + " at " + at + " would exceed " + MAX_ROLLUP_BYTES
                    + " bytes; readers read its entries");
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
        for (Map<String, AttributeValue> s : summaries) {
            SummaryCodec.decodeInto(s.get(ItemContract.SUMMARY).b().asByteArrayUnsafe(), merged);
            entries += Long.parseLong(s.get(ItemContract.ENTRIES).n());
            String first = s.get(ItemContract.TS).s();
            String last = s.get(ItemContract.LAST_TS).s();
            ts = ts == null || first.compareTo(ts) < 0 ? first : ts;
            lastTs = lastTs == null || last.compareTo(lastTs) > 0 ? last : lastTs;
            AttributeValue expires = s.get(ItemContract.EXPIRES_AT);
            if (expires != null) {
                long e = Long.parseLong(expires.n());
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
        if (data.length > MAX_ROLLUP_BYTES) {
            return null;
        }
        return item(key, instance, data, rows.size(), 0, ItemContract.ROLLED_FROM_ENTRIES, ts, lastTs, expiresAt,
                minExpiresAt, gen);
    }

    /** A rollup item, whichever it was made from: valid ({@code stale = false}) at the {@code gen} its maker read. */
    private static Map<String, AttributeValue> item(Map<String, AttributeValue> key, String instance, byte[] data,
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

    /** Tests: gives up on spans of more than {@code max} entries. */
    void maxSpanEntries(int max) {
        this.maxSpanEntries = max;
    }

    /** Forgets which spans were done (tests; a new container starts so). */
    void forget() {
        done.clear();
    }
}
