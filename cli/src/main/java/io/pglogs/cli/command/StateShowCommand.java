package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.terraform.StateBackend;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = {
        "Say where the Terraform state of each root of an environment is: local files of this working copy, or S3 "
                + "objects shared by every machine (<env>.state_bucket, state_key, state_region, state_lock_table).",
        "Also says when this working copy still uses another state, which the next start or stop moves."})
public final class StateShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public StateShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Parameters(index = "0", paramLabel = "ENV", description = "Environment: ${COMPLETION-CANDIDATES}.")
    Environment env;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Style style = new Style(ctx.color());
        StateBackend state = StateBackend.resolve(ctx.settings(), env, aws.region(env), aws.endpointUrl(env),
                aws.profile(env));
        Path dir = Path.of(ctx.settings().get(Setting.TERRAFORM_DIR, env).value());
        out.println(style.header(env + ": " + (state.shared() ? "shared state in S3" : "local state")));
        for (Path root : List.of(env.persistentDataRoot(dir), env.collectorsRoot(dir))) {
            out.println("  " + root.getParent().getFileName() + ": " + state.describe(root));
            if (!Files.isRegularFile(root.resolve(".terraform").resolve("terraform.tfstate"))) {
                out.println("    this working copy is not initialised yet");
            } else {
                state.changeFrom(root).ifPresent(c -> out.println(style.warn("    this working copy still uses "
                        + c.from() + "; the next start or stop moves it (asking first)")));
            }
        }
        if (env.isProd() && !state.shared()) {
            out.println(style.warn("  prod's state should be shared: set " + Setting.STATE_BUCKET.key(env)
                    + " so that every machine deploying prod sees it"));
        }
        return ExitCode.OK;
    }
}
