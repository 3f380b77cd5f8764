package io.pglogs.cli.command;

import io.pglogs.cli.app.Ingest;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.LogTimezoneOptions;
import io.pglogs.cli.option.RollupOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.FailedView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "redrive", description = {
        "Replay the payloads in an environment's failure queue through the forwarder's own code, with the "
                + "deployment's TTL, shards and redaction.",
        "A message is deleted only once its entries are written; one that still fails stays in the queue and its "
                + "reason is printed. Keys are CloudWatch's event ids, so running it again duplicates nothing. Exits 1 "
                + "when payloads still fail."})
public final class FailedRedriveCommand implements Callable<Integer> {
    private final CliContext ctx;

    public FailedRedriveCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    LogTimezoneOptions zone;

    @Mixin
    RollupOptions rollups;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    EnvArgument environment;

    @Override
    public Integer call() throws Exception {
        try (Session session = ctx.session(environment.required(), aws.flags())) {
            Ingest.RedriveReport report = Ingest.of(session, ctx.console(spec)).redrive(zone.zones(session.env()),
                    rollups.rollup());
            new FailedView(spec.commandLine().getOut(), ctx.style(), ctx.quiet()).redriven(report,
                    session.tableName(), output.json());
            return report.stillFailing().isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
        }
    }
}
