package io.pglogs.cli.app;

import io.pglogs.cli.config.Setting;
import io.pglogs.cli.rds.ConfigurationPlan;
import io.pglogs.cli.rds.LogTimezoneCheck;
import io.pglogs.cli.rds.LoggingParameter;
import io.pglogs.cli.rds.Preset;
import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.rds.RdsTargets;
import io.pglogs.cli.term.Consent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The PostgreSQL logging of one RDS instance or Aurora cluster: shown, or brought to a preset with a plan first
 * (a custom parameter group where the default cannot be changed, the CloudWatch export turned on). Never reboots.
 */
public final class RdsLogging {
    /** One database: an instance id or a cluster id, the other null. */
    public record Target(String instance, String cluster) {
    }

    /** @param wanted the preset's parameters with --set applied, each checked */
    public record ConfigureRequest(Target target, Preset preset, Map<String, String> wanted, boolean dryRun,
                                   boolean yes) {
    }

    /** The plan for a database, and whether it was applied. */
    public record Configured(RdsTarget target, ConfigurationPlan plan, LogTimezoneCheck zone, boolean dryRun,
                             boolean applied) {
    }

    /** null values: the engine's default (the group does not set the parameter). */
    public record Shown(String kind, String id, String engine, String parameterGroup, String family,
                        boolean defaultGroup, String applyStatus, boolean pendingReboot, boolean exportsPostgresql,
                        Map<String, String> parameters, String logTimezone, String pglogsLogTimezone) {
    }

    /** What show found, and its log_timezone beside pglogs' (not part of the JSON: the check is derived). */
    public record Inspection(Shown shown, LogTimezoneCheck zone) {
    }

    private final Session session;

    private RdsLogging(Session session) {
        this.session = session;
    }

    public static RdsLogging of(Session session) {
        return new RdsLogging(session);
    }

    private RdsTarget find(Target target) {
        String region = session.aws().region().id();
        return target.instance() != null ? RdsTargets.instance(session.aws().rds(), target.instance(), region)
                : RdsTargets.cluster(session.aws().rds(), target.cluster(), region);
    }

    private LogTimezoneCheck zone(RdsTarget t) {
        return LogTimezoneCheck.of(t.defaultGroup() ? Map.of() : t.userParameters(t.parameterGroup()),
                session.setting(Setting.LOG_TIMEZONE));
    }

    /**
     * Plans, shows the plan, asks where the plan needs consent (attaching a group, changing a shared one), applies.
     *
     * @param showPlan told the plan before anything is asked or changed
     * @param asked    where the question goes
     */
    public Configured configure(ConfigureRequest request, Console console, PrintWriter asked,
                                Consumer<Configured> showPlan) {
        RdsTarget t = find(request.target());
        ConfigurationPlan plan = ConfigurationPlan.of(t, request.wanted());
        // Read before any change: pglogs does not set log_timezone, so a new group leaves it at UTC.
        LogTimezoneCheck zone = zone(t);
        if (request.preset() == Preset.verbose && !console.quiet()) {
            console.err().println(console.style().warn("pglogs: verbose logs every statement, and statement text may "
                    + "carry secrets: the forwarder redacts passwords in the forms it knows, not every secret. Use it "
                    + "for a time-boxed investigation, then go back to --preset standard."));
        }
        showPlan.accept(new Configured(t, plan, zone, request.dryRun(), false));
        if (plan.nothingToDo() || request.dryRun()) {
            return new Configured(t, plan, zone, request.dryRun(), false);
        }
        if (plan.needsConsent()) {
            new Consent(console.terminal(), asked, request.yes()).require("Apply this plan to " + t.kind() + " "
                    + t.id() + "?", consentReason(t, plan));
        }
        execute(t, plan);
        return new Configured(t, plan, zone, false, true);
    }

    private static String consentReason(RdsTarget t, ConfigurationPlan plan) {
        if (plan.attach()) {
            return "attaching parameter group " + plan.group() + " to " + t.kind() + " " + t.id()
                    + " changes its settings at the next reboot";
        }
        return "parameter group " + plan.group() + " is shared with " + String.join(", ", plan.sharedWith())
                + ", whose logging changes too";
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

    /** The database's parameter group, its logging parameters, reboot and export state, and log_timezone. */
    public Inspection show(Target target) {
        RdsTarget t = find(target);
        Map<String, String> set = t.defaultGroup() ? Map.of() : t.userParameters(t.parameterGroup());
        Map<String, String> parameters = new LinkedHashMap<>();
        Preset.PARAMETER_ORDER.forEach(name -> parameters.put(name, set.get(name)));
        set.keySet().stream().filter(LoggingParameter.CATALOG::containsKey).sorted()
                .forEach(name -> parameters.put(name, set.get(name)));
        String status = t.applyStatus();
        LogTimezoneCheck zone = LogTimezoneCheck.of(set, session.setting(Setting.LOG_TIMEZONE));
        return new Inspection(new Shown(t.kind(), t.id(), t.engine(), t.parameterGroup(), t.family(),
                t.defaultGroup(), status, "pending-reboot".equals(status), t.exportsPostgresql(), parameters,
                zone.server(), zone.reader().value()), zone);
    }
}
