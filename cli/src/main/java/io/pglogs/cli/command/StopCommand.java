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
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.terraform.Adoption;
import io.pglogs.cli.terraform.Adoptions;
import io.pglogs.cli.terraform.DeployedCollectors;
import io.pglogs.cli.terraform.TerraformSteps;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--adopt", description = "First import into the state what exists of the collectors in AWS "
            + "(function, role, queue, log group, permission, subscriptions), so that the destroy removes it: for "
            + "collectors started with a state this working copy cannot use.")
    boolean adopt;

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
        // Settings first: a bad one is exit 2 before any AWS call.
        TerraformSteps steps = deployment.steps(env, aws, out, spec.commandLine().getErr(), confirm.yes(),
                what -> true);
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        Path dir = deployment.terraformDir(env);
        Path collectors = env.collectorsRoot(dir);
        try (AwsClients clients = aws.clients(env)) {
            CollectedDatabases databases = deployment.databases(env, clients);
            if (!deployment.planOnly && !discardFailed) {
                refuseWhileFailedPayloadsWait(clients);
            }
            TerraformSteps.Approval approval = env.isProd() && !confirm.yes()
                    ? TerraformSteps.typedYes(prompt, "stopping prod needs a confirmation: run at a terminal, or "
                            + "pass --yes")
                    : what -> true;
            List<Adoption> adoptions = List.of();
            if (adopt) {
                // Subscriptions on groups no longer configured are adopted too: the destroy then removes them,
                // rather than leaving filters that point at a deleted function.
                DeployedCollectors found = DeployedCollectors.lookEverywhere(clients, env.name(), function,
                        databases.logGroups());
                databases = databases.withLogGroups(found.subscribed());
                adoptions = Adoptions.collectors(clients, env.name(), ctx.settings().get(Setting.TABLE, env).value(),
                        function, found);
            }
            int total = includeData ? 2 : 1;
            steps.run("[1/" + total + "] collectors/manage_" + env, collectors, TerraformSteps.Mode.DESTROY,
                    deployment.collectorVariables(env, aws, Path.of(ctx.settings().get(Setting.LAMBDA_JAR, env)
                            .value()), databases), deployment.planOnly, approval,
                    new TerraformSteps.Preparation(adoptions, what -> true, List.of()));
            if (!deployment.planOnly) {
                checkAws(clients, function, databases.logGroups(), deployment.state(env, aws).describe(collectors),
                        out);
            }
            if (includeData) {
                TerraformSteps.Approval dataApproval = env.isProd() ? what -> true
                        : confirm.yes() ? what -> true
                        : TerraformSteps.typedYes(prompt, "destroying the devel table needs a confirmation: run at "
                                + "a terminal, or pass --yes");
                steps.run("[2/2] persistent_data/manage_" + env, env.persistentDataRoot(dir),
                        TerraformSteps.Mode.DESTROY, deployment.persistentDataVariables(env, aws, null),
                        deployment.planOnly, dataApproval);
            }
        }
        if (!ctx.quiet() && !deployment.planOnly) {
            out.println(deployment.style().ok(includeData
                    ? env + " is stopped and its table destroyed."
                    : env + " is stopped; the logs stored in " + table + " stay until their TTL."));
        }
        return ExitCode.OK;
    }

    /**
     * AWS itself after the destroy: a function or subscription still there means the state used did not know them
     * (they were started with another state), and the environment is not stopped whatever the destroy said.
     */
    private void checkAws(AwsClients clients, String function, List<String> groups, String state, PrintWriter out) {
        DeployedCollectors left = DeployedCollectors.lookEverywhere(clients, env.name(), function, groups);
        if (left.gone()) {
            out.println(deployment.style().ok("==> checked in AWS: function " + function + " is gone and none of "
                    + "the region's " + left.looked() + " PostgreSQL log groups is subscribed to it"));
            return;
        }
        List<String> what = new ArrayList<>();
        if (left.functionExists()) {
            what.add("function " + function);
        }
        if (!left.subscribed().isEmpty()) {
            what.add(left.subscribed().size() + " subscription(s) (" + String.join(", ", left.subscribed()) + ")");
        }
        throw new FailureException(env + " is NOT stopped: AWS still has " + String.join(" and ", what)
                + ", which the state used (" + state + ") does not know: it was started with another state. Use "
                + "that state (" + Setting.STATE_BUCKET.key(env) + ", see 'pglogs state show " + env + "'), or run "
                + "'pglogs stop " + env + " --adopt' to import what exists and destroy it");
    }

    /** The failure queue goes with the collectors: payloads still in it would be lost for good. */
    private void refuseWhileFailedPayloadsWait(AwsClients clients) {
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
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
