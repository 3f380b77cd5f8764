package io.pglogs.cli.command;

import io.pglogs.cli.app.Session;
import io.pglogs.cli.app.Statuses;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.cli.view.StatusView;
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
    public Integer call() {
        StatusReport report;
        try (Session session = ctx.session(ctx.environment(env.given()), aws.flags())) {
            report = Statuses.of(session).collect();
        }
        new StatusView(spec.commandLine().getOut(), ctx.style()).print(report, output.json());
        return report.healthy() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
