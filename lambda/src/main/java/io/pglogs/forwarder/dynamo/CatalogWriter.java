package io.pglogs.forwarder.dynamo;

import io.pglogs.forwarder.cloudwatch.LogSource;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes the catalogue items ({@code _instances#<day>}, see {@link ItemContract#CATALOG_PREFIX}) once per container,
 * instance and day. Every invocation of every instance would otherwise write the day's one catalogue key, making it
 * the hot partition of the table. The item is idempotent, so once is enough; it is written in a request of its own
 * after the entries, and a failure (throttling above all, or the item handed back unprocessed) is logged and tried
 * again by the next invocation: it never fails or delays the entries.
 *
 * <p>A forwarder writing summaries (issue 26) marks the instance-day {@link ItemContract#SUMMARISED} with a
 * conditional PutItem that only creates the item: a day already catalogued keeps what it says, so a day first
 * catalogued by a forwarder without summaries (its entries not all summarised) is never marked, and readers read its
 * entries. Without summaries the item is written as before (BatchWriteItem, unconditional), which removes a mark:
 * readers then fall back to entries, which is safe.
 */
public final class CatalogWriter {
    /** The most one catalogue write may take; the entries are already stored by then. */
    private static final long MAX_CALL_MS = 1_000;
    /** Remembered keys before the set is cleared: a container lives for hours, the fleet has some instances. */
    private static final int MAX_REMEMBERED = 10_000;

    private final DynamoDbClient ddb;
    private final String table;
    private final ItemFactory items;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

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
     * As {@link #ensure(LogSource, Collection, Deadline, Consumer)}; {@code summarised}: the entries go with summary
     * items, and a day catalogued here for the first time is marked so. Returns the items written (a day already
     * catalogued, found so by the condition, is not counted).
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
            boolean created = true;
            try {
                if (summarised) {
                    created = create(item, budget);
                    failure = null;
                } else {
                    failure = put(item, budget);
                }
            } catch (SdkException e) {
                failure = BatchWriter.describe(e);
            }
            if (failure == null) {
                count += created ? 1 : 0;
            } else {
                written.remove(key);
                log.accept("pglogs-forwarder: catalogue item " + ItemContract.catalogKey(day) + " for "
                        + source.instance() + " not written (" + failure + "); the entries are stored and the next "
                        + "invocation writes it");
            }
        }
        return count;
    }

    /** Creates the item marked summarised; false when the day was catalogued already (the condition failed). */
    private boolean create(Map<String, AttributeValue> item, long budget) {
        Map<String, AttributeValue> marked = new HashMap<>(item);
        marked.put(ItemContract.SUMMARISED, AttributeValue.fromBool(true));
        try {
            ddb.putItem(b -> b.tableName(table).item(marked)
                    .conditionExpression("attribute_not_exists(" + ItemContract.PK + ")")
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(budget))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The item written as before summaries: unconditionally; the reason it was not, or null. */
    private String put(Map<String, AttributeValue> item, long budget) {
        WriteRequest put = WriteRequest.builder().putRequest(p -> p.item(item)).build();
        boolean unprocessed = !ddb.batchWriteItem(b -> b.requestItems(Map.of(table, List.of(put)))
                        .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(budget))))
                .unprocessedItems().getOrDefault(table, List.of()).isEmpty();
        return unprocessed ? "handed back unprocessed" : null;
    }
}
