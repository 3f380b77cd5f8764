package io.pglogs.cli.command;

import io.pglogs.cli.app.Deployments;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.TerraformOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stop", description = {
        "Stop collecting: destroy the collectors of an environment. The stored logs stay.",
        "--include-data also destroys the table: for devel after a confirmation, for prod only after typing the "
                + "environment's name at a prompt (--yes does not skip that)."})
public final class StopCommand implements Callable<Integer> {
    private final CliContext ctx;

    public StopCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    TerraformOptions terraform;

    @Mixin
    ConfirmOptions confirm;

    @Option(names = "--include-data", description = "Also destroy the log table and every stored entry.")
    boolean includeData;

    @Option(names = "--discard-failed", description = "Stop although the failure queue holds payloads that were "
            + "never stored: destroying the collectors deletes the queue and them with it.")
    boolean discardFailed;

    @Option(names = "--adopt", description = "First import into the state what exists of the collectors in AWS "
            + "(function, role, queue, log group, permission, subscriptions), so that the destroy removes it: for "
            + "collectors started with a state this working copy cannot use.")
    boolean adopt;

    @Mixin
    EnvArgument environment;

    @Override
    public Integer call() {
        try (Session session = ctx.session(environment.required(), aws.flags())) {
            Deployments.of(session, ctx.console(spec)).stop(new Deployments.StopRequest(terraform.flags(),
                    confirm.yes(), includeData, discardFailed, adopt));
        }
        return ExitCode.OK;
    }
}
