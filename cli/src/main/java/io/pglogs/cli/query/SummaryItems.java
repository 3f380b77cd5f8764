package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.SummaryItem;
import io.pglogs.report.SummaryCodec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads what a report needs of summaries, rollups and slices (docs/schema.md "Summary items", "Rollup items", "Slice
 * items"): which instance-days are summarised (their catalogue item says so), and the rollup, slice and summary items
 * of an instance-day, by Query only, counted in {@link QueryStats}.
 */
public final class SummaryItems {
    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final QueryStats stats;

    public SummaryItems(DynamoDbClient ddb, String table, int shards, QueryStats stats) {
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.stats = stats;
    }

    /**
     * What an instance-day's catalogue item says about its readers' shortcuts.
     *
     * @param summarised every entry of the instance-day is counted by a summary ({@link ItemContract#SUMMARISED}):
     *                   only a summarising forwarder writes it, and an older forwarder's write removes it
     * @param rollups    every writer of the instance-day bumps its rollups ({@link ItemContract#ROLLUPS_OK}): only
     *                   this version writes it, and an older writer's catalogue write removes it for good; without it
     *                   the day's rollups (of either source) may miss entries and are not read
     */
    public record Catalogued(boolean summarised, boolean rollups) {
    }

    /**
     * The instances catalogued on {@code day}, each with its flags. Without them the instance-day is read from
     * summaries or entries without rollups (or from entries only), which is always right.
     */
    public Map<String, Catalogued> catalogue(LocalDate day) {
        Map<String, Catalogued> found = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder b = QueryRequest.builder().tableName(table).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemContract.catalogKey(day))))
                    .expressionAttributeNames(Map.of("#s", ItemContract.SUMMARISED, "#r", ItemContract.ROLLUPS_OK))
                    .projectionExpression("sk, #s, #r");
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = ddb.query(b.build());
            stats.add(r.scannedCount(), r.count());
            for (Map<String, AttributeValue> item : r.items()) {
                found.put(item.get(ItemContract.SK).s(), new Catalogued(isTrue(item.get(ItemContract.SUMMARISED)),
                        isTrue(item.get(ItemContract.ROLLUPS_OK))));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    /**
     * The summaries of {@code instance} on {@code day} whose sort keys (their first entry's) lie in {@code ranges}: a
     * summary holds one ten-minute span at most, so those of the spans not counted from rollups ({@link RollupPlan}).
     * One Query per range and shard, run on {@code queries} (whose threads bound the Query requests in flight); each
     * page's items are made {@link SummaryPlan.Summary summaries} and the page dropped.
     */
    public List<SummaryPlan.Summary> of(String instance, LocalDate day, List<RollupPlan.KeyRange> ranges,
                                        ExecutorService queries) {
        List<Future<List<SummaryPlan.Summary>>> parts = new ArrayList<>(ranges.size() * shards);
        for (RollupPlan.KeyRange range : ranges) {
            for (int shard = 0; shard < shards; shard++) {
                String pk = ItemContract.summaryPartitionKey(instance, day, shard);
                parts.add(queries.submit(() -> query(pk, range, item -> summary(instance, item))));
            }
        }
        List<SummaryPlan.Summary> out = new ArrayList<>();
        for (Future<List<SummaryPlan.Summary>> f : parts) {
            try {
                out.addAll(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading summaries", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }
        return out;
    }

    /** The rollup items of {@code instance} on {@code day} whose span starts lie in {@code keys}, stubs included. */
    public List<RollupPlan.Rollup> rollups(String instance, LocalDate day, RollupPlan.KeyRange keys) {
        return query(ItemContract.rollupPartitionKey(instance, day), keys, SummaryItems::rollup);
    }

    /**
     * The slice items of {@code instance} on {@code day} starting in {@code keys}, any gen (docs/schema.md "Reading
     * slices"): one eventually consistent Query.
     */
    public List<SlicePlan.Slice> slices(String instance, LocalDate day, RollupPlan.KeyRange keys) {
        return query(ItemContract.slicePartitionKey(instance, day), keys, SummaryItems::slice);
    }

    private <T> List<T> query(String pk, RollupPlan.KeyRange range, Function<Map<String, AttributeValue>, T> convert) {
        List<T> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder b = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk AND sk BETWEEN :low AND :high")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":low", AttributeValue.fromS(range.low()), ":high", AttributeValue.fromS(range.high())));
            if (start != null) {
                b.exclusiveStartKey(start);
            }
            QueryResponse r = ddb.query(b.build());
            stats.add(r.scannedCount(), r.count());
            for (Map<String, AttributeValue> item : r.items()) {
                out.add(convert.apply(item));
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /**
     * A rollup item as the plan sees it; its bytes are left out (null: not used, its span read from summaries or
     * entries) when it is a stub or says a layout this pglogs does not read. Without {@code rolled_from} it was made
     * from summaries (part 2's roller).
     */
    static RollupPlan.Rollup rollup(Map<String, AttributeValue> item) {
        AttributeValue stale = item.get(ItemContract.STALE);
        String rolledFrom = text(item, ItemContract.ROLLED_FROM);
        return new RollupPlan.Rollup(item.get(ItemContract.SK).s(), text(item, ItemContract.TS),
                text(item, ItemContract.LAST_TS), number(item, ItemContract.ENTRIES),
                number(item, ItemContract.MIN_EXPIRES_AT), stale != null && Boolean.TRUE.equals(stale.bool()),
                readable(item) ? item.get(ItemContract.SUMMARY).b().asByteArrayUnsafe() : null,
                rolledFrom == null ? ItemContract.ROLLED_FROM_SUMMARIES : rolledFrom, number(item, ItemContract.GEN));
    }

    /** A slice item as the plan sees it; its bytes are left out (null: its times read from entries) as a rollup's. */
    static SlicePlan.Slice slice(Map<String, AttributeValue> item) {
        return new SlicePlan.Slice(item.get(ItemContract.SK).s(), text(item, ItemContract.UNTIL),
                number(item, ItemContract.GEN), number(item, ItemContract.MIN_EXPIRES_AT),
                text(item, ItemContract.FLOOR), text(item, ItemContract.NEXT_FLOOR), number(item, ItemContract.ENTRIES),
                readable(item) ? item.get(ItemContract.SUMMARY).b().asByteArrayUnsafe() : null);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /**
     * A summary item as the plan sees it, of either layout ({@link SummaryItem}); its bytes are left out (null) when
     * the item says a layout this pglogs does not read (a newer forwarder's), so the plan reads its times from entries.
     */
    static SummaryPlan.Summary summary(String instance, Map<String, AttributeValue> item) {
        SummaryItem s = SummaryItem.of(item);
        return new SummaryPlan.Summary(instance, s.stream(), s.ts(), s.eventId(), s.lastTs(), s.lastEventId(),
                s.entries(), s.expiresAt(), s.data(), s.payloadTs());
    }

    /** Whether a rollup or slice item's summary is of the version this pglogs reads. */
    private static boolean readable(Map<String, AttributeValue> item) {
        AttributeValue version = item.get(ItemContract.SUMMARY_VERSION);
        AttributeValue data = item.get(ItemContract.SUMMARY);
        return version != null && version.n() != null && String.valueOf(SummaryCodec.VERSION).equals(version.n())
                && data != null && data.b() != null;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static boolean isTrue(AttributeValue flag) {
        return flag != null && Boolean.TRUE.equals(flag.bool());
    }
}
