package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
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
    public Integer call() throws Exception {
        Settings settings = ctx.settings();
        Environment e = settings.environment(env.given());
        List<Settings.Value> values = new ArrayList<>();
        for (Setting s : Setting.values()) {
            values.add(switch (s) {
                case ENV -> settings.get(s, e, "--env", env.given() == null ? null : env.given().name());
                case REGION -> aws.region(e);
                case PROFILE -> aws.profile(e);
                case ENDPOINT_URL -> aws.endpointUrl(e);
                default -> settings.get(s, e);
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(io.pglogs.cli.term.Json.pretty(
                    new Json(settings.file().toString(), values)));
            return ExitCode.OK;
        }
        Style style = new Style(ctx.color());
        out.println(style.dim("config file: " + settings.file() + (java.nio.file.Files.isRegularFile(settings.file())
                ? "" : " (none)")));
        for (Settings.Value v : values) {
            String value = v.isSet() ? Printable.line(v.value()) : style.dim("(unset)");
            out.println(String.format("%-26s %-44s %s", v.key(), value, style.dim(Printable.line(v.source()))));
        }
        return ExitCode.OK;
    }

    record Json(String file, List<Settings.Value> settings) {
    }
}
