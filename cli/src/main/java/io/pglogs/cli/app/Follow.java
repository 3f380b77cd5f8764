package io.pglogs.cli.app;

import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.StoredEntries;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Recent entries and, when following, every entry stored after it started, whatever its own time (Lambda's retries
 * deliver some hours late), each once, until interrupted: from the table's DynamoDB stream, or, for a table without
 * one, by polling the last minutes of entry time.
 */
public final class Follow {
    /** Without a stream: how far back each poll looks for entries delivered late. */
    static final Duration LOOKBACK = Duration.ofMinutes(5);
    /** Entries followed from the stream whose keys are kept, to print an entry stored again only once. */
    static final int STREAMED_REMEMBERED = 100_000;

    /**
     * @param instances  those named; empty: every instance
     * @param until      the end of the first read; null: now
     * @param pollMillis the pause between polls
     */
    public record Request(List<String> instances, Instant from, Instant until, Filters filters, boolean follow,
                          long pollMillis) {
    }

    private final Session session;
    private final Console console;
    private final Request request;
    private final Consumer<LogRow> sink;
    /** Keys printed, with the time they are for: a poll re-reads the last minutes and must not print twice. */
    private final Map<String, Instant> printed = new HashMap<>();

    private Follow(Session session, Console console, Request request, Consumer<LogRow> sink) {
        this.session = session;
        this.console = console;
        this.request = request;
        this.sink = sink;
    }

    /**
     * Reads, then follows when asked.
     *
     * @param sink receives each entry once; the console's out is flushed after each batch
     * @return false when following was interrupted (Ctrl-C)
     */
    public static boolean run(Session session, Console console, Request request, Consumer<LogRow> sink) {
        return new Follow(session, console, request, sink).run();
    }

    private boolean run() {
        try (LogReader reader = new LogReader(session.aws().dynamoDb(), session.tableName(), session.layout(), 16)) {
            // Positioned before the first read, so an entry stored meanwhile is in one or the other (or both: once).
            Optional<StoredEntries> stored = request.follow() ? StoredEntries.startNow(session.aws().dynamoDb(),
                    session.aws().dynamoDbStreams(), session.tableName()) : Optional.empty();
            Instant now = Instant.now();
            print(reader, request.from(), request.until() == null ? now : request.until());
            console.out().flush();
            if (stored.isPresent()) {
                return followStream(stored.get());
            }
            if (request.follow()) {
                console.err().println(console.style().warn("pglogs: table " + session.tableName() + " has no stream: "
                        + "following the last " + LOOKBACK.toMinutes() + " minutes of entry time only; run pglogs "
                        + "start " + session.env() + " to enable it"));
            }
            while (request.follow()) {
                if (!pause()) {
                    return false;
                }
                now = Instant.now();
                Instant pollFrom = now.minus(LOOKBACK);
                print(reader, pollFrom.isBefore(request.from()) ? request.from() : pollFrom, now.plusSeconds(60));
                console.out().flush();
                printed.values().removeIf(t -> t.isBefore(pollFrom.minus(LOOKBACK)));
            }
            return true;
        }
    }

    /**
     * Every entry the stream shows inserted (those of a compact item each), selected as the first read was, unless
     * that read or the stream printed it already: the same entries packed differently (a backfill over delivered
     * hours) arrive in new items.
     */
    private boolean followStream(StoredEntries stored) {
        Set<String> wanted = request.instances().isEmpty() ? null : Set.copyOf(request.instances());
        Map<String, Boolean> streamed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > STREAMED_REMEMBERED;
            }
        };
        while (pause()) {
            long now = Instant.now().getEpochSecond();
            for (Map<String, AttributeValue> item : stored.poll()) {
                for (Map<String, AttributeValue> entry : CompactItems.entries(item)) {
                    LogRow row = LogRow.of(entry);
                    Object expires = row.attributes().get(ItemContract.EXPIRES_AT);
                    if ((wanted == null || wanted.contains(row.instance())) && request.filters().matches(row)
                            && !(expires instanceof Long e && e <= now)) {
                        boolean printedFirst = printed.remove(key(row)) != null;
                        boolean streamedBefore = streamed.put(key(row), Boolean.TRUE) != null;
                        if (!printedFirst && !streamedBefore) {
                            sink.accept(row);
                        }
                    }
                }
            }
            console.out().flush();
        }
        return false;
    }

    /** Waits for the next poll; false when interrupted (Ctrl-C), the interrupt kept. */
    private boolean pause() {
        try {
            Thread.sleep(request.pollMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void print(LogReader reader, Instant from, Instant until) {
        List<String> instances = request.instances().isEmpty() ? reader.instances(from, until) : request.instances();
        Iterator<LogRow> rows = reader.read(instances, from, until, request.filters(), false, Instant.now());
        List<LogRow> fresh = new ArrayList<>();
        while (rows.hasNext()) {
            LogRow row = rows.next();
            if (request.filters().matchesLocally(row) && !printed.containsKey(key(row))) {
                fresh.add(row);
            }
        }
        for (LogRow row : fresh) {
            sink.accept(row);
            printed.put(key(row), Instant.parse(row.ts()));
        }
    }

    /** Sort keys are unique within an instance's partitions; imported ids (file@offset) may repeat across them. */
    private static String key(LogRow row) {
        return row.instance() + ' ' + row.sortKey();
    }
}
