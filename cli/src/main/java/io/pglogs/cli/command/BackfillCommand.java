package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.ingest.EntrySink;
import io.pglogs.cli.ingest.Progress;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.ClusterOptions;
import io.pglogs.cli.option.InstanceOptions;
import io.pglogs.cli.option.LogGroupOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.LogTimeZone;
import java.io.PrintWriter;
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
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

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
    TableOptions table;

    @Mixin
    InstanceOptions instances;

    @Mixin
    LogTimezoneOptions zone;

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
        Instant from = window.from();
        Instant to = window.until();
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, ctx.terminal(), ctx.quiet());
        LogTimeZone zones = zone.zones(table.environment());
        try (AwsClients clients = aws.clients(table.environment());
             TableWriter writer = dryRun ? TableWriter.parseOnly(zones) : new TableWriter(clients.dynamoDb(),
                     table.table(), table.writing(clients), zones, err, ctx.verbose())) {
            CloudWatchLogsClient logs = clients.logs();
            for (String g : groups) {
                // Every group must exist before anything is written.
                if (LogGroups.named(logs, g).isEmpty()) {
                    throw new FailureException("log group " + g + " does not exist; nothing was written");
                }
            }
            EntrySink sink = new EntrySink(writer.forwarder(), dryRun);
            for (String g : groups) {
                long before = sink.entries();
                backfill(logs, g, from, to, sink, progress);
                sink.flush();
                progress.step(String.format("%s: %,d entries", g, sink.entries() - before));
            }
            progress.step(sink.summary(dryRun ? "read" : "backfilled", progress) + " from " + from + " to " + to
                    + (dryRun ? "" : " into " + table.table()));
        }
        return ExitCode.OK;
    }

    private static void backfill(CloudWatchLogsClient logs, String group, Instant from, Instant to, EntrySink sink,
                                 Progress progress) throws InterruptedException {
        double span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName(group)
                .startTime(from.toEpochMilli()).endTime(to.toEpochMilli())).events()) {
            sink.add(group, e.logStreamName(), new LogEvent(e.eventId(), e.timestamp(), e.message()));
            progress.update(group, sink.entries(), (e.timestamp() - from.toEpochMilli()) / span);
        }
    }
}
