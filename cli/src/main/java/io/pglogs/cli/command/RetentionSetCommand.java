package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.logs.RelatedLogGroups;
import io.pglogs.cli.logs.Retention;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.LogGroupOptions;
import io.pglogs.cli.option.ConfirmOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Consent;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Sizes;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

@Command(name = "set", description = {
        "Set the retention of the PostgreSQL log groups of an environment's instances and clusters, and of the "
                + "forwarder log groups of both environments; --all for every PostgreSQL group of the region "
                + "(/aws/rds/instance/*/postgresql, /aws/rds/cluster/*/postgresql).",
        "Prints the plan first: each group, its retention before and after, and its stored bytes. Lowering a "
                + "retention (never-expire included) makes CloudWatch delete the older events, so it asks first "
                + "(--yes in scripts); raising one does not. Groups already at the wanted retention are left alone, "
                + "so a second run changes nothing."})
public final class RetentionSetCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RetentionSetCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    ConfirmOptions confirm;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "" + Retention.DEFAULT_DAYS,
            description = "Retention in days (default: ${DEFAULT-VALUE}); one of the values CloudWatch accepts.")
    int days;

    @Mixin
    EnvOptions env;

    @Option(names = "--all", description = "Every PostgreSQL log group of the region, configured or not.")
    boolean all;

    @Mixin
    LogGroupOptions only;

    @Option(names = "--dry-run", description = "Show the plan; change nothing.")
    boolean dryRun;

    /** What happens to one group. */
    enum Effect { unchanged, raise, lower }

    /**
     * One group's retention before and after; {@code before} null: never expires. {@code storedBytes} is what may
     * be deleted when the retention is lowered (CloudWatch tells only the total).
     */
    record Change(String logGroup, Integer before, Integer after, Effect effect, Long storedBytes, boolean changed) {
    }

    @Override
    public Integer call() {
        if (!Retention.ACCEPTED.contains(days)) {
            throw new ParameterException(spec.commandLine(), "--days " + days + " is not a retention CloudWatch "
                    + "accepts; use one of: " + Retention.accepted());
        }
        if (all && !only.all().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all and --log-group exclude each other");
        }
        Environment e = ctx.settings().environment(env.given());
        List<Change> plan = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        PrintWriter out = spec.commandLine().getOut();
        Style style = new Style(ctx.color());
        try (AwsClients clients = aws.clients(e)) {
            CloudWatchLogsClient logs = clients.logs();
            List<LogGroup> targets = !only.all().isEmpty() ? named(logs)
                    : all ? RelatedLogGroups.find(ctx, logs, missing)
                    : RelatedLogGroups.configured(ctx, logs, e, missing);
            for (LogGroup g : targets) {
                plan.add(change(g));
            }
            if (!output.json()) {
                printPlan(out, style, plan, missing);
            }
            List<Change> lowering = plan.stream().filter(c -> c.effect() == Effect.lower).toList();
            if (!dryRun && !lowering.isEmpty()) {
                PrintWriter asked = output.json() ? spec.commandLine().getErr() : out;
                new Consent(ctx, asked, confirm.yes()).require("Lower the retention of " + lowering.size()
                        + " log group(s) to " + Retention.describe(days) + "?", "lowering the retention of "
                        + lowering.size() + " log group(s) deletes their older events");
            }
            if (!dryRun) {
                for (int i = 0; i < plan.size(); i++) {
                    Change c = plan.get(i);
                    if (c.effect() != Effect.unchanged) {
                        logs.putRetentionPolicy(b -> b.logGroupName(c.logGroup()).retentionInDays(days));
                        plan.set(i, new Change(c.logGroup(), c.before(), c.after(), c.effect(), c.storedBytes(), true));
                    }
                }
            }
        }
        if (output.json()) {
            out.println(Json.pretty(new JsonOutput(days, dryRun, plan, missing)));
        } else if (!ctx.quiet()) {
            long changing = plan.stream().filter(c -> c.effect() != Effect.unchanged).count();
            out.println(changing + " of " + plan.size() + " groups " + (dryRun ? "would change" : "changed") + " to "
                    + Retention.describe(days) + (dryRun ? " (dry run: nothing was changed)" : ""));
        }
        return ExitCode.OK;
    }

    private Change change(LogGroup g) {
        Integer before = g.retentionInDays();
        Effect effect = before != null && before == days ? Effect.unchanged
                : before == null || before > days ? Effect.lower : Effect.raise;
        return new Change(g.logGroupName(), before, days, effect, g.storedBytes(), false);
    }

    /** Every named group must exist before any is changed: nothing half-done. */
    private List<LogGroup> named(CloudWatchLogsClient logs) {
        List<LogGroup> groups = new ArrayList<>();
        for (String name : only.all()) {
            groups.add(LogGroups.named(logs, name).orElseThrow(() -> new FailureException("log group "
                    + Printable.line(name) + " does not exist; nothing was changed")));
        }
        return groups;
    }

    private void printPlan(PrintWriter out, Style style, List<Change> plan, List<String> missing) {
        out.println(style.header(String.format("%-60s %-14s    %-14s %12s  %s", "log group", "before", "after",
                "stored", "effect")));
        for (Change c : plan) {
            String effect = switch (c.effect()) {
                case unchanged -> style.dim("unchanged");
                case raise -> style.ok("raise");
                case lower -> style.warn("lower: events older than " + Retention.describe(days) + " are deleted");
            };
            out.println(String.format("%-60s %-14s -> %-14s %12s  ", Printable.line(c.logGroup()),
                    Retention.describe(c.before()), Retention.describe(c.after()), Sizes.bytes(c.storedBytes()))
                    + effect);
        }
        if (!ctx.quiet()) {
            missing.forEach(m -> out.println(style.dim("(" + Printable.line(m) + " does not exist)")));
            long lowering = plan.stream().filter(c -> c.effect() == Effect.lower).count();
            if (lowering > 0) {
                long bytes = plan.stream().filter(c -> c.effect() == Effect.lower && c.storedBytes() != null)
                        .mapToLong(Change::storedBytes).sum();
                out.println(style.warn(lowering + " group(s) lowered: of their " + Sizes.bytes(bytes)
                        + " stored, what is older than " + Retention.describe(days) + " is deleted by CloudWatch"));
            }
        }
        out.flush();
    }

    record JsonOutput(int days, boolean dryRun, List<Change> groups, List<String> missing) {
    }
}
