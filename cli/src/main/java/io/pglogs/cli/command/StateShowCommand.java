package io.pglogs.cli.command;

import io.pglogs.cli.app.Configuration;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.ConfigView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = {
        "Say where the Terraform state of each root of an environment is: local files in the state directory "
                + "(<state dir>/<account>/<region>/<env>/<root>.tfstate, outside the installation), or S3 objects "
                + "shared by every machine (<env>.state_bucket, state_key, state_region, state_lock_table).",
        "Also says when this working copy still uses another state, or still holds a local state of its own, which "
                + "the next start or stop moves."})
public final class StateShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public StateShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "ENV", description = "Environment: ${COMPLETION-CANDIDATES}.")
    Environment env;

    @Override
    public Integer call() {
        try (Session session = ctx.session(env, aws.flags())) {
            new ConfigView(spec.commandLine().getOut(), ctx.style()).state(Configuration.of(session).state(),
                    output.json());
        }
        return ExitCode.OK;
    }
}
