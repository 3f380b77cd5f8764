package io.pglogs.cli.command;

import io.pglogs.cli.app.Retentions;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.RetentionView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Show the retention and stored bytes of every PostgreSQL log group and of the "
        + "forwarder log groups; groups that never expire are flagged.")
public final class RetentionShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RetentionShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        try (Session session = ctx.session(ctx.environment(null), aws.flags())) {
            new RetentionView(spec.commandLine().getOut(), ctx.style(), ctx.quiet())
                    .shown(Retentions.of(session).show(), output.json());
        }
        return ExitCode.OK;
    }
}
