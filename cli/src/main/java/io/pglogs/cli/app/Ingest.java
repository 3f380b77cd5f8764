package io.pglogs.cli.app;

import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.failed.FailedRecord;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.ingest.AlreadyStored;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.ingest.EntrySink;
import io.pglogs.cli.ingest.LogFileImporter;
import io.pglogs.cli.ingest.Progress;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.cli.ingest.WrittenRollups;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.term.Printable;
import io.pglogs.forwarder.cloudwatch.BadPayloadException;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.dynamo.Roller;
import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.ForwardingFailedException;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.parse.LogTimeZone;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Storing entries the collectors did not: log groups read back from CloudWatch (backfill), log files (import), and
 * the payloads of the failure queue (redrive). All write through the forwarder's own code with the deployment's
 * settings, under keys that make a second run change nothing.
 */
public final class Ingest {
    private static final Duration PER_PAYLOAD = Duration.ofMinutes(5);
    /** Spans rolled up at once after a write (each a few Queries and a put). */
    static final int ROLLUP_CONCURRENCY = 8;

    /** A payload that still fails, and why. */
    public record StillFailing(String messageId, String logGroup, String reason) {
    }

    public record RedriveReport(String queue, int stored, long entries, List<StillFailing> stillFailing) {
    }

    private final Session session;
    private final Console console;

    private Ingest(Session session, Console console) {
        this.session = session;
        this.console = console;
    }

    public static Ingest of(Session session, Console console) {
        return new Ingest(session, console);
    }

    private Progress progress() {
        return new Progress(console.err(), console.tty(), console.quiet());
    }

    private TableWriter writer(LogTimeZone zones, DeployedSettings settings) {
        return new TableWriter(session.aws().dynamoDb(), session.tableName(), settings, zones, console.err(),
                console.verbose());
    }

    /**
     * Reads the groups' events between two times and stores their entries (with dryRun: parses only); then, with
     * {@code rollup}, rolls up the spans written.
     */
    public void backfill(Collection<String> groups, Instant from, Instant to, LogTimeZone zones, boolean dryRun,
                         boolean rollup) throws InterruptedException {
        Progress progress = progress();
        DeployedSettings settings = dryRun ? null : session.writing();
        try (TableWriter writer = dryRun ? TableWriter.parseOnly(zones) : writer(zones, settings)) {
            CloudWatchLogsClient logs = session.aws().logs();
            for (String g : groups) {
                // Every group must exist before anything is written.
                if (LogGroups.named(logs, g).isEmpty()) {
                    throw new FailureException("log group " + g + " does not exist; nothing was written");
                }
            }
            EntrySink sink = new EntrySink(writer.forwarder(), dryRun);
            if (!dryRun) {
                sink.expiringBefore(Instant.now().minus(Duration.ofDays(settings.ttlDays())), settings.ttlDays());
            }
            for (String g : groups) {
                warnBeyondRetention(logs, g, from);
                long before = sink.entries();
                backfill(logs, g, from, to, sink, progress);
                sink.flush();
                progress.step(String.format("%s: %,d entries", g, sink.entries() - before));
            }
            progress.step(sink.summary(dryRun ? "read" : "backfilled", progress) + " from "
                    + from.truncatedTo(ChronoUnit.SECONDS) + " to " + to.truncatedTo(ChronoUnit.SECONDS)
                    + (dryRun ? "" : " into " + session.tableName()));
            if (!dryRun && rollup) {
                rollUp(writer, progress);
            }
        }
    }

    /**
     * Once a run has stored everything: rolls up the spans it wrote (the forwarder's roller looks back only 2 hours).
     * A span not rolled is told and counted, never fails the run: readers use its summaries or entries.
     */
    private void rollUp(TableWriter writer, Progress progress) throws InterruptedException {
        WrittenRollups.Outcome o = writer.rollUpWritten(ROLLUP_CONCURRENCY, progress);
        if (o.done() + o.notRolled() > 0) {
            progress.step(String.format("rolled up %,d spans", o.done()) + (o.notDue() == 0 ? ""
                    : String.format("; %,d spans ended less than %d minutes ago are left to the forwarder", o.notDue(),
                    Roller.WRITER_ROLL_AFTER_MILLIS / 60_000)));
        } else if (o.notDue() > 0) {
            progress.step(String.format("%,d spans ended less than %d minutes ago: left to the forwarder to roll up",
                    o.notDue(), Roller.WRITER_ROLL_AFTER_MILLIS / 60_000));
        }
        if (o.notRolled() > 0) {
            progress.clear();
            console.err().println(String.format("pglogs: warning: %,d spans were not rolled up; reports read them from "
                    + "their summaries or entries (slower, same counts)", o.notRolled()));
        }
    }

    /** FilterLogEvents finds nothing older than the group's retention: a window reaching further back is told so. */
    private void warnBeyondRetention(CloudWatchLogsClient logs, String group, Instant from) {
        Integer days = LogGroups.named(logs, group).map(LogGroup::retentionInDays).orElse(null);
        if (days == null) {
            return;
        }
        Instant kept = Instant.now().minus(Duration.ofDays(days));
        if (from.isBefore(kept)) {
            console.err().println("pglogs: warning: " + Printable.line(group) + " keeps " + days + " days of events "
                    + "(since about " + kept.truncatedTo(ChronoUnit.SECONDS) + "): the window before that is gone "
                    + "from CloudWatch; the instance's own log files may still have it (pglogs import)");
        }
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

    /**
     * Stores log files as entries of {@code instance}, skipping those the table already holds (the collectors may
     * have stored the same hours under CloudWatch's ids); with dryRun parses only and calls no AWS.
     *
     * Then, with {@code rollup} and every file imported whole, rolls up the spans written.
     *
     * @return how many files could not be imported whole (each told on stderr)
     */
    public int importFiles(List<Path> files, String instance, LogTimeZone zones, boolean dryRun, boolean rollup)
            throws InterruptedException {
        Progress progress = progress();
        int failed = 0;
        DeployedSettings settings = dryRun ? null : session.writing();
        try (TableWriter writer = dryRun ? TableWriter.parseOnly(zones) : writer(zones, settings)) {
            EntrySink sink = new EntrySink(writer.forwarder(), dryRun, dryRun ? null : new AlreadyStored(
                    session.aws().dynamoDb(), session.tableName(), settings.shards(), settings.format()));
            if (!dryRun) {
                sink.expiringBefore(Instant.now().minus(Duration.ofDays(settings.ttlDays())), settings.ttlDays());
            }
            LogFileImporter importer = new LogFileImporter(sink, progress, zones);
            for (Path f : files) {
                try {
                    long n = importer.importFile(f, instance);
                    progress.step(String.format("%s: %,d entries", Printable.line(f.toString()), n));
                } catch (FailureException e) {
                    failed++;
                    progress.clear();
                    console.err().println("pglogs: " + Printable.line(e.getMessage()));
                }
            }
            progress.step(sink.summary(dryRun ? "parsed" : "imported", progress)
                    + (dryRun ? "" : " into " + session.tableName()));
            if (!dryRun && rollup && failed == 0) {
                rollUp(writer, progress);
            }
        }
        return failed;
    }

    /**
     * Replays the failure queue: reads batches until it has nothing more to give; stored payloads are deleted,
     * failing ones are kept hidden until the end (so they are tried once per run) and then handed back. Then, with
     * {@code rollup} and no payload still failing, rolls up the spans written.
     */
    public RedriveReport redrive(LogTimeZone zones, boolean rollup) throws InterruptedException {
        FailureQueue queue = FailureQueue.find(session.aws().lambda(), session.aws().sqs(), session.functionName())
                .orElseThrow(() -> new PreconditionException("no failure queue "
                        + FailureQueue.conventionalName(session.functionName()) + " in " + session.aws().region().id()
                        + " (is " + session.env() + " started?)"));
        List<Message> failing = new ArrayList<>();
        List<StillFailing> reasons = new ArrayList<>();
        int stored = 0;
        long entries = 0;
        try (TableWriter writer = writer(zones, session.writing())) {
            List<Message> batch;
            while (!(batch = queue.read(10)).isEmpty()) {
                for (Message m : batch) {
                    FailedRecord record = FailedRecord.of(m);
                    try {
                        ForwardResult r = writer.forwarder().forward(record.decode(), Deadline.after(PER_PAYLOAD));
                        queue.delete(m); // only now: its entries are written
                        stored++;
                        entries += r.written();
                    } catch (BadPayloadException | ForwardingFailedException | SdkException e) {
                        failing.add(m);
                        reasons.add(new StillFailing(record.messageId(), record.logGroup(), e.getMessage()));
                    }
                }
            }
            if (rollup && reasons.isEmpty()) {
                rollUp(writer, progress());
            }
        } finally {
            queue.release(failing);
        }
        return new RedriveReport(queue.name(), stored, entries, reasons);
    }
}
