package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Reads the entries of some instances between two times, in time order, without a Scan: one Query per instance,
 * UTC day and shard ({@code pk}), bounded by time on {@code sk}, many in parallel, merged as they stream in.
 *
 * <p>Every entry of a day sorts before every entry of the next (the day is part of the key and taken from the
 * entry's own time), so the merge needs only the current day's partitions; the next day's are fetched meanwhile.
 */
public final class LogReader implements AutoCloseable {
    private final DynamoDbClient ddb;
    private final String table;
    private final int shards;
    private final ExecutorService pool;
    private final QueryStats stats = new QueryStats();

    /** @param concurrency Query requests in flight at once */
    public LogReader(DynamoDbClient ddb, String table, int shards, int concurrency) {
        this.ddb = ddb;
        this.table = table;
        this.shards = shards;
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "pglogs-query");
            t.setDaemon(true);
            return t;
        });
    }

    /** The shard count the table publishes (tag pglogs:shards), or the default. */
    public static int shards(DynamoDbClient ddb, String table) {
        String arn = ddb.describeTable(b -> b.tableName(table)).table().tableArn();
        return ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().stream()
                .filter(t -> t.key().equals(ItemContract.SHARDS_TAG)).map(t -> Integer.parseInt(t.value()))
                .findFirst().orElse(ItemContract.DEFAULT_SHARDS);
    }

    public QueryStats stats() {
        return stats;
    }

    /** The UTC days from {@code from} to {@code until}, both included. */
    static List<LocalDate> days(Instant from, Instant until) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(until, ZoneOffset.UTC);
        for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
            days.add(d);
        }
        return days;
    }

    /** The instances with entries on any of these days, from the catalogue items: no Scan. */
    public List<String> instances(Instant from, Instant until) {
        TreeSet<String> found = new TreeSet<>();
        for (LocalDate day : days(from, until)) {
            ddb.queryPaginator(b -> b.tableName(table).keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ItemContract.catalogKey(day))))
                            .projectionExpression("sk"))
                    .items().forEach(i -> found.add(i.get(ItemContract.SK).s()));
        }
        return new ArrayList<>(found);
    }

    /**
     * Entries of {@code instances} with {@code from <= ts <= until}, oldest first (newest first with
     * {@code reverse}), not yet expired, matching the filters' server-side part. The iterator fetches as it goes.
     */
    public Iterator<LogRow> read(List<String> instances, Instant from, Instant until, Filters filters,
                                 boolean reverse, Instant now) {
        List<LocalDate> days = days(from, until);
        if (reverse) {
            java.util.Collections.reverse(days);
        }
        QueryRequest template = template(from, until, filters, reverse, now);
        List<Supplier<List<PartitionCursor>>> perDay = new ArrayList<>();
        for (LocalDate day : days) {
            perDay.add(() -> {
                List<PartitionCursor> cursors = new ArrayList<>();
                for (String instance : instances) {
                    for (int shard = 0; shard < shards; shard++) {
                        String pk = ItemContract.partitionKey(instance, day, shard);
                        Map<String, AttributeValue> values = new HashMap<>(template.expressionAttributeValues());
                        values.put(":pk", AttributeValue.fromS(pk));
                        cursors.add(new PartitionCursor(ddb, template.toBuilder().expressionAttributeValues(values)
                                .build(), pool, stats));
                    }
                }
                return cursors;
            });
        }
        return new MergedIterator(perDay, reverse);
    }

    private QueryRequest template(Instant from, Instant until, Filters filters, boolean reverse, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":from", AttributeValue.fromS(ItemContract.sortKeyFloor(from)));
        // '~' sorts after '#' and every digit: the upper bound takes in every event id of the last millisecond.
        values.put(":until", AttributeValue.fromS(ItemContract.sortKeyFloor(until) + "~"));
        values.put(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
        List<String> conditions = new ArrayList<>();
        // DynamoDB deletes expired items only eventually: hide them here.
        names.put("#exp", ItemContract.EXPIRES_AT);
        conditions.add("#exp > :now");
        if (filters.severities() != null) {
            names.put("#sev", ItemContract.SEVERITY);
            List<String> placeholders = new ArrayList<>();
            int i = 0;
            for (String s : filters.severities()) {
                String p = ":sev" + i++;
                values.put(p, AttributeValue.fromS(s));
                placeholders.add(p);
            }
            conditions.add("#sev IN (" + String.join(", ", placeholders) + ")");
        }
        if (filters.user() != null) {
            names.put("#user", ItemContract.USER);
            values.put(":user", AttributeValue.fromS(filters.user()));
            conditions.add("#user = :user");
        }
        if (filters.database() != null) {
            names.put("#db", ItemContract.DATABASE);
            values.put(":db", AttributeValue.fromS(filters.database()));
            conditions.add("#db = :db");
        }
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :until")
                .filterExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(!reverse)
                .build();
    }

    /** A k-way merge over one day's cursors at a time, with the next day's already fetching. */
    private static final class MergedIterator implements Iterator<LogRow> {
        private final List<Supplier<List<PartitionCursor>>> days;
        private final Comparator<PartitionCursor> order;
        private int day = -1;
        private PriorityQueue<PartitionCursor> heads;
        private List<PartitionCursor> nextDay;
        private Map<String, AttributeValue> next;

        MergedIterator(List<Supplier<List<PartitionCursor>>> days, boolean reverse) {
            this.days = days;
            Comparator<PartitionCursor> ascending = Comparator.comparing(c -> c.peek().get(ItemContract.SK).s());
            this.order = reverse ? ascending.reversed() : ascending;
        }

        private List<PartitionCursor> started(int index) {
            List<PartitionCursor> cursors = days.get(index).get();
            cursors.forEach(PartitionCursor::start);
            return cursors;
        }

        private boolean advanceDay() {
            day++;
            if (day >= days.size()) {
                return false;
            }
            List<PartitionCursor> cursors = nextDay != null ? nextDay : started(day);
            nextDay = day + 1 < days.size() ? started(day + 1) : null;
            heads = new PriorityQueue<>(Math.max(1, cursors.size()), order);
            for (PartitionCursor c : cursors) {
                if (c.peek() != null) {
                    heads.add(c);
                }
            }
            return true;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (heads == null || heads.isEmpty()) {
                    if (!advanceDay()) {
                        return false;
                    }
                    continue;
                }
                PartitionCursor c = heads.poll();
                next = c.next();
                if (c.peek() != null) {
                    heads.add(c);
                }
            }
            return true;
        }

        @Override
        public LogRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            LogRow row = LogRow.of(next);
            next = null;
            return row;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
