package io.pglogs.cli.app;

import io.pglogs.cli.query.ContextRows;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.QueryStats;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reading stored entries in time order: every instance of the window, or those named, filtered. */
public final class Queries {
    /**
     * @param instances   those named; empty: every instance with entries in the window (from the catalogue)
     * @param limit       at most this many matches (with context: the last one's group finished, its context
     *                    rows not counted); null: all
     * @param concurrency Query requests in flight at once
     * @param context     entries of the same instance and process shown before and after each match; null: none
     */
    public record Request(List<String> instances, Instant from, Instant until, Filters filters, boolean reverse,
                          Integer limit, int concurrency, Integer context) {
    }

    /**
     * What was read: entries handed on, instances read, DynamoDB's figures, and the time it took.
     *
     * @param unknown the named instances the table has never seen, each with the known names closest to it
     */
    public record Result(int entries, int instances, QueryStats stats, long millis, List<UnknownInstance> unknown) {
    }

    /** Where the entries go: told once the table and instances are known, then each entry as it arrives. */
    public interface Sink {
        void start();

        void row(LogRow row);
    }

    private final Session session;

    private Queries(Session session) {
        this.session = session;
    }

    public static Queries of(Session session) {
        return new Queries(session);
    }

    /** Hands each matching entry to {@code sink} as its page arrives, oldest first (newest with reverse). */
    public Result read(Request request, Instant now, Sink sink) {
        long started = System.nanoTime();
        int handed = 0;
        try (LogReader reader = new LogReader(session.aws().dynamoDb(), session.tableName(), session.layout(),
                request.concurrency())) {
            Set<String> handedFrom = new HashSet<>();
            List<String> instances = request.instances().isEmpty()
                    ? reader.instances(request.from(), request.until()) : request.instances();
            sink.start();
            Iterator<LogRow> matches = reader.read(instances, request.from(), request.until(), request.filters(),
                    request.reverse(), now);
            Iterator<LogRow> rows = request.context() == null ? matches
                    : new ContextRows(reader, matches, request.filters(), request.context(), now, request.reverse(),
                    request.from(), request.until());
            Sink recording = new Sink() {
                @Override
                public void start() {
                }

                @Override
                public void row(LogRow row) {
                    handedFrom.add(row.instance());
                    sink.row(row);
                }
            };
            handed = hand(rows, request.limit(), request.filters(),
                    rows instanceof ContextRows c ? c::groupContinues : () -> false, recording);
            List<UnknownInstance> unknown = request.limit() != null && handed >= request.limit() ? List.of()
                    : unknown(reader, request.instances().stream().filter(i -> !handedFrom.contains(i)).toList(),
                    now);
            return new Result(handed, instances.size(), reader.stats(), (System.nanoTime() - started) / 1_000_000,
                    unknown);
        }
    }

    /**
     * Of the named instances that gave no entry, those no catalogue item names over the days entries are kept (the
     * table's pglogs:ttl_days): a typo, or an instance never collected, rather than a quiet window. Asked only when
     * one gave nothing, so a query that finds entries costs no more.
     */
    List<UnknownInstance> unknown(List<String> silent, Instant now) {
        if (silent.isEmpty()) {
            return List.of();
        }
        try (LogReader reader = new LogReader(session.aws().dynamoDb(), session.tableName(), session.layout(), 1)) {
            return unknown(reader, silent, now);
        }
    }

    private List<UnknownInstance> unknown(LogReader reader, List<String> silent, Instant now) {
        if (silent.isEmpty()) {
            return List.of();
        }
        int ttlDays = session.table().map(t -> t.tags().ttlDays()).orElse(ItemContract.DEFAULT_TTL_DAYS);
        List<String> known = reader.instances(now.minus(Duration.ofDays(ttlDays)), now);
        return silent.stream().filter(i -> !known.contains(i)).map(i -> UnknownInstance.of(i, known)).toList();
    }

    /**
     * Hands rows to {@code sink} until {@code limit} matches are handed: context rows ({@link ContextRows}) are not
     * counted, and the last match's group is finished (its rows after it), never a new group begun.
     *
     * @param groupContinues whether the next row is context after the last match given (read without reading on)
     * @return the rows handed
     */
    static int hand(Iterator<LogRow> rows, Integer limit, Filters filters,
                    java.util.function.BooleanSupplier groupContinues, Sink sink) {
        int handed = 0;
        int matched = 0;
        while (true) {
            // Asked before reading on: past the limit only the last group's rows already read are handed.
            boolean continues = groupContinues.getAsBoolean();
            if (limit != null && matched >= limit && !continues || !rows.hasNext()) {
                break;
            }
            LogRow row = rows.next();
            if (!filters.matchesLocally(row)) {
                continue;
            }
            String mark = row.text(LogRow.CONTEXT);
            boolean match = mark == null || ContextRows.MATCH.equals(mark);
            if (limit != null && matched >= limit && match) {
                break;
            }
            sink.row(row);
            handed++;
            if (match) {
                matched++;
            }
        }
        return handed;
    }
}
