package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.rds.ConfigurationPlan;
import io.pglogs.cli.rds.LogTimezoneCheck;
import io.pglogs.cli.rds.LoggingParameter;
import io.pglogs.cli.rds.Preset;
import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.term.Consent;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.rds.model.Parameter;

@Command(name = "configure", description = {
        "Set the PostgreSQL logging of an instance or Aurora cluster to a preset and export its log to CloudWatch. "
                + "Also shows its log_timezone beside the one pglogs reads the log with (<env>.log_timezone).",
        "A default parameter group cannot be changed: a custom one (pglogs-<id>-<family>) is created in the same "
                + "family and attached, which takes effect at the next reboot. A custom group already attached is "
                + "changed in place. List-valued parameters (shared_preload_libraries, pgaudit.log) are merged "
                + "with the value in effect, never replaced.",
        "Prints the plan first, saying what applies at once and what waits for a reboot, and asks before attaching "
                + "a group or changing one other instances share (naming them): --yes in scripts. Never applies "
                + "modifications pending for the maintenance window, never reboots."})
public final class RdsConfigureCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RdsConfigureCommand(CliContext ctx) {
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

    @Option(names = "--preset", required = true, paramLabel = "PRESET",
            description = "${COMPLETION-CANDIDATES}: see docs/rds-presets.md.")
    Preset preset;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override or add a logging parameter "
            + "(repeatable), e.g. --set log_min_duration_statement=500.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--dry-run", description = "Show the plan; change nothing.")
    boolean dryRun;

    @Mixin
    ConfirmOptions confirm;

    @Override
    public Integer call() {
        target.check();
        Map<String, String> wanted = wanted();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Style style = new Style(ctx.color());
        Environment env = ctx.settings().environment(null);
        boolean applied = false;
        try (AwsClients clients = aws.clients(env)) {
            RdsTarget t = target.find(clients.rds(), clients.region().id());
            ConfigurationPlan plan = ConfigurationPlan.of(t, wanted);
            LogTimezoneCheck zone = LogTimezoneCheck.of(t.defaultGroup() ? Map.of()
                    : t.userParameters(t.parameterGroup()), ctx.settings().get(Setting.LOG_TIMEZONE, env));
            if (preset == Preset.verbose && !ctx.quiet()) {
                err.println(style.warn("pglogs: verbose logs every statement, and statement text may carry secrets: "
                        + "the forwarder redacts passwords in the forms it knows, not every secret. Use it for a "
                        + "time-boxed investigation, then go back to --preset standard."));
            }
            if (!output.json()) {
                describe(out, style, t, plan);
                // Read before any change: pglogs does not set log_timezone, so a new group leaves it at UTC.
                out.println(LogTimezoneCheck.PARAMETER + " " + (zone.agrees() ? zone.describe(env.name())
                        : style.warn(zone.describe(env.name()))));
            }
            if (!plan.nothingToDo() && !dryRun) {
                if (plan.needsConsent()) {
                    new Consent(ctx, output.json() ? err : out, confirm.yes()).require("Apply this plan to "
                            + t.kind() + " " + t.id() + "?", consentReason(t, plan));
                }
                execute(t, plan);
                applied = true;
                if (!output.json()) {
                    report(out, style, t, plan);
                }
            }
            if (output.json()) {
                out.println(Json.pretty(new JsonOutput(t.kind(), t.id(), t.family(), t.parameterGroup(), plan,
                        dryRun, applied, plan.rebootNeeded() && !plan.nothingToDo(), zone.server(),
                        zone.reader().value())));
            }
        }
        return ExitCode.OK;
    }

    private static String consentReason(RdsTarget t, ConfigurationPlan plan) {
        if (plan.attach()) {
            return "attaching parameter group " + plan.group() + " to " + t.kind() + " " + t.id()
                    + " changes its settings at the next reboot";
        }
        return "parameter group " + plan.group() + " is shared with " + String.join(", ", plan.sharedWith())
                + ", whose logging changes too";
    }

    /** The preset with --set applied, each name and value checked before anything is changed. */
    private Map<String, String> wanted() {
        Map<String, String> wanted = new LinkedHashMap<>(preset.parameters());
        overrides.forEach((name, value) -> {
            LoggingParameter p = LoggingParameter.CATALOG.get(name);
            if (p == null) {
                throw new ParameterException(spec.commandLine(), "unknown parameter '" + name + "' for --set; "
                        + "pglogs manages: " + String.join(", ", new java.util.TreeSet<>(
                        LoggingParameter.CATALOG.keySet())));
            }
            try {
                wanted.put(name, p.normalise(value));
            } catch (LoggingParameter.InvalidValueException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        });
        return wanted;
    }

    private static void execute(RdsTarget t, ConfigurationPlan plan) {
        if (plan.createGroup() != null) {
            t.createGroup(plan.createGroup(), "pglogs logging preset for " + t.family());
        }
        if (!plan.changes().isEmpty()) {
            List<Parameter> parameters = new ArrayList<>();
            for (ConfigurationPlan.Change c : plan.changes()) {
                parameters.add(Parameter.builder().parameterName(c.name()).parameterValue(c.after())
                        .applyMethod(c.applyMethod()).build());
            }
            t.setParameters(plan.group(), parameters);
        }
        if (plan.attach() || plan.enableExport()) {
            t.attach(plan.attach() ? plan.group() : null, plan.enableExport());
        }
    }

    /** The plan, before anything is changed: what is created, set (and when it applies), attached, exported. */
    private void describe(PrintWriter out, Style style, RdsTarget t, ConfigurationPlan plan) {
        out.println(style.header(t.kind() + " " + t.id() + " (" + t.engine() + "), parameter group "
                + t.parameterGroup() + (t.defaultGroup() ? " (default: cannot be modified)" : "")));
        if (plan.nothingToDo()) {
            out.println(style.ok("already configured with preset " + preset + "; nothing to change"));
            return;
        }
        out.println(dryRun ? "Plan (dry run):" : "Plan:");
        if (plan.createGroup() != null) {
            out.println("  create parameter group " + plan.createGroup() + " (" + t.family() + ")");
        }
        if (!plan.changes().isEmpty()) {
            out.println("  set in " + plan.group() + ":");
            out.println(String.format("    %-30s %-18s    %-18s %s", "parameter", "before", "after", "applies"));
            for (ConfigurationPlan.Change c : plan.changes()) {
                String applies = plan.attach() ? style.warn("at the next reboot (new group)")
                        : c.applyMethod().equals("immediate") ? "immediately" : style.warn("at the next reboot");
                out.println(String.format("    %-30s %-18s -> %-18s %s", c.name(),
                        c.before() == null ? "(engine default)" : Printable.line(c.before()),
                        Printable.line(c.after()), applies));
            }
        }
        if (!plan.sharedWith().isEmpty() && !plan.changes().isEmpty()) {
            out.println(style.warn("  " + plan.group() + " is also attached to " + String.join(", ",
                    plan.sharedWith()) + ": their logging changes too"));
        }
        if (plan.attach()) {
            out.println("  attach " + plan.group() + " to " + t.kind() + " " + t.id() + ": "
                    + style.warn("takes effect at the next reboot"));
        }
        if (plan.enableExport()) {
            out.println("  turn on the export of the postgresql log to CloudWatch Logs: immediately");
        }
        out.println(style.dim("  Modifications already pending for the maintenance window stay pending (no "
                + "ApplyImmediately); nothing is rebooted."));
        if (dryRun) {
            out.println(style.dim("dry run: nothing was changed"));
        }
        out.flush();
    }

    /** What was done, and the reboot it still needs. */
    private static void report(PrintWriter out, Style style, RdsTarget t, ConfigurationPlan plan) {
        if (plan.createGroup() != null) {
            out.println("created parameter group " + plan.createGroup() + " (" + t.family() + ")");
        }
        if (!plan.changes().isEmpty()) {
            out.println("set " + plan.changes().size() + " parameter(s) in " + plan.group());
        }
        if (plan.attach()) {
            out.println("attached " + plan.group() + " to " + t.kind() + " " + t.id());
        }
        if (plan.enableExport()) {
            out.println("turned on the export of the postgresql log to CloudWatch Logs");
        }
        if (plan.rebootNeeded()) {
            out.println(style.warn((plan.attach() ? "A newly attached parameter group takes"
                    : "Static parameters take") + " effect only after a reboot: " + t.rebootHint()));
        }
    }

    record JsonOutput(String kind, String id, String family, String attachedGroup, ConfigurationPlan plan,
                      boolean dryRun, boolean applied, boolean rebootNeeded, String logTimezone,
                      String pglogsLogTimezone) {
    }
}
