package io.pglogs.cli.app;

import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.logs.RelatedLogGroups;
import io.pglogs.cli.logs.Retention;
import io.pglogs.cli.term.Consent;
import io.pglogs.cli.term.Printable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

/**
 * CloudWatch retention of the groups pglogs cares about: shown, and set with a plan first. Lowering a retention makes
 * CloudWatch delete the older events, so it needs consent; groups already right are left alone.
 */
public final class Retentions {
    /** What happens to one group. */
    public enum Effect { unchanged, raise, lower }

    /**
     * One group's retention before and after; {@code before} null: never expires. {@code storedBytes} is what may
     * be deleted when the retention is lowered (CloudWatch tells only the total).
     */
    public record Change(String logGroup, Integer before, Integer after, Effect effect, Long storedBytes,
                         boolean changed) {
    }

    public record Plan(int days, boolean dryRun, List<Change> groups, List<String> missing) {
        public List<Change> lowering() {
            return groups.stream().filter(c -> c.effect() == Effect.lower).toList();
        }

        public long changing() {
            return groups.stream().filter(c -> c.effect() != Effect.unchanged).count();
        }
    }

    /** Which groups: named outright, every PostgreSQL group of the region, or the environment's (the default). */
    public enum Scope { NAMED, REGION, ENVIRONMENT }

    public record SetRequest(int days, Scope scope, List<String> named, boolean dryRun, boolean yes) {
    }

    public record Group(String logGroup, Integer retentionDays, boolean neverExpires, Long storedBytes) {
    }

    public record Shown(List<Group> groups, List<String> missing) {
    }

    private final Session session;

    private Retentions(Session session) {
        this.session = session;
    }

    public static Retentions of(Session session) {
        return new Retentions(session);
    }

    /** Every PostgreSQL group of the region and the forwarder groups, with their retention. */
    public Shown show() {
        List<Group> groups = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (LogGroup g : RelatedLogGroups.find(session.settings(), session.aws().logs(), missing)) {
            groups.add(new Group(g.logGroupName(), g.retentionInDays(), g.retentionInDays() == null, g.storedBytes()));
        }
        return new Shown(groups, missing);
    }

    /**
     * Plans, shows the plan, asks before lowering (unless dry run), then changes what must change.
     *
     * @param showPlan told the plan before anything is asked or changed
     * @param asked    where the question goes
     * @return the plan, each change marked done
     */
    public Plan set(SetRequest request, Consumer<Plan> showPlan, Console console, PrintWriter asked) {
        CloudWatchLogsClient logs = session.aws().logs();
        List<String> missing = new ArrayList<>();
        List<LogGroup> targets = switch (request.scope()) {
            case NAMED -> named(logs, request.named());
            case REGION -> RelatedLogGroups.find(session.settings(), logs, missing);
            case ENVIRONMENT -> RelatedLogGroups.configured(session.settings(), logs,
                    new LinkedHashSet<>(session.databases().logGroups()), missing);
        };
        List<Change> changes = new ArrayList<>();
        for (LogGroup g : targets) {
            changes.add(change(g, request.days()));
        }
        Plan plan = new Plan(request.days(), request.dryRun(), changes, missing);
        showPlan.accept(plan);
        List<Change> lowering = plan.lowering();
        if (request.dryRun()) {
            return plan;
        }
        if (!lowering.isEmpty()) {
            new Consent(console.terminal(), asked, request.yes()).require("Lower the retention of " + lowering.size()
                    + " log group(s) to " + Retention.describe(request.days()) + "?", "lowering the retention of "
                    + lowering.size() + " log group(s) deletes their older events");
        }
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            if (c.effect() != Effect.unchanged) {
                logs.putRetentionPolicy(b -> b.logGroupName(c.logGroup()).retentionInDays(request.days()));
                changes.set(i, new Change(c.logGroup(), c.before(), c.after(), c.effect(), c.storedBytes(), true));
            }
        }
        return plan;
    }

    private static Change change(LogGroup g, int days) {
        Integer before = g.retentionInDays();
        Effect effect = before != null && before == days ? Effect.unchanged
                : before == null || before > days ? Effect.lower : Effect.raise;
        return new Change(g.logGroupName(), before, days, effect, g.storedBytes(), false);
    }

    /** Every named group must exist before any is changed: nothing half-done. */
    private static List<LogGroup> named(CloudWatchLogsClient logs, List<String> names) {
        List<LogGroup> groups = new ArrayList<>();
        for (String name : names) {
            groups.add(LogGroups.named(logs, name).orElseThrow(() -> new FailureException("log group "
                    + Printable.line(name) + " does not exist; nothing was changed")));
        }
        return groups;
    }
}
