package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.LogRow;
import io.pglogs.cli.query.RowWriter;
import io.pglogs.cli.query.StoredEntries;
import io.pglogs.forwarder.dynamo.CompactItems;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Command(name = "tail", description = {
        "Print recent entries and, with --follow, keep printing every entry stored after it started, whatever its "
                + "own time (Lambda's retries deliver some hours late), each once, until interrupted.",
        "Following reads the table's DynamoDB stream every second. A table without a stream (deployed before "
                + "pglogs enabled it: run pglogs start again) is polled over the last five minutes instead."})
public final class TailCommand implements Callable<Integer> {
    /** Without a stream: how far back each poll looks for entries delivered late. */
    static final Duration LOOKBACK = Duration.ofMinutes(5);
    /** Entries followed from the stream whose keys are kept, to print an entry stored again only once. */
    static final int STREAMED_REMEMBERED = 100_000;

    private final CliContext ctx;

    public TailCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    TableOptions table;

    @Mixin
    SelectionOptions selection;

    @Mixin
    TimeWindowOptions time;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new entries until interrupted.")
    boolean follow;

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "1000", hidden = true)
    long pollMillis;

    @Override
    public Integer call() {
        RowWriter.Format format = RowWriter.Format.valueOf(
                OutputOptions.format(spec, EnumSet.of(OutputOptions.Format.text, OutputOptions.Format.ndjson)).name());
        Instant start = Instant.now();
        TimeWindow window = follow ? new TimeWindow(time.start("10m", start), null) : time.window("10m", start);
        Instant from = window.from();
        Filters filters = selection.filters(spec);
        PrintWriter out = spec.commandLine().getOut();
        RowWriter writer = RowWriter.of(format, out, new Style(ctx.color()));
        // Keys printed, with the time they are for: a poll re-reads the last minutes and must not print twice.
        Map<String, Instant> printed = new HashMap<>();
        try (AwsClients clients = aws.clients(table.environment());
             LogReader reader = table.reader(clients.dynamoDb(), 16)) {
            // Positioned before the first read, so an entry stored meanwhile is in one or the other (or both: once).
            Optional<StoredEntries> stored = follow
                    ? StoredEntries.startNow(clients.dynamoDb(), clients.dynamoDbStreams(), table.table())
                    : Optional.empty();
            Instant now = Instant.now();
            print(reader, from, window.until() == null ? now : window.until(), filters, writer, printed);
            out.flush();
            if (stored.isPresent()) {
                return followStream(stored.get(), filters, writer, printed, out);
            }
            if (follow) {
                spec.commandLine().getErr().println(new Style(ctx.color()).warn("pglogs: table " + table.table()
                        + " has no stream: following the last " + LOOKBACK.toMinutes() + " minutes of entry time "
                        + "only; run pglogs start " + table.environment() + " to enable it"));
            }
            while (follow) {
                if (!pause()) {
                    return ExitCode.INTERRUPTED;
                }
                now = Instant.now();
                Instant pollFrom = now.minus(LOOKBACK);
                print(reader, pollFrom.isBefore(from) ? from : pollFrom, now.plusSeconds(60), filters, writer,
                        printed);
                out.flush();
                printed.values().removeIf(t -> t.isBefore(pollFrom.minus(LOOKBACK)));
            }
        }
        return ExitCode.OK;
    }

    /**
     * Every entry the stream shows inserted (those of a compact item each), selected as the first read was, unless
     * that read or the stream printed it already: the same entries packed differently (a backfill over delivered
     * hours) arrive in new items.
     */
    private int followStream(StoredEntries stored, Filters filters, RowWriter writer, Map<String, Instant> printed,
                             PrintWriter out) {
        Set<String> wanted = selection.named().isEmpty() ? null : Set.copyOf(selection.named());
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
                    if ((wanted == null || wanted.contains(row.instance())) && filters.matches(row)
                            && !(expires instanceof Long e && e <= now)) {
                        boolean printedFirst = printed.remove(key(row)) != null;
                        boolean streamedBefore = streamed.put(key(row), Boolean.TRUE) != null;
                        if (!printedFirst && !streamedBefore) {
                            writer.row(row);
                        }
                    }
                }
            }
            out.flush();
        }
        return ExitCode.INTERRUPTED;
    }

    /** Waits for the next poll; false when interrupted (Ctrl-C), the interrupt kept. */
    private boolean pause() {
        try {
            Thread.sleep(pollMillis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void print(LogReader reader, Instant from, Instant until, Filters filters, RowWriter writer,
                       Map<String, Instant> printed) {
        List<String> instances = selection.instances(reader, from, until);
        Iterator<LogRow> rows = reader.read(instances, from, until, filters, false, Instant.now());
        List<LogRow> fresh = new ArrayList<>();
        while (rows.hasNext()) {
            LogRow row = rows.next();
            if (filters.matchesLocally(row) && !printed.containsKey(key(row))) {
                fresh.add(row);
            }
        }
        for (LogRow row : fresh) {
            writer.row(row);
            printed.put(key(row), Instant.parse(row.ts()));
        }
    }

    /** Sort keys are unique within an instance's partitions; imported ids (file@offset) may repeat across them. */
    private static String key(LogRow row) {
        return row.instance() + ' ' + row.sortKey();
    }
}
