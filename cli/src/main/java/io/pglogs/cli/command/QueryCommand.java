package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EntryMatchOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.cli.query.Filters;
import io.pglogs.cli.query.LogReader;
import io.pglogs.cli.query.LogRow;
import io.pglogs.cli.query.RowWriter;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "query", description = {
        "Print stored entries in time order, filtered: by default every instance's entries of the last hour.",
        "Reads with Query per instance, UTC day and shard (never a Scan), in parallel, printing as pages arrive. "
                + "Entries past their TTL are hidden even before DynamoDB deletes them."})
public final class QueryCommand implements Callable<Integer> {
    private final CliContext ctx;

    public QueryCommand(CliContext ctx) {
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

    @Mixin
    EntryMatchOptions entries;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "At most N entries.")
    Integer limit;

    @Option(names = {"-r", "--reverse"}, description = "Newest first.")
    boolean reverse;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "Queries in flight at once "
            + "(default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        Instant now = Instant.now();
        TimeWindow window = entries.window(time, "1h", now);
        Instant from = window.from();
        Instant to = window.until();
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 256");
        }
        Filters filters = entries.filters(selection.filters(spec));
        RowWriter.Format format = RowWriter.Format.valueOf(
                OutputOptions.format(spec, EnumSet.allOf(OutputOptions.Format.class)).name());
        PrintWriter out = spec.commandLine().getOut();
        RowWriter writer = RowWriter.of(format, out, new Style(ctx.color()));
        long started = System.nanoTime();
        int printed = 0;
        try (AwsClients clients = aws.clients(table.environment());
             LogReader reader = table.reader(clients.dynamoDb(), concurrency)) {
            List<String> instances = selection.instances(reader, from, to);
            writer.start();
            Iterator<LogRow> rows = entries.rows(reader, instances, from, to, filters, reverse, now);
            while (rows.hasNext() && (limit == null || printed < limit)) {
                LogRow row = rows.next();
                if (filters.matchesLocally(row)) {
                    writer.row(row);
                    printed++;
                    if (ctx.terminal()) {
                        out.flush();
                    }
                }
            }
            writer.end();
            if (ctx.verbose()) {
                spec.commandLine().getErr().printf("pglogs: %d entries from %d instance(s); DynamoDB read %d, "
                        + "returned %d, in %d queries, %d ms%n", printed, instances.size(), reader.stats().scanned(),
                        reader.stats().returned(), reader.stats().queries(), (System.nanoTime() - started) / 1_000_000);
            }
        }
        if (printed == 0 && format == RowWriter.Format.text && !ctx.quiet()) {
            spec.commandLine().getErr().println("pglogs: no entries between " + from + " and " + to);
        }
        return ExitCode.OK;
    }
}
