package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.BadSettingException;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.term.Prompt;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.terraform.Adoptions;
import io.pglogs.cli.terraform.DeployedCollectors;
import io.pglogs.cli.terraform.TerraformSteps;
import io.pglogs.forwarder.dynamo.StorageFormat;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "start", description = {
        "Deploy an environment: the log table (persistent_data), then the collectors.",
        "Runs terraform/tofu init when needed, then plan and apply for each root. Prod shows each plan and asks for "
                + "confirmation unless --yes."})
public final class StartCommand implements Callable<Integer> {
    /**
     * Collectors deployed by earlier versions gave CloudWatch Logs one invoke permission per log group; the two that
     * replace them are added first, so that no delivery meets a function it may not invoke.
     */
    private static final TerraformSteps.FirstApply PERMISSIONS_BEFORE_PER_GROUP_ONES_GO = new TerraformSteps.FirstApply(
            "module.collectors.aws_lambda_permission.logs[",
            List.of("module.collectors.aws_lambda_permission.postgres_log_groups"),
            "they replace the per-group invoke permissions, which go only once these exist");

    private final CliContext ctx;

    public StartCommand(CliContext ctx) {
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

    @picocli.CommandLine.Option(names = "--lambda-jar", paramLabel = "JAR", description = "The forwarder jar (else "
            + "PGLOGS_LAMBDA_JAR, the config file, lambda/target/pglogs-forwarder.jar).")
    String lambdaJar;

    @picocli.CommandLine.Option(names = "--allow-removals", description = "Apply a plan that removes subscriptions "
            + "or the function without a terminal to confirm it (--yes alone does not).")
    boolean allowRemovals;

    @Mixin
    EnvArgument environment;

    /** The environment argument or --env, once the command runs. */
    Environment env;

    @Override
    public Integer call() {
        env = environment.required();
        PrintWriter out = spec.commandLine().getOut();
        Path jar = Path.of(ctx.settings().get(Setting.LAMBDA_JAR, env, "--lambda-jar", lambdaJar).value());
        if (!Files.isRegularFile(jar)) {
            throw new PreconditionException("the forwarder jar " + jar + " is missing: build it with "
                    + "'mvn -B package -DskipTests' in " + ctx.home());
        }
        Path dir = deployment.terraformDir(env);
        Prompt prompt = new Prompt(ctx, out);
        TerraformSteps.Approval approval = env.isProd() && !confirm.yes()
                ? TerraformSteps.typedYes(prompt,
                        "changing prod needs a confirmation: run at a terminal, or pass --yes")
                : what -> true;
        TerraformSteps.Approval removals = allowRemovals ? what -> true
                : TerraformSteps.typedYes(prompt, "this start removes subscriptions or the function: confirm at a "
                        + "terminal, or pass --allow-removals (--yes is not enough); nothing was changed");
        TerraformSteps steps = deployment.steps(env, aws, out, spec.commandLine().getErr(), confirm.yes(), removals);
        TerraformSteps.Approval adoptTable = confirm.yes() ? what -> true
                : TerraformSteps.typedYes(prompt, "adopting an existing table needs a confirmation: run "
                        + "at a terminal, or pass --yes");
        String table = ctx.settings().get(Setting.TABLE, env).value();
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        deployment.storage(env); // a bad <env>.storage is exit 2 before any AWS call
        try (AwsClients clients = aws.clients(env)) {
            StorageFormat storage = deployment.storage(env, clients.dynamoDb(), table);
            CollectedDatabases databases = deployment.databases(env, clients);
            if (databases.isEmpty()) {
                // An empty list would plan the removal of every subscription: never what a start means.
                throw new BadSettingException("no instances to collect from: " + (databases.auto()
                        ? "no PostgreSQL instance or cluster of the region matched with its log export on"
                        : "set " + Setting.RDS_INSTANCES.key(env) + " or " + Setting.AURORA_CLUSTERS.key(env)
                        + " (or " + Setting.RDS_INSTANCES.variable(env) + "), or auto")
                        + "; to stop collecting use 'pglogs stop " + env + "'");
            }
            printDatabases(databases, out);
            steps.run("[1/2] persistent_data/manage_" + env, env.persistentDataRoot(dir), TerraformSteps.Mode.APPLY,
                    deployment.persistentDataVariables(env, aws, storage), deployment.planOnly, approval,
                    new TerraformSteps.Preparation(Adoptions.table(clients.dynamoDb(), table, env.name(), env.isProd())
                            .stream().toList(), adoptTable, List.of()));
            steps.run("[2/2] collectors/manage_" + env, env.collectorsRoot(dir), TerraformSteps.Mode.APPLY,
                    deployment.collectorVariables(env, aws, jar, databases), deployment.planOnly, approval,
                    new TerraformSteps.Preparation(Adoptions.lambdaLogGroup(clients.logs(), function).stream().toList(),
                            what -> true, List.of(PERMISSIONS_BEFORE_PER_GROUP_ONES_GO)));
            if (!deployment.planOnly) {
                checkAws(clients, function, databases.logGroups(), out);
            }
        }
        if (!ctx.quiet()) {
            out.println(deployment.style().ok(deployment.planOnly
                    ? "Plans shown for " + env + "; nothing was changed."
                    : env + " is started. Check it with: pglogs status " + env));
        }
        return ExitCode.OK;
    }

    /** What this start collects from; with auto, what it found and what it had to leave out. */
    private void printDatabases(CollectedDatabases databases, PrintWriter out) {
        if (ctx.quiet()) {
            return;
        }
        String how = databases.auto() ? " (found in AWS: " + Setting.RDS_INSTANCES.key(env) + " or "
                + Setting.AURORA_CLUSTERS.key(env) + " is auto)" : "";
        out.println(deployment.style().header("==> " + env + " collects from " + databases.instances().size()
                + " instance(s) and " + databases.clusters().size() + " cluster(s)" + how));
        if (!databases.instances().isEmpty()) {
            out.println("    instances: " + String.join(", ", databases.instances()));
        }
        if (!databases.clusters().isEmpty()) {
            out.println("    clusters: " + String.join(", ", databases.clusters()));
        }
        for (var db : databases.withoutExport()) {
            out.println(deployment.style().warn("    left out, its PostgreSQL log export is off: " + db.kind() + " "
                    + db.id() + " (turn it on: " + db.configureCommand() + ")"));
        }
    }

    /** What AWS itself has after the apply: the function, and every configured group subscribed to it. */
    private void checkAws(AwsClients clients, String function, List<String> groups, PrintWriter out) {
        DeployedCollectors found = DeployedCollectors.look(clients, env.name(), function, groups);
        if (!found.functionExists() || !found.unsubscribed().isEmpty() || !found.missing().isEmpty()) {
            throw new FailureException("the apply finished but AWS " + (found.functionExists() ? "has function "
                    + function : "has no function " + function) + "; not subscribed: "
                    + String.join(", ", found.unsubscribed()) + (found.missing().isEmpty() ? ""
                    : "; no such log group: " + String.join(", ", found.missing())) + " (see 'pglogs status " + env
                    + "')");
        }
        out.println(deployment.style().ok("==> checked in AWS: function " + function + " exists; "
                + found.subscribed().size() + " of " + groups.size() + " log groups subscribed"));
    }
}
