package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.rds.LogTimezoneCheck;
import io.pglogs.cli.rds.LoggingParameter;
import io.pglogs.cli.rds.Preset;
import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "Show an instance's or cluster's parameter group, its logging parameters, whether "
        + "a reboot is pending, whether the postgresql log is exported to CloudWatch, and its log_timezone beside the "
        + "one pglogs reads the log with.")
public final class RdsShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RdsShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    RdsTargetOptions target;

    /** null values: the engine's default (the group does not set the parameter). */
    record Shown(String kind, String id, String engine, String parameterGroup, String family, boolean defaultGroup,
                 String applyStatus, boolean pendingReboot, boolean exportsPostgresql, Map<String, String> parameters,
                 String logTimezone, String pglogsLogTimezone) {
    }

    @Override
    public Integer call() {
        target.check();
        Shown shown;
        Environment env = ctx.settings().environment(null);
        LogTimezoneCheck zone;
        try (AwsClients clients = aws.clients(env)) {
            RdsTarget t = target.find(clients.rds(), clients.region().id());
            Map<String, String> set = t.defaultGroup() ? Map.of() : t.userParameters(t.parameterGroup());
            Map<String, String> parameters = new LinkedHashMap<>();
            Preset.PARAMETER_ORDER.forEach(name -> parameters.put(name, set.get(name)));
            set.keySet().stream().filter(LoggingParameter.CATALOG::containsKey).sorted()
                    .forEach(name -> parameters.put(name, set.get(name)));
            String status = t.applyStatus();
            zone = LogTimezoneCheck.of(set, ctx.settings().get(Setting.LOG_TIMEZONE, env));
            shown = new Shown(t.kind(), t.id(), t.engine(), t.parameterGroup(), t.family(), t.defaultGroup(), status,
                    "pending-reboot".equals(status), t.exportsPostgresql(), parameters, zone.server(),
                    zone.reader().value());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.pretty(shown));
            return ExitCode.OK;
        }
        Style style = new Style(ctx.color());
        out.println(style.header(shown.kind() + " " + shown.id() + " (" + shown.engine() + ")"));
        out.println(String.format("%-30s %s%s", "parameter group", shown.parameterGroup(),
                shown.defaultGroup() ? style.warn(" (default: cannot be modified; pglogs rds configure creates one)")
                        : ""));
        out.println(String.format("%-30s %s", "family", shown.family()));
        out.println(String.format("%-30s %s", "apply status", shown.pendingReboot()
                ? style.warn("pending-reboot: reboot to apply") : shown.applyStatus()));
        out.println(String.format("%-30s %s", "postgresql log export", shown.exportsPostgresql()
                ? style.ok("on") : style.error("off: the logs do not reach CloudWatch")));
        out.println(String.format("%-30s %s", LogTimezoneCheck.PARAMETER, zone.agrees() ? zone.describe(env.name())
                : style.warn(zone.describe(env.name()))));
        out.println();
        shown.parameters().forEach((name, value) -> out.println(String.format("%-30s %s", name,
                value == null ? style.dim("(engine default)") : value)));
        return ExitCode.OK;
    }
}
