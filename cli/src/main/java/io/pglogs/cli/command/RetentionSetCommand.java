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
import io.pglogs.cli.option.GlobalOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
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
        "Set the retention of every PostgreSQL log group of the region (/aws/rds/instance/*/postgresql, "
                + "/aws/rds/cluster/*/postgresql) and of the forwarder log groups of both environments.",
        "CloudWatch keeps logs forever by default. Groups already at the wanted retention are left alone, so a second "
                + "run changes nothing."})
public final class RetentionSetCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RetentionSetCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Option(names = "--days", paramLabel = "DAYS", defaultValue = "" + Retention.DEFAULT_DAYS,
            description = "Retention in days (default: ${DEFAULT-VALUE}); one of the values CloudWatch accepts.")
    int days;

    @Option(names = "--log-group", paramLabel = "GROUP", description = "Only this group (repeatable).")
    List<String> only = new ArrayList<>();

    @Option(names = "--dry-run", description = "Show what would change; change nothing.")
    boolean dryRun;

    /** One group's retention before, and the retention wanted; {@code before} null: never expires. */
    record Change(String logGroup, Integer before, Integer after, boolean changed) {
    }

    @Override
    public Integer call() {
        if (!Retention.ACCEPTED.contains(days)) {
            throw new ParameterException(spec.commandLine(), "--days " + days + " is not a retention CloudWatch "
                    + "accepts; use one of: " + Retention.accepted());
        }
        Environment env = ctx.settings().environment(null);
        List<Change> changes = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (AwsClients clients = aws.clients(env)) {
            CloudWatchLogsClient logs = clients.logs();
            List<LogGroup> targets = only.isEmpty() ? RelatedLogGroups.find(ctx, logs, missing) : named(logs);
            for (LogGroup g : targets) {
                Integer before = g.retentionInDays();
                boolean change = before == null || before != days;
                if (change && !dryRun) {
                    logs.putRetentionPolicy(b -> b.logGroupName(g.logGroupName()).retentionInDays(days));
                }
                changes.add(new Change(g.logGroupName(), before, days, change));
            }
        }
        print(changes, missing);
        return ExitCode.OK;
    }

    /** Every named group must exist before any is changed: nothing half-done. */
    private List<LogGroup> named(CloudWatchLogsClient logs) {
        List<LogGroup> groups = new ArrayList<>();
        for (String name : only) {
            groups.add(LogGroups.named(logs, name).orElseThrow(() -> new FailureException("log group " + name
                    + " does not exist; nothing was changed")));
        }
        return groups;
    }

    private void print(List<Change> changes, List<String> missing) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.pretty(new JsonOutput(days, dryRun, changes, missing)));
            return;
        }
        Style style = new Style(ctx.color());
        for (Change c : changes) {
            String what = !c.changed() ? style.dim("unchanged")
                    : dryRun ? style.warn("would change") : style.ok("changed");
            out.println(String.format("%-60s %-14s -> %-14s %s", Printable.line(c.logGroup()),
                    Retention.describe(c.before()), Retention.describe(c.after()),
                    what));
        }
        if (!ctx.quiet()) {
            missing.forEach(m -> out.println(style.dim("(" + m + " does not exist: its collectors are not started)")));
            long changed = changes.stream().filter(Change::changed).count();
            out.println((dryRun ? changed + " of " + changes.size() + " groups would change to "
                    : changed + " of " + changes.size() + " groups changed to ") + Retention.describe(days)
                    + (dryRun ? " (dry run: nothing was changed)" : ""));
        }
    }

    record JsonOutput(int days, boolean dryRun, List<Change> groups, List<String> missing) {
    }
}
