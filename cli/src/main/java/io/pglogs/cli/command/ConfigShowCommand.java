package io.pglogs.cli.command;

import io.pglogs.cli.app.Configuration;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.ConfigView;
import io.pglogs.cli.config.Settings;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show", description = {
        "Print every effective setting and where it came from: flag, environment variable, config file or default.",
        "Precedence: flag > environment variable > config file > default."})
public final class ConfigShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public ConfigShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    EnvOptions env;

    @Override
    public Integer call() {
        try (Session session = ctx.session(ctx.environment(env.given()), aws.flags())) {
            Configuration configuration = Configuration.of(session);
            List<Settings.Value> values = configuration.effective(env.given());
            new ConfigView(spec.commandLine().getOut(), ctx.style()).settings(configuration.file(), values,
                    configuration.warnings(values), output.json());
        }
        return ExitCode.OK;
    }
}
