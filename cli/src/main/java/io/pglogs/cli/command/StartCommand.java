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

@Command(name = "start", description = {
        "Deploy an environment: the log table (persistent_data), then the collectors.",
        "Runs terraform/tofu init when needed, then plan and apply for each root. Prod shows each plan and asks for "
                + "confirmation unless --yes."})
public final class StartCommand implements Callable<Integer> {
    private final CliContext ctx;

    public StartCommand(CliContext ctx) {
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

    @Option(names = "--lambda-jar", paramLabel = "JAR", description = "The forwarder jar (else PGLOGS_LAMBDA_JAR, the "
            + "config file, lambda/target/pglogs-forwarder.jar).")
    String lambdaJar;

    @Option(names = "--allow-removals", description = "Apply a plan that removes subscriptions or the function "
            + "without a terminal to confirm it (--yes alone does not).")
    boolean allowRemovals;

    @Option(names = "--move-table-from", paramLabel = "TABLE", description = "Approve moving the environment from "
            + "TABLE, the table its Terraform state manages, to <env>.table without a terminal (--yes alone does "
            + "not); prod still needs 'prod' typed at a terminal.")
    String moveTableFrom;

    @Mixin
    EnvArgument environment;

    @Override
    public Integer call() {
        try (Session session = ctx.session(environment.required(), aws.flags())) {
            Deployments.of(session, ctx.console(spec)).start(new Deployments.StartRequest(terraform.flags(),
                    lambdaJar, confirm.yes(), allowRemovals, moveTableFrom));
        }
        return ExitCode.OK;
    }
}
