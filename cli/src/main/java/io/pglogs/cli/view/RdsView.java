package io.pglogs.cli.view;

import io.pglogs.cli.app.RdsLogging;
import io.pglogs.cli.rds.ConfigurationPlan;
import io.pglogs.cli.rds.LogTimezoneCheck;
import io.pglogs.cli.rds.Preset;
import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;

/** An RDS database's logging: the plan rds configure makes and what it did, or what rds show found. */
public final class RdsView {
    private final PrintWriter out;
    private final Style style;
    private final String environment;

    /** @param environment whose log_timezone setting the database is compared with */
    public RdsView(PrintWriter out, Style style, String environment) {
        this.out = out;
        this.style = style;
        this.environment = environment;
    }

    record ConfiguredJson(String kind, String id, String family, String attachedGroup, ConfigurationPlan plan,
                          boolean dryRun, boolean applied, boolean rebootNeeded, String logTimezone,
                          String pglogsLogTimezone) {
    }

    /** The plan, before anything is changed: what is created, set (and when it applies), attached, exported. */
    public void plan(RdsLogging.Configured c, Preset preset) {
        RdsTarget t = c.target();
        ConfigurationPlan plan = c.plan();
        out.println(style.header(t.kind() + " " + t.id() + " (" + t.engine() + "), parameter group "
                + t.parameterGroup() + (t.defaultGroup() ? " (default: cannot be modified)" : "")));
        if (plan.nothingToDo()) {
            out.println(style.ok("already configured with preset " + preset + "; nothing to change"));
        } else {
            changes(t, plan, c.dryRun());
        }
        out.println(LogTimezoneCheck.PARAMETER + " " + zone(c.zone()));
        if (c.dryRun() && !plan.nothingToDo()) {
            // Last: after it, nothing more of the plan follows.
            out.println(style.dim("dry run: nothing was changed"));
        }
        out.flush();
    }

    private void changes(RdsTarget t, ConfigurationPlan plan, boolean dryRun) {
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
    }

    private String zone(LogTimezoneCheck zone) {
        return zone.agrees() ? zone.describe(environment) : style.warn(zone.describe(environment));
    }

    /** What was done, and the reboot it still needs; or everything as JSON. */
    public void result(RdsLogging.Configured c, boolean json) {
        RdsTarget t = c.target();
        ConfigurationPlan plan = c.plan();
        if (json) {
            out.println(Json.pretty(new ConfiguredJson(t.kind(), t.id(), t.family(), t.parameterGroup(), plan,
                    c.dryRun(), c.applied(), plan.rebootNeeded() && !plan.nothingToDo(), c.zone().server(),
                    c.zone().reader().value())));
            return;
        }
        if (!c.applied()) {
            return;
        }
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

    /** What rds show found. */
    public void shown(RdsLogging.Inspection inspection, boolean json) {
        RdsLogging.Shown shown = inspection.shown();
        if (json) {
            out.println(Json.pretty(shown));
            return;
        }
        out.println(style.header(shown.kind() + " " + shown.id() + " (" + shown.engine() + ")"));
        out.println(String.format("%-30s %s%s", "parameter group", shown.parameterGroup(),
                shown.defaultGroup() ? style.warn(" (default: cannot be modified; pglogs rds configure --" + shown.kind()
                        + " " + shown.id() + " --preset standard creates one)")
                        : ""));
        out.println(String.format("%-30s %s", "family", shown.family()));
        out.println(String.format("%-30s %s", "apply status", shown.pendingReboot()
                ? style.warn("pending-reboot: reboot to apply") : shown.applyStatus()));
        out.println(String.format("%-30s %s", "postgresql log export", shown.exportsPostgresql()
                ? style.ok("on") : style.error("off: the logs do not reach CloudWatch")));
        out.println(String.format("%-30s %s", LogTimezoneCheck.PARAMETER, zone(inspection.zone())));
        out.println();
        shown.parameters().forEach((name, value) -> out.println(String.format("%-30s %s", name,
                value == null ? style.dim("(engine default)") : value)));
    }
}
