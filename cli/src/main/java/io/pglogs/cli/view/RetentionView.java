package io.pglogs.cli.view;

import io.pglogs.cli.app.Retentions;
import io.pglogs.cli.logs.Retention;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Sizes;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** Retention plans and listings, as text or JSON. */
public final class RetentionView {
    private final PrintWriter out;
    private final Style style;
    private final boolean quiet;

    public RetentionView(PrintWriter out, Style style, boolean quiet) {
        this.out = out;
        this.style = style;
        this.quiet = quiet;
    }

    record PlanJson(int days, boolean dryRun, List<Retentions.Change> groups, List<String> missing) {
    }

    /** Each group, its retention before and after, its stored bytes and the effect. */
    public void plan(Retentions.Plan plan) {
        int days = plan.days();
        out.println(style.header(String.format("%-60s %-14s    %-14s %12s  %s", "log group", "before", "after",
                "stored", "effect")));
        for (Retentions.Change c : plan.groups()) {
            String effect = switch (c.effect()) {
                case unchanged -> style.dim("unchanged");
                case raise -> style.ok("raise");
                case lower -> style.warn("lower: events older than " + Retention.describe(days) + " are deleted");
            };
            out.println(String.format("%-60s %-14s -> %-14s %12s  ", Printable.line(c.logGroup()),
                    Retention.describe(c.before()), Retention.describe(c.after()), Sizes.bytes(c.storedBytes()))
                    + effect);
        }
        if (!quiet) {
            plan.missing().forEach(m -> out.println(style.dim("(" + Printable.line(m) + " does not exist)")));
            List<Retentions.Change> lowering = plan.lowering();
            if (!lowering.isEmpty()) {
                long bytes = lowering.stream().filter(c -> c.storedBytes() != null)
                        .mapToLong(Retentions.Change::storedBytes).sum();
                out.println(style.warn(lowering.size() + " group(s) lowered: of their " + Sizes.bytes(bytes)
                        + " stored, what is older than " + Retention.describe(days) + " is deleted by CloudWatch"));
            }
        }
        out.flush();
    }

    /** After the changes: how many changed, or the whole plan as JSON. */
    public void result(Retentions.Plan plan, boolean json) {
        if (json) {
            out.println(Json.pretty(new PlanJson(plan.days(), plan.dryRun(), plan.groups(), plan.missing())));
        } else if (!quiet) {
            out.println(plan.changing() + " of " + plan.groups().size() + " groups "
                    + (plan.dryRun() ? "would change" : "changed") + " to " + Retention.describe(plan.days())
                    + (plan.dryRun() ? " (dry run: nothing was changed)" : ""));
        }
    }

    /** Every group with its retention; those that never expire flagged. */
    public void shown(Retentions.Shown shown, boolean json) {
        if (json) {
            out.println(Json.pretty(shown));
            return;
        }
        out.println(style.header(String.format("%-60s %-16s %12s", "log group", "retention", "stored bytes")));
        for (Retentions.Group g : shown.groups()) {
            String retention = String.format("%-16s", Retention.describe(g.retentionDays()));
            out.println(String.format("%-60s ", Printable.line(g.logGroup()))
                    + (g.neverExpires() ? style.warn(retention) : retention)
                    + String.format(" %12d", g.storedBytes() == null ? 0 : g.storedBytes()));
        }
        List<String> forever = shown.groups().stream().filter(Retentions.Group::neverExpires)
                .map(Retentions.Group::logGroup).toList();
        if (!forever.isEmpty() && !quiet) {
            // Named one by one: the groups shown are the whole region's, more than any --env covers.
            out.println(style.warn(forever.size() + " group(s) keep their logs forever: pglogs retention set"
                    + forever.stream().map(g -> " --log-group " + Printable.line(g)).collect(Collectors.joining())));
        }
    }
}
