package io.pglogs.forwarder.dynamo;

import io.pglogs.forwarder.cloudwatch.LogSource;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Writes the catalogue items ({@code _instances#<day>}, see {@link ItemContract#CATALOG_PREFIX}) once per container,
 * instance and day. Every invocation of every instance would otherwise write the day's one catalogue key, making it
 * the hot partition of the table. The item is idempotent, so once is enough; it is written in a request of its own
 * after the entries, and a failure (throttling above all, or the item handed back unprocessed) is logged and tried
 * again by the next invocation: it never fails or delays the entries.
 *
 * <p>A forwarder writing summaries (issue 26) marks the instance-day {@link ItemContract#SUMMARISED} with a
 * conditional PutItem ({@code attribute_not_exists(pk) OR summarised = true}): it creates the item marked, or refreshes
 * a marked one (cluster, TTL), but never marks a day already catalogued without the mark, whose entries are not all
 * summarised; such a day is refreshed by a put without the mark and stays so. Without summaries, and
 * through {@link #unflag} when a payload may have stored entries its summaries do not count, the item is written
 * without the mark, which removes it: readers then read that instance-day from entries, which is safe.
 *
 * <p>Every write also carries {@link ItemContract#ROLLUPS_OK} ("every writer of this instance-day bumps its rollups")
 * where the item is new or carries it already, never where it exists without it: an older pglogs's catalogue write
 * replaces the whole item and drops the flag, and its entries, which bump no rollup, may be anywhere in the day, so
 * readers must not use that day's rollups again. See {@link #write}.
 */
public final class CatalogWriter {
    /** The most one catalogue write may take; the entries are already stored by then. */
    private static final long MAX_CALL_MS = 1_000;
    /** Remembered keys before the set is cleared: a container lives for hours, the fleet has some instances. */
    private static final int MAX_REMEMBERED = 10_000;
    /** Conditional puts of one item before the plain one: each failure drops a flag; more means a race, rare. */
    private static final int FLAGGED_ATTEMPTS = 3;

    private final DynamoDbClient ddb;
    private final String table;
    private final ItemFactory items;
    /** The most an {@link #unflag} call may take, even past the deadline: within the handler's safety margin. */
    private static final long UNFLAG_CALL_MS = 500;

    private final Set<String> written = ConcurrentHashMap.newKeySet();
    /** Days this container unmarked or tried to: never marked again from here (the condition keeps others from it). */
    private final Set<String> unflagged = ConcurrentHashMap.newKeySet();
    /** Days this container unmarked: not written again for that (the mark cannot come back). */
    private final Set<String> unmarked = ConcurrentHashMap.newKeySet();
    /** The most an {@link #unmark} call may take: throttling's backoff needs more than a moment. */
    private static final long UNMARK_CALL_MS = 5_000;

    public CatalogWriter(DynamoDbClient ddb, String table, ItemFactory items) {
        this.ddb = ddb;
        this.table = table;
        this.items = items;
    }

    /** Writes the catalogue items of {@code days} this container has not written yet; returns how many it wrote. */
    public int ensure(LogSource source, Collection<LocalDate> days, Deadline deadline, Consumer<String> log) {
        return ensure(source, days, false, deadline, log);
    }

    /**
     * As {@link #ensure(LogSource, Collection, Deadline, Consumer)}; {@code summarised}: every entry of the payload is
     * stored and counted by its stored summary items, and a day new or marked already is marked (refreshed) so; a
     * day catalogued without the mark, or unmarked by this container, is written without it. Returns the items
     * written.
     */
    public int ensure(LogSource source, Collection<LocalDate> days, boolean summarised, Deadline deadline,
                      Consumer<String> log) {
        int count = 0;
        for (LocalDate day : days) {
            String key = source.instance() + '\u0000' + day;
            if (written.size() >= MAX_REMEMBERED) {
                written.clear();
            }
            // Claimed before the call, so concurrent invocations (the CLI's threads) do not write it twice.
            if (!written.add(key)) {
                continue;
            }
            long budget = Math.min(MAX_CALL_MS, deadline.remainingMillis());
            if (budget <= 0) {
                written.remove(key);
                log.accept("pglogs-forwarder: no time left to write catalogue item " + ItemContract.catalogKey(day)
                        + " for " + source.instance() + "; the next invocation writes it");
                return count;
            }
            Map<String, AttributeValue> item = items.catalogItem(source.instance(), source.cluster(), day);
            String failure;
            try {
                failure = write(item, summarised && !unflagged.contains(key), budget);
            } catch (SdkException e) {
                failure = BatchWriter.describe(e);
            }
            if (failure == null) {
                count++;
            } else {
                written.remove(key);
                log.accept("pglogs-forwarder: catalogue item " + ItemContract.catalogKey(day) + " for "
                        + source.instance() + " not written (" + failure + "); the entries are stored and the next "
                        + "invocation writes it");
            }
        }
        return count;
    }

    /**
     * Removes the mark of {@code days} for {@code source}'s instance before a payload's entries are written that no
     * summary will count (summaries off, or not made): a day that stayed marked would have its new entries left out
     * of reports. Days this container unmarked already are skipped (the mark cannot come back: only a write finding
     * it, or no item, marks). Each call may take up to {@link #UNMARK_CALL_MS}, within the deadline.
     *
     * @return null when every day is unmarked, else why one is not: the caller fails the payload (Lambda retries it)
     */
    public String unmark(LogSource source, Collection<LocalDate> days, Deadline deadline) {
        for (LocalDate day : days) {
            String key = source.instance() + '\u0000' + day;
            remember(unflagged, key);
            if (unmarked.contains(key)) {
                continue;
            }
            long budget = Math.min(UNMARK_CALL_MS, deadline.remainingMillis());
            String failure;
            try {
                failure = budget <= 0 ? "no time left"
                        : write(items.catalogItem(source.instance(), source.cluster(), day), false, budget);
            } catch (SdkException e) {
                failure = BatchWriter.describe(e);
            }
            if (failure != null) {
                written.remove(key);
                return "catalogue item " + ItemContract.catalogKey(day) + " for " + source.instance()
                        + " not unmarked (" + failure + ")";
            }
            remember(unmarked, key);
            remember(written, key);
        }
        return null;
    }

    /**
     * As {@link #unmark}, after a write that failed part-way (the payload fails anyway, so Lambda retries it): best
     * effort, tried even past the deadline (briefly, within the handler's safety margin); a failure is logged.
     * Returns how many items were written.
     */
    public int unflag(LogSource source, Collection<LocalDate> days, Consumer<String> log) {
        int count = 0;
        for (LocalDate day : days) {
            String key = source.instance() + '\u0000' + day;
            remember(unflagged, key);
            if (unmarked.contains(key)) {
                continue;
            }
            String failure;
            try {
                failure = write(items.catalogItem(source.instance(), source.cluster(), day), false, UNFLAG_CALL_MS);
            } catch (SdkException e) {
                failure = BatchWriter.describe(e);
            }
            if (failure == null) {
                remember(unmarked, key);
                remember(written, key);
                count++;
            } else {
                written.remove(key);
                log.accept("pglogs-forwarder: catalogue item " + ItemContract.catalogKey(day) + " for "
                        + source.instance() + " not unmarked (" + failure + "); the retry of this payload unmarks it");
            }
        }
        return count;
    }

    private static void remember(Set<String> set, String key) {
        if (set.size() >= MAX_REMEMBERED) {
            set.clear();
        }
        set.add(key);
    }

    /**
     * Writes the item by PutItem (a request of its own, so the BatchWriteItem throttling that may have cut the entries'
     * write does not take it too), with {@link ItemContract#ROLLUPS_OK}, and {@link ItemContract#SUMMARISED} when
     * {@code summarised}, each flag kept only where the item is new or carries it already: the condition
     * {@code attribute_not_exists(pk) OR (flag = true AND ...)} enforces it, and when it fails the item found (returned
     * with the failure) says which flags it lacks, and the put is made again without those. A flag is never added to
     * an item that exists without it: an older writer (or an unmark) removed it, for reasons that still hold. Without
     * any flag the put is unconditional. One call where the item is new or has the flags wanted, two where it lacks
     * one. The reason it was not written, or null.
     */
    private String write(Map<String, AttributeValue> item, boolean summarised, long budget) {
        long end = System.nanoTime() + budget * 1_000_000;
        boolean mark = summarised;
        boolean rollups = true;
        for (int attempt = 0; attempt < FLAGGED_ATTEMPTS && (mark || rollups); attempt++) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return "no time left";
            }
            try {
                putFlagged(item, mark, rollups, left);
                return null;
            } catch (ConditionalCheckFailedException e) {
                // The item exists without a flag wanted; not told which (no item returned): none is kept, safely.
                Map<String, AttributeValue> found = e.hasItem() ? e.item() : Map.of();
                mark &= isTrue(found.get(ItemContract.SUMMARISED));
                rollups &= isTrue(found.get(ItemContract.ROLLUPS_OK));
            }
        }
        long left = (end - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return "no time left";
        }
        ddb.putItem(b -> b.tableName(table).item(item)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(left))));
        return null;
    }

    private void putFlagged(Map<String, AttributeValue> item, boolean mark, boolean rollups, long budget) {
        Map<String, AttributeValue> flagged = new HashMap<>(item);
        Map<String, String> names = new HashMap<>();
        names.put("#pk", ItemContract.PK);
        StringBuilder has = new StringBuilder();
        if (mark) {
            flagged.put(ItemContract.SUMMARISED, AttributeValue.fromBool(true));
            names.put("#s", ItemContract.SUMMARISED);
            has.append("#s = :true");
        }
        if (rollups) {
            flagged.put(ItemContract.ROLLUPS_OK, AttributeValue.fromBool(true));
            names.put("#r", ItemContract.ROLLUPS_OK);
            has.append(has.isEmpty() ? "" : " AND ").append("#r = :true");
        }
        ddb.putItem(b -> b.tableName(table).item(flagged)
                .conditionExpression("attribute_not_exists(#pk) OR (" + has + ")")
                .expressionAttributeNames(names)
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(budget))));
    }

    private static boolean isTrue(AttributeValue flag) {
        return flag != null && Boolean.TRUE.equals(flag.bool());
    }
}
