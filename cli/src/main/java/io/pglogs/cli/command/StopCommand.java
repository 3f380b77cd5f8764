package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.term.Prompt;
import io.pglogs.cli.terraform.TerraformSteps;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    DeploymentOptions deployment;

    @Mixin
    ConfirmOptions confirm;

    @Option(names = "--include-data", description = "Also destroy the log table and every stored entry.")
    boolean includeData;

    @Option(names = "--discard-failed", description = "Stop although the failure queue holds payloads that were "
            + "never stored: destroying the collectors deletes the queue and them with it.")
    boolean discardFailed;

    @Mixin
    EnvArgument environment;

    /** The environment argument or --env, once the command runs. */
    Environment env;

    @Override
    public Integer call() {
        env = environment.required();
        PrintWriter out = spec.commandLine().getOut();
        Prompt prompt = new Prompt(ctx, out);
        String table = ctx.settings().get(Setting.TABLE, env).value();
        if (includeData && env.isProd()) {
            // Asked before anything is destroyed, so a refusal leaves prod exactly as it was.
            out.println(deployment.style().error("This destroys the prod table " + table
                    + " and every log entry in it."));
            out.println("The prod table has deletion protection and prevent_destroy; the destroy fails until both "
                    + "are lifted: in terraform/persistent_data/manage_prod/main.tf set prevent_destroy = false and "
                    + "deletion_protection = false, swap from and to in its moved block, and apply that first.");
            if (!prompt.typed("Type the environment name (prod) to destroy its data: ", "prod",
                    "refusing to destroy the prod table without a typed confirmation: run 'pglogs stop prod "
                            + "--include-data' at a terminal")) {
                throw new FailureException("not confirmed: nothing was destroyed");
            }
        }
        if (!deployment.planOnly && !discardFailed) {
            refuseWhileFailedPayloadsWait();
        }
        Path dir = deployment.terraformDir(env);
        TerraformSteps steps = new TerraformSteps(deployment.runner(env, aws, out, spec.commandLine().getErr()),
                deployment.style(), out);
        TerraformSteps.Approval approval = env.isProd() && !confirm.yes()
                ? TerraformSteps.typedYes(prompt, "stopping prod needs a confirmation: run at a terminal, or pass "
                        + "--yes")
                : what -> true;
        int total = includeData ? 2 : 1;
        steps.run("[1/" + total + "] collectors/manage_" + env, env.collectorsRoot(dir),
                TerraformSteps.Mode.DESTROY,
                deployment.collectorVariables(env, aws, Path.of(ctx.settings().get(Setting.LAMBDA_JAR, env).value())),
                deployment.planOnly, approval);
        if (includeData) {
            TerraformSteps.Approval dataApproval = env.isProd() ? what -> true
                    : confirm.yes() ? what -> true
                    : TerraformSteps.typedYes(prompt, "destroying the devel table needs a confirmation: run at a "
                            + "terminal, or pass --yes");
            steps.run("[2/2] persistent_data/manage_" + env, env.persistentDataRoot(dir),
                    TerraformSteps.Mode.DESTROY, deployment.persistentDataVariables(env, aws), deployment.planOnly,
                    dataApproval);
        }
        if (!ctx.quiet() && !deployment.planOnly) {
            out.println(deployment.style().ok(includeData
                    ? env + " is stopped and its table destroyed."
                    : env + " is stopped; the logs stored in " + table + " stay until their TTL."));
        }
        return ExitCode.OK;
    }

    /** The failure queue goes with the collectors: payloads still in it would be lost for good. */
    private void refuseWhileFailedPayloadsWait() {
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        try (AwsClients clients = aws.clients(env)) {
            FailureQueue.find(clients.lambda(), clients.sqs(), function).ifPresent(queue -> {
                long waiting = queue.depth();
                if (waiting > 0) {
                    throw new PreconditionException("the failure queue " + queue.name() + " holds " + waiting
                            + " payload(s) that were never stored, and stopping deletes it: replay them with "
                            + "'pglogs failed redrive " + env + "' first, or pass --discard-failed to lose them; "
                            + "nothing was changed");
                }
            });
        }
    }
}
