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
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tail", description = {
        "Print recent entries and, with --follow, keep printing new ones as they are stored, each once, until "
                + "interrupted.",
        "Following polls every second over the last few minutes, so entries delivered late still show."})
public final class TailCommand implements Callable<Integer> {
    /** How far back each poll looks for entries delivered late (CloudWatch delivers within seconds, rarely minutes). */
    static final Duration LOOKBACK = Duration.ofMinutes(5);

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
            Instant now = Instant.now();
            print(reader, from, window.until() == null ? now : window.until(), filters, writer, printed);
            out.flush();
            while (follow) {
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
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

    private void print(LogReader reader, Instant from, Instant until, Filters filters, RowWriter writer,
                       Map<String, Instant> printed) {
        List<String> instances = selection.instances(reader, from, until);
        Iterator<LogRow> rows = reader.read(instances, from, until, filters, false, Instant.now());
        List<LogRow> fresh = new ArrayList<>();
        while (rows.hasNext()) {
            LogRow row = rows.next();
            if (filters.matchesLocally(row) && !printed.containsKey(row.sortKey())) {
                fresh.add(row);
            }
        }
        for (LogRow row : fresh) {
            writer.row(row);
            printed.put(row.sortKey(), Instant.parse(row.ts()));
        }
    }
}
