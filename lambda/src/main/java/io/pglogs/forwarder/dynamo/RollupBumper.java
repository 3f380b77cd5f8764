package io.pglogs.forwarder.dynamo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Marks rollups that a summary written now may have missed (issue 26 part 2, docs/schema.md "Rollup items"): after a
 * payload's summaries are stored, {@code UpdateItem SET stale = true, bumped_at = now ADD gen 1} on the rollup of each
 * span they touch (creating a stub when there is none). The {@link Roller}'s put is conditional on the {@code gen} it read, so a bump
 * either fails that put or marks the rollup it made stale; readers then use the span's summaries.
 *
 * <p>The live paths bump only spans with a unit that may be rolled when their write has finished
 * ({@link #mayBeRolled}); the other writers (backfill, import, redrive) write any span at any time and bump always.
 */
public final class RollupBumper {
    /** Clocks of the forwarder's containers may differ by this much. */
    static final long CLOCK_SKEW_MILLIS = 60_000;
    private static final long BASE_BACKOFF_MS = 20;
    private static final long MAX_BACKOFF_MS = 1_000;

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;
    private final Random jitter = new Random();

    public RollupBumper(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** Starts the backoff jitter afresh; SnapStart's restore hook calls it with a seed drawn after the restore. */
    public void reseed(long seed) {
        jitter.setSeed(seed);
    }

    /** A bumper writing to the table {@code writer} writes to, on the system clock. */
    public static RollupBumper of(BatchWriter writer) {
        return new RollupBumper(writer.ddb(), writer.table(), Clock.systemUTC());
    }

    /**
     * Whether the roller may already have rolled the unit (or span) ending at {@code unitEnd}, judged by a writer
     * whose items are <em>stored</em> at {@code now}: the roller rolls a unit only when its own clock says
     * {@code >= unitEnd + }{@link ItemContract#ROLL_AFTER_MILLIS}, and clocks differ by at most
     * {@link #CLOCK_SKEW_MILLIS}; so when this is false, every roller's consistent Query of the unit comes after the
     * store and sees the items (issue 26 part 4: no time-left term, hence a delay of 3 minutes rather than 20).
     */
    public static boolean mayBeRolled(Instant unitEnd, Instant now) {
        return now.toEpochMilli() + CLOCK_SKEW_MILLIS >= unitEnd.toEpochMilli() + ItemContract.ROLL_AFTER_MILLIS;
    }

    /**
     * As {@link #mayBeRolled(Instant, Instant)} for a write that has not (or not surely) finished: one cut short
     * stores items until {@code remainingMillis} after {@code now} at the latest, so the roller may come first.
     */
    public static boolean mayBeRolled(Instant unitEnd, Instant now, long remainingMillis) {
        return now.toEpochMilli() + remainingMillis + CLOCK_SKEW_MILLIS
                >= unitEnd.toEpochMilli() + ItemContract.ROLL_AFTER_MILLIS;
    }

    /**
     * The spans ({@link ItemContract#compactSpan} numbers) of {@code items} (a payload's entry items, or summary
     * items: each has {@code ts}) to bump once they are all <em>stored</em>: all of them when {@code always}, else
     * those with an entry whose {@link ItemContract#SLICE_UNIT_MILLIS unit} {@link #mayBeRolled(Instant, Instant)
     * may be rolled} (a unit's slice, or the span's rollup once the span is closed: one {@code gen} per span governs
     * both). The entries, not their summaries, name the spans: a payload whose summaries failed still makes its spans'
     * rollups stale.
     */
    public SortedSet<Long> due(Collection<Map<String, AttributeValue>> items, boolean always) {
        Instant now = clock.instant();
        SortedSet<Long> spans = new TreeSet<>();
        for (Map<String, AttributeValue> s : items) {
            String ts = s.get(ItemContract.TS).s();
            if (always || mayBeRolled(ItemContract.unitEnd(ts), now)) {
                spans.add(ItemContract.compactSpan(ts));
            }
        }
        return spans;
    }

    /**
     * As {@link #due(Collection, boolean)} for a write cut short, whose items may still be stored until the deadline:
     * the units that may be rolled by then.
     */
    public SortedSet<Long> dueCut(Collection<Map<String, AttributeValue>> items, boolean always, Deadline deadline) {
        Instant now = clock.instant();
        long remaining = deadline.remainingMillis();
        SortedSet<Long> spans = new TreeSet<>();
        for (Map<String, AttributeValue> s : items) {
            String ts = s.get(ItemContract.TS).s();
            if (always || mayBeRolled(ItemContract.unitEnd(ts), now, remaining)) {
                spans.add(ItemContract.compactSpan(ts));
            }
        }
        return spans;
    }

    /**
     * Bumps the rollups of {@code spans} of {@code instance}, retrying throttling and 5xx until the deadline. Throws
     * {@link WriteIncompleteException} when one is not bumped: the caller fails the write (Lambda retries the payload,
     * whose items are idempotent), so no valid rollup lacks a summary.
     */
    public int bump(String instance, Collection<Long> spans, Deadline deadline)
            throws WriteIncompleteException, InterruptedException {
        return bump(instance, spans, 0, deadline);
    }

    /**
     * As {@link #bump(String, Collection, Deadline)}; a rollup item the bump creates (a stub: no rollup yet) gets
     * {@code expires_at} = {@code expiresAt} (epoch seconds; 0: none), so stubs leave with the entries that made them
     * (a 90-day import would otherwise leave one per instance and span for good). A rollup keeps its own.
     */
    public int bump(String instance, Collection<Long> spans, long expiresAt, Deadline deadline)
            throws WriteIncompleteException, InterruptedException {
        int n = 0;
        for (long span : spans) {
            bumpOne(instance, span, expiresAt, deadline);
            n++;
        }
        return n;
    }

    /** The latest {@code expires_at} of {@code items} (epoch seconds), 0 when none has one. */
    public static long latestExpiry(Collection<Map<String, AttributeValue>> items) {
        long latest = 0;
        for (Map<String, AttributeValue> item : items) {
            AttributeValue v = item.get(ItemContract.EXPIRES_AT);
            if (v != null && v.n() != null) {
                latest = Math.max(latest, Long.parseLong(v.n()));
            }
        }
        return latest;
    }

    private void bumpOne(String instance, long span, long expiresAt, Deadline deadline)
            throws WriteIncompleteException, InterruptedException {
        Map<String, AttributeValue> key = ItemContract.rollupKey(instance, span);
        SdkException last = null;
        for (int attempt = 0; ; attempt++) {
            long remaining = deadline.remainingMillis();
            if (remaining <= 0) {
                break;
            }
            try {
                // bumped_at: rollers wait a while after a span's last bump (Roller.QUIET_MILLIS) rather than re-read it
                // after each payload of a delivery backlog; the same request, so no write unit more.
                Map<String, String> names = new java.util.HashMap<>(Map.of("#stale", ItemContract.STALE,
                        "#gen", ItemContract.GEN, "#at", ItemContract.BUMPED_AT));
                Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":true",
                        AttributeValue.fromBool(true), ":one", AttributeValue.fromN("1"),
                        ":at", AttributeValue.fromN(Long.toString(clock.millis()))));
                if (expiresAt > 0) {
                    names.put("#exp", ItemContract.EXPIRES_AT);
                    values.put(":exp", AttributeValue.fromN(Long.toString(expiresAt)));
                }
                ddb.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression(expiresAt > 0
                                ? "SET #stale = :true, #at = :at, #exp = if_not_exists(#exp, :exp) ADD #gen :one"
                                : "SET #stale = :true, #at = :at ADD #gen :one")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(remaining))));
                return;
            } catch (SdkException e) {
                last = e;
                if (!BatchWriter.isRetryable(e)) {
                    break;
                }
            }
            long ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS << Math.min(attempt + 1, 16));
            long sleep = jitter.nextInt((int) ceiling + 1);
            if (deadline.remainingMillis() <= sleep) {
                break;
            }
            Thread.sleep(sleep);
        }
        throw new WriteIncompleteException("rollup " + key.get(ItemContract.PK).s() + " " + key.get(ItemContract.SK).s()
                + " not marked stale after its summaries were written to table " + table
                + (last == null ? " before the deadline" : ": " + BatchWriter.describe(last)), 1, last);
    }
}
