package io.pglogs.cli.command;

import io.pglogs.cli.app.Reports;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.ClusterOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.SelectionOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.cli.view.ReportView;
import io.pglogs.report.ReportBuilder;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "report", description = {
        "What pgBadger would say about the stored logs of a window: statements, errors, locks, temp files, "
                + "checkpoints, vacuum, connections. By default every instance's last 24 hours.",
        "Counts from the summaries written at ingest; reads entries (Query, never a Scan) only where it must, as "
                + "the overview says. docs/report.md describes every number and the JSON schema."})
public final class ReportCommand implements Callable<Integer>, OutputOptions.OwnFormats {
    private final CliContext ctx;

    public ReportCommand(CliContext ctx) {
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
    ClusterOptions clusters;

    @Mixin
    TimeWindowOptions time;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Rows per table; above "
            + ReportBuilder.SUMMARY_EVENTS + " the report reads entries, not summaries (a summary keeps "
            + ReportBuilder.SUMMARY_EVENTS + " of each list) (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--no-summaries", description = "Count every entry one by one, as before summaries: slower, the "
            + "same report.")
    boolean noSummaries;

    @Option(names = "--max-fingerprints", paramLabel = "N", defaultValue = "5000", description = "Distinct statements, "
            + "error messages, tables and clients held at once; past it the least seen are folded and the report says "
            + "how many (default: ${DEFAULT-VALUE}).")
    int maxFingerprints;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16", description = "Queries in flight at once "
            + "(default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        Instant now = Instant.now();
        TimeWindow window = time.window("24h", now);
        if (top < 1 || maxFingerprints < top) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1 and --max-fingerprints at "
                    + "least --top");
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new ParameterException(spec.commandLine(), "--concurrency must be from 1 to 256");
        }
        if (clusters.all().size() > 1 || !clusters.all().isEmpty() && !selection.named().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "report takes one --cluster, without --instance");
        }
        ReportView view = ReportView.of(OutputOptions.format(spec, EnumSet.of(OutputOptions.Format.text,
                        OutputOptions.Format.json, OutputOptions.Format.html)).name(), spec.commandLine().getOut(), spec.commandLine().getErr(),
                ctx.style(), ctx.terminalWidth());
        Reports.Request request = new Reports.Request(selection.named(), clusters.all().isEmpty() ? null
                : clusters.all().get(0), window.from(), window.until(), selection.filters(spec),
                new ReportBuilder.Options(top, maxFingerprints), concurrency, !noSummaries);
        try (Session session = ctx.session(ctx.environment(env.given()), aws.flags())) {
            Reports.Result result = Reports.of(session, ctx.console(spec)).report(request, now);
            view.print(result, ctx.verbose(), ctx.quiet());
            return result.read().unknown().isEmpty() && result.unknownCluster() == null ? ExitCode.OK
                    : ExitCode.FAILURE;
        }
    }
}
