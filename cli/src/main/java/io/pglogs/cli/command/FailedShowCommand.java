package io.pglogs.cli.command;

import io.pglogs.cli.app.FailedPayloads;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.FailedView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", description = {
        "Show the payloads waiting in an environment's failure queue: how many, how old, from which log groups, and "
                + "the first error.",
        "Reading hides each message for a moment and hands it straight back; nothing is removed."})
public final class FailedShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public FailedShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "Read at most N payloads "
            + "(default: ${DEFAULT-VALUE}); the count covers them all.")
    int limit;

    @Mixin
    EnvArgument environment;

    @Override
    public Integer call() {
        try (Session session = ctx.session(environment.required(), aws.flags())) {
            FailedPayloads.Report report = FailedPayloads.of(session).show(limit);
            new FailedView(spec.commandLine().getOut(), ctx.style(), ctx.quiet()).shown(report,
                    session.env().name(), session.functionName(), session.local(), output.json());
        }
        return ExitCode.OK;
    }
}
