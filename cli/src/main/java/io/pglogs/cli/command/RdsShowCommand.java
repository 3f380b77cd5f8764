package io.pglogs.cli.command;

import io.pglogs.cli.app.RdsLogging;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.RdsTargetOptions;
import io.pglogs.cli.view.RdsView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Show an instance's or cluster's parameter group, its logging parameters, whether "
        + "a reboot is pending, whether the postgresql log is exported to CloudWatch, and its log_timezone beside the "
        + "one pglogs reads the log with.")
public final class RdsShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RdsShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    RdsTargetOptions target;

    @Override
    public Integer call() {
        RdsLogging.Target database = target.target();
        try (Session session = ctx.session(ctx.environment(null), aws.flags())) {
            RdsLogging.Inspection found = RdsLogging.of(session).show(database);
            new RdsView(spec.commandLine().getOut(), ctx.style(), session.env().name()).shown(found, output.json());
        }
        return ExitCode.OK;
    }
}
