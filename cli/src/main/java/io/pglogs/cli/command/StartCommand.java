package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.term.Prompt;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.terraform.Adoptions;
import io.pglogs.cli.terraform.TerraformSteps;
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
        TerraformSteps steps = new TerraformSteps(deployment.runner(env, aws, out, spec.commandLine().getErr()),
                deployment.style(), out);
        TerraformSteps.Approval approval = env.isProd() && !confirm.yes()
                ? TerraformSteps.typedYes(new Prompt(ctx, out),
                        "changing prod needs a confirmation: run at a terminal, or pass --yes")
                : what -> true;
        TerraformSteps.Approval adoptTable = confirm.yes() ? what -> true
                : TerraformSteps.typedYes(new Prompt(ctx, out), "adopting an existing table needs a confirmation: run "
                        + "at a terminal, or pass --yes");
        String table = ctx.settings().get(Setting.TABLE, env).value();
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        try (AwsClients clients = aws.clients(env)) {
            deployment.refuseStorageChange(clients.dynamoDb(), table, env);
            steps.run("[1/2] persistent_data/manage_" + env, env.persistentDataRoot(dir), TerraformSteps.Mode.APPLY,
                    deployment.persistentDataVariables(env, aws), deployment.planOnly, approval,
                    new TerraformSteps.Preparation(Adoptions.table(clients.dynamoDb(), table, env.name(), env.isProd())
                            .stream().toList(), adoptTable, List.of()));
            steps.run("[2/2] collectors/manage_" + env, env.collectorsRoot(dir), TerraformSteps.Mode.APPLY,
                    deployment.collectorVariables(env, aws, jar), deployment.planOnly, approval,
                    new TerraformSteps.Preparation(Adoptions.lambdaLogGroup(clients.logs(), function).stream().toList(),
                            what -> true, List.of(PERMISSIONS_BEFORE_PER_GROUP_ONES_GO)));
        }
        if (!ctx.quiet()) {
            out.println(deployment.style().ok(deployment.planOnly
                    ? "Plans shown for " + env + "; nothing was changed."
                    : env + " is started. Check it with: pglogs status " + env));
        }
        return ExitCode.OK;
    }
}
