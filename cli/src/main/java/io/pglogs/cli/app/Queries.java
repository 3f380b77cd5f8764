package io.pglogs.cli.app;

import io.pglogs.cli.query.ContextRows;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.LogRow;
import io.pglogs.cli.query.QueryStats;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;

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

    /** What was read: entries handed on, instances read, DynamoDB's figures, and the time it took. */
    public record Result(int entries, int instances, QueryStats stats, long millis) {
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
            List<String> instances = request.instances().isEmpty()
                    ? reader.instances(request.from(), request.until()) : request.instances();
            sink.start();
            Iterator<LogRow> matches = reader.read(instances, request.from(), request.until(), request.filters(),
                    request.reverse(), now);
            Iterator<LogRow> rows = request.context() == null ? matches
                    : new ContextRows(reader, matches, request.filters(), request.context(), now);
            handed = hand(rows, request.limit(), request.filters(),
                    rows instanceof ContextRows c ? c::groupContinues : () -> false, sink);
            return new Result(handed, instances.size(), reader.stats(), (System.nanoTime() - started) / 1_000_000);
        }
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
        while (limit == null || matched < limit || groupContinues.getAsBoolean()) {
            if (!rows.hasNext()) {
                break;
            }
            LogRow row = rows.next();
            if (!filters.matchesLocally(row)) {
                continue;
            }
            String mark = row.text(ContextRows.CONTEXT);
            boolean match = mark == null || ContextRows.MATCH.equals(mark);
            if (limit != null && matched >= limit && !ContextRows.AFTER.equals(mark)) {
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
