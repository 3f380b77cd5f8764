package io.pglogs.cli.command;

import io.pglogs.cli.app.Queries;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EntryMatchOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.SelectionOptions;
import io.pglogs.cli.option.TableOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.cli.view.QueryView;
import io.pglogs.cli.view.RowWriter;
import java.time.Instant;
import java.util.EnumSet;
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
public final class QueryCommand implements Callable<Integer>, OutputOptions.OwnFormats {
    private final CliContext ctx;

    public QueryCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    EnvOptions env;

    @Mixin
    SelectionOptions selection;

    @Mixin
    TableOptions table;

    @Mixin
    TimeWindowOptions time;

    @Mixin
    EntryMatchOptions entries;

    @Option(names = {"-n", "--limit"}, paramLabel = "N",
            description = "At most N matching entries (with --context each has its context, not counted).")
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
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 256");
        }
        Queries.Request request = new Queries.Request(selection.named(), window.from(), window.until(),
                entries.filters(selection.filters(spec)), reverse, limit, concurrency, entries.context());
        QueryView view = new QueryView(RowWriter.Format.valueOf(OutputOptions.format(spec,
                EnumSet.of(OutputOptions.Format.text, OutputOptions.Format.json, OutputOptions.Format.ndjson,
                        OutputOptions.Format.csv)).name()), spec.commandLine().getOut(),
                spec.commandLine().getErr(), ctx.style(), ctx.terminal());
        try (Session session = table.apply(ctx.session(ctx.environment(env.given()), aws.flags()))) {
            Queries.Result result = Queries.of(session).read(request, now, view);
            view.end(result, window.from(), window.until(), ctx.verbose(), ctx.quiet());
            return result.unknown().isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }
}
