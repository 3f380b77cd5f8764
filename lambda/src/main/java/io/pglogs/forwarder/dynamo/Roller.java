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
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Rolls an instance's closed ten-minute spans up (issue 26 part 2, docs/schema.md "Rollup items"): the merge of a
 * span's summaries in one item, so a report of a day reads 144 rollups per instance instead of a summary per payload.
 *
 * <p>Per span: a consistent GetItem of the rollup (valid: done; else its {@code gen} is remembered), a consistent
 * Query of the span's summaries in every shard, then a PutItem conditional on that {@code gen}. Writers of a summary
 * that may come after the rollup bump {@code gen} ({@link RollupBumper}) once their summary is stored, so a summary
 * is either seen by the Query or its bump fails the put or marks the put rollup stale: a valid rollup never lacks a
 * summary. Failures are logged and never fail the invocation: readers fall back to the summaries.
 */
public final class Roller {
    /** Spans whose end is at most this long ago are candidates: older ones were rolled by earlier invocations. */
    static final Duration LOOK_BACK = Duration.ofHours(2);
    /** At most this many spans are examined per invocation: the entries' latency comes first. */
    static final int MAX_SPANS = 3;
    /** A span is not started with less time than this left. */
    private static final long MIN_MILLIS = 500;
    /** The most one call may take. */
    private static final long MAX_CALL_MS = 2_000;
    /** Remembered spans before the set is cleared (as {@link CatalogWriter}'s). */
    private static final int MAX_REMEMBERED = 20_000;
    /** The largest merged summary stored: items are limited to 400 KB (the same bound as a summary's). */
    static final int MAX_ROLLUP_BYTES = 350_000;

    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final Clock clock;
    private final Consumer<String> log;
    /** {@code instance NUL span}: spans this container found rolled, or with nothing (or nothing usable) to roll. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    /** Called between the GetItem and the PutItem of a span: tests bump there to prove the put then fails. */
    private volatile java.util.function.LongConsumer beforePut = span -> { };

    public Roller(DynamoDbClient ddb, String table, int shards, Clock clock, Consumer<String> log) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.clock = clock;
        this.log = log;
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
    public int rollUp(String instance, Instant now, Deadline deadline) {
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
                Result r = roll(instance, span, deadline);
                if (r != Result.RETRY) {
                    remember(key);
                }
                rolled += r == Result.ROLLED ? 1 : 0;
            } catch (IllegalArgumentException e) {
                // A summary this version cannot decode (a newer forwarder wrote it): the newer version rolls it.
                remember(key);
                log.accept("pglogs-forwarder: rollup of " + instance + " at "
                        + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written (" + e.getMessage()
                        + "); readers use its summaries");
            } catch (SdkException e) {
                log.accept("pglogs-forwarder: rollup of " + instance + " at "
                        + ItemContract.isoMillis(ItemContract.spanStart(span)) + " not written ("
                        + BatchWriter.describe(e) + "); readers use its summaries, a later invocation tries again");
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

    private void remember(String key) {
        if (done.size() >= MAX_REMEMBERED) {
            done.clear();
        }
        done.add(key);
    }

    /** What rolling one span came to; only {@code RETRY} leaves it for a later invocation of this container. */
    enum Result { ROLLED, VALID, NOTHING, CONFLICT, UNUSABLE, TOO_LARGE, RETRY }

    /** One span: see the class comment for why this order is safe. */
    Result roll(String instance, long span, Deadline deadline) {
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, span);
        GetItemResponse got = ddb.getItem(b -> b.tableName(table).key(key).consistentRead(true)
                .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline))));
        Map<String, AttributeValue> existing = got.hasItem() && !got.item().isEmpty() ? got.item() : null;
        if (existing != null && existing.containsKey(ItemContract.SUMMARY) && !isTrue(existing.get(ItemContract.STALE))) {
            return Result.VALID;
        }
        AttributeValue gen = existing == null ? null : existing.get(ItemContract.GEN);
        List<Map<String, AttributeValue>> summaries = summaries(instance, span, deadline);
        if (summaries == null) {
            return Result.RETRY;
        }
        if (summaries.isEmpty()) {
            return Result.NOTHING;
        }
        if (summaries.stream().anyMatch(x -> !x.containsKey(ItemContract.SUMMARY))) {
            return Result.UNUSABLE; // not written by this forwarder: readers read what it stands for
        }
        if (SummaryRanges.conflicting(summaries)) {
            log.accept("pglogs-forwarder: summaries of " + instance + " at " + key.get(ItemContract.SK).s()
                    + " hold the same events twice (a backfill over delivered entries?); no rollup, readers sort them");
            return Result.CONFLICT;
        }
        Map<String, AttributeValue> rollup = rollup(instance, key, summaries, gen);
        if (rollup == null) {
            log.accept("pglogs-forwarder: rollup of " + instance + " at " + key.get(ItemContract.SK).s()
                    + " would exceed " + MAX_ROLLUP_BYTES + " bytes; readers use its summaries");
            return Result.TOO_LARGE;
        }
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
            // A summary came in since the GetItem (its writer bumped gen): a later invocation rolls it again.
            return Result.RETRY;
        }
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
            Map<String, AttributeValue> startKey = null;
            do {
                if (deadline.remainingMillis() < MIN_MILLIS) {
                    return null;
                }
                Map<String, AttributeValue> exclusiveStart = startKey;
                QueryResponse page = ddb.query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :until")
                        .expressionAttributeNames(Map.of("#pk", ItemContract.PK, "#sk", ItemContract.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                                ":from", AttributeValue.fromS(from), ":until", AttributeValue.fromS(until)))
                        .exclusiveStartKey(exclusiveStart)
                        .overrideConfiguration(o -> o.apiCallTimeout(budget(deadline))));
                out.addAll(page.items());
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
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
        Map<String, AttributeValue> item = new LinkedHashMap<>(key);
        item.put(ItemContract.INSTANCE, AttributeValue.fromS(instance));
        item.put(ItemContract.SUMMARY, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(data)));
        item.put(ItemContract.SUMMARY_VERSION, AttributeValue.fromN(Integer.toString(SummaryCodec.VERSION)));
        item.put(ItemContract.ENTRIES, AttributeValue.fromN(Long.toString(entries)));
        item.put(ItemContract.SUMMARIES, AttributeValue.fromN(Integer.toString(summaries.size())));
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

    /** Tests: runs {@code hook} with the span after the roller read its rollup and summaries, before its put. */
    void beforePut(java.util.function.LongConsumer hook) {
        this.beforePut = hook == null ? span -> { } : hook;
    }

    /** Forgets which spans were done (tests; a new container starts so). */
    void forget() {
        done.clear();
    }
}
