package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.status.StatusCollector;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.cli.status.StatusText;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = {
        "Show an environment's deployment as AWS sees it: table, TTL, backups, function, subscriptions, retention.",
        "Exits 0 when healthy, 1 when it found problems (listed at the end)."})
public final class StatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    public StatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    EnvArgument env;

    @Override
    public Integer call() throws Exception {
        Environment e = ctx.settings().environment(env.given());
        Settings s = ctx.settings();
        StatusReport report;
        try (AwsClients clients = aws.clients(e)) {
            StatusCollector collector = new StatusCollector(clients.dynamoDb(), clients.lambda(), clients.logs(),
                    clients.sqs(), Clock.systemUTC());
            report = collector.collect(
                    e.name(), clients.region().id(), s.get(Setting.TABLE, e).value(), s.get(Setting.FUNCTION, e).value(),
                    Settings.list(s.get(Setting.RDS_INSTANCES, e)), Settings.list(s.get(Setting.AURORA_CLUSTERS, e)),
                    e.isProd());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(io.pglogs.cli.term.Json.pretty(
                    new Json(report, report.healthy())));
        } else {
            new StatusText(new Style(ctx.color())).print(report, out);
        }
        out.flush();
        return report.healthy() ? ExitCode.OK : ExitCode.FAILURE;
    }

    /** The report plus its verdict, for scripts. */
    record Json(@com.fasterxml.jackson.annotation.JsonUnwrapped StatusReport report, boolean healthy) {
    }
}
