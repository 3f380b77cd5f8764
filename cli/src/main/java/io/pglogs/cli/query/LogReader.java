package io.pglogs.cli.query;

import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.StorageFormat;
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
    private final StorageFormat format;
    private final ExecutorService pool;
    private final QueryStats stats = new QueryStats();

    /** A reader of a table storing one item per entry. */
    public LogReader(DynamoDbClient ddb, String table, int shards, int concurrency) {
        this(ddb, table, new TableLayout(shards, StorageFormat.ENTRIES), concurrency);
    }

    /** @param concurrency Query requests in flight at once */
    public LogReader(DynamoDbClient ddb, String table, TableLayout layout, int concurrency) {
        this.ddb = ddb;
        this.table = table;
        this.shards = layout.shards();
        this.format = layout.format();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "pglogs-query");
            t.setDaemon(true);
            return t;
        });
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
     * {@code reverse}), not yet expired, matching the filters' server-side part, each event once however often it
     * is stored (compact items of different packings may both hold it). The iterator fetches as it goes.
     */
    public Iterator<LogRow> read(List<String> instances, Instant from, Instant until, Filters filters,
                                 boolean reverse, Instant now) {
        return read(instances, from, until, filters, reverse, now, null);
    }

    /**
     * As {@link #read(List, Instant, Instant, Filters, boolean, Instant)}, knowing more of where the items lie.
     *
     * @param floor a sort key no item holding a wanted entry sorts below (null: none known); a compact table's
     *              Queries start there rather than at the start of {@code from}'s span, where an item holding
     *              entries of the window may otherwise start ({@link SummaryPlan.Range#floor}). A table of one item
     *              per entry starts at {@code from} itself either way.
     */
    public Iterator<LogRow> read(List<String> instances, Instant from, Instant until, Filters filters,
                                 boolean reverse, Instant now, String floor) {
        List<LocalDate> days = days(from, until);
        if (reverse) {
            java.util.Collections.reverse(days);
        }
        boolean compact = format == StorageFormat.COMPACT;
        QueryRequest template = compact ? compactTemplate(from, until, filters, reverse, now, floor)
                : template(from, until, filters, reverse, now);
        String fromTs = ItemContract.isoMillis(from);
        String untilTs = ItemContract.isoMillis(until);
        List<Supplier<List<EntryCursor>>> perDay = new ArrayList<>();
        for (LocalDate day : days) {
            perDay.add(() -> {
                List<EntryCursor> cursors = new ArrayList<>();
                for (String instance : instances) {
                    for (int shard = 0; shard < shards; shard++) {
                        String pk = ItemContract.partitionKey(instance, day, shard);
                        Map<String, AttributeValue> values = new HashMap<>(template.expressionAttributeValues());
                        values.put(":pk", AttributeValue.fromS(pk));
                        PartitionCursor items = new PartitionCursor(ddb, template.toBuilder()
                                .expressionAttributeValues(values).build(), pool, stats);
                        cursors.add(compact ? new CompactCursor(items, reverse, fromTs, untilTs, filters, now)
                                : new LegacyEntries(items, filters.match()));
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
        addPid(filters, names, values, conditions);
        filters.match().addEntryConditions(names, values, conditions);
        return request(names, values, conditions, reverse);
    }

    /** One process only: a table of one item per entry filters on DynamoDB's side; compact items hold many (unpacked, then matched). */
    private static void addPid(Filters filters, Map<String, String> names, Map<String, AttributeValue> values,
                               List<String> conditions) {
        if (filters.pid() != null) {
            names.put("#pid", ItemContract.PID);
            values.put(":pid", AttributeValue.fromN(filters.pid().toString()));
            conditions.add("#pid = :pid");
        }
    }

    private QueryRequest request(Map<String, String> names, Map<String, AttributeValue> values, List<String> conditions,
                                 boolean reverse) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :until")
                .filterExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(!reverse)
                .build();
    }

    /**
     * The template of a compact table's Queries. An item holding entries of the window may start up to a span before
     * it, so the key range starts at the span's beginning (or at {@code floor}, when the caller knows better), and
     * items whose last entry is before the window are skipped on DynamoDB's side, as are items without any entry of
     * the severities asked for: their plain attributes say so. The rest (each entry's time, expiry, severity, user, database) is exact only entry by entry, here.
     */
    private QueryRequest compactTemplate(Instant from, Instant until, Filters filters, boolean reverse, Instant now,
                                         String floor) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        String spanStart = ItemContract.compactSortKeyFloor(from);
        values.put(":from", AttributeValue.fromS(floor != null && floor.compareTo(spanStart) > 0 ? floor
                : spanStart));
        values.put(":until", AttributeValue.fromS(ItemContract.sortKeyFloor(until) + "~"));
        values.put(":first", AttributeValue.fromS(ItemContract.sortKeyFloor(from)));
        values.put(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
        names.put("#exp", ItemContract.EXPIRES_AT);
        names.put("#last", ItemContract.LAST_TS);
        names.put("#ts", ItemContract.TS);
        List<String> conditions = new ArrayList<>();
        conditions.add("#exp > :now");
        // An entry item (from before the table was compact) has no last_ts: its own time decides.
        conditions.add("(#last >= :first OR (attribute_not_exists(#last) AND #ts >= :first))");
        if (filters.severities() != null) {
            names.put("#sev", ItemContract.SEVERITY);
            names.put("#sevs", ItemContract.SEVERITIES);
            List<String> placeholders = new ArrayList<>();
            List<String> contains = new ArrayList<>();
            int i = 0;
            for (String s : filters.severities()) {
                String p = ":sev" + i++;
                values.put(p, AttributeValue.fromS(s));
                placeholders.add(p);
                contains.add("contains(#sevs, " + p + ")");
            }
            conditions.add("(#sev IN (" + String.join(", ", placeholders) + ") OR " + String.join(" OR ", contains)
                    + ")");
        }
        filters.match().addCompactConditions(names, values, conditions);
        return request(names, values, conditions, reverse);
    }

    /**
     * A k-way merge over one day's cursors at a time, with the next day's already fetching. An event stored twice
     * (under two compact items) comes out of the merge twice in a row, with the same key: the second is dropped.
     */
    private static final class MergedIterator implements Iterator<LogRow> {
        private final List<Supplier<List<EntryCursor>>> days;
        private final Comparator<EntryCursor> order;
        private int day = -1;
        private PriorityQueue<EntryCursor> heads;
        private List<EntryCursor> nextDay;
        private Map<String, AttributeValue> next;
        /** The last key given out, and the instances given out with it (imported ids may repeat across instances). */
        private String lastKey;
        private final java.util.Set<String> lastKeyInstances = new java.util.HashSet<>();

        MergedIterator(List<Supplier<List<EntryCursor>>> days, boolean reverse) {
            this.days = days;
            Comparator<EntryCursor> ascending = Comparator.comparing(c -> c.peek().get(ItemContract.SK).s());
            this.order = reverse ? ascending.reversed() : ascending;
        }

        private List<EntryCursor> started(int index) {
            List<EntryCursor> cursors = days.get(index).get();
            cursors.forEach(EntryCursor::start);
            return cursors;
        }

        private boolean advanceDay() {
            day++;
            if (day >= days.size()) {
                return false;
            }
            List<EntryCursor> cursors = nextDay != null ? nextDay : started(day);
            nextDay = day + 1 < days.size() ? started(day + 1) : null;
            heads = new PriorityQueue<>(Math.max(1, cursors.size()), order);
            for (EntryCursor c : cursors) {
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
                EntryCursor c = heads.poll();
                next = c.next();
                if (c.peek() != null) {
                    heads.add(c);
                }
                if (repeated(next)) {
                    next = null;
                }
            }
            return true;
        }

        private boolean repeated(Map<String, AttributeValue> entry) {
            String key = entry.get(ItemContract.SK).s();
            if (!key.equals(lastKey)) {
                lastKey = key;
                lastKeyInstances.clear();
            }
            return !lastKeyInstances.add(entry.get(ItemContract.INSTANCE).s());
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
