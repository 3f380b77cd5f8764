package io.pglogs.cli.command;

import io.pglogs.cli.app.Ingest;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.ClusterOptions;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.InstanceOptions;
import io.pglogs.cli.option.LogGroupOptions;
import io.pglogs.cli.option.LogTimezoneOptions;
import io.pglogs.cli.option.RollupOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.forwarder.cloudwatch.LogSource;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "backfill", description = {
        "Close a gap: read PostgreSQL log groups from CloudWatch Logs (FilterLogEvents) and store their entries.",
        "Keys come from CloudWatch's event ids exactly as the Lambda derives them, so a window that overlaps what the "
                + "collectors delivered duplicates nothing, and running it twice changes nothing."})
public final class BackfillCommand implements Callable<Integer> {
    private final CliContext ctx;

    public BackfillCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    EnvOptions env;

    @Mixin
    InstanceOptions instances;

    @Mixin
    LogTimezoneOptions zone;

    @Mixin
    RollupOptions rollups;

    @Mixin
    ClusterOptions clusters;

    @Mixin
    LogGroupOptions logGroups;

    @Mixin
    TimeWindowOptions time;

    @Option(names = "--dry-run", description = "Read and parse; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        Set<String> groups = new LinkedHashSet<>();
        instances.all().forEach(i -> groups.add(LogSource.instanceLogGroup(i)));
        clusters.all().forEach(c -> groups.add(LogSource.clusterLogGroup(c)));
        groups.addAll(logGroups.all());
        if (groups.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "name what to backfill: --instance, --cluster or "
                    + "--log-group");
        }
        TimeWindow window = time.window(null, Instant.now());
        Environment e = ctx.environment(env.given());
        try (Session session = ctx.session(e, aws.flags())) {
            Ingest.of(session, ctx.console(spec)).backfill(groups, window.from(), window.until(), zone.zones(e),
                    dryRun, rollups.rollup());
        }
        return ExitCode.OK;
    }
}
