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
            try {
                for (String g : groups) {
                    warnBeyondRetention(logs, g, from);
                    long before = sink.entries();
                    backfill(logs, g, from, to, sink, progress);
                    sink.flush();
                    progress.step(String.format("%s: %,d entries", g, sink.entries() - before));
                }
            } catch (ForwardingFailedException | SdkException e) {
                if (!dryRun && rollup) {
                    rollupSkipped(progress, "a payload failed part-way");
                }
                throw e;
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
     * Once a run has stored everything it could (every payload whole): rolls up the spans it wrote (the forwarder's
     * roller looks back only 2 hours). A span not rolled is told and counted, never fails the run: readers use its
     * summaries or entries.
     */
    private void rollUp(TableWriter writer, Progress progress) throws InterruptedException {
        WrittenRollups.Outcome o = writer.rollUpWritten(ROLLUP_CONCURRENCY, progress);
        long minutes = Roller.WRITER_ROLL_AFTER_MILLIS / 60_000;
        List<String> parts = new ArrayList<>();
        if (o.done() + o.nothing() + o.notRolled() + o.left() > 0) {
            parts.add(String.format("rolled up %,d spans", o.done()));
        }
        if (o.nothing() > 0) {
            parts.add(String.format("%,d held nothing to roll up", o.nothing()));
        }
        if (o.notDue() > 0) {
            // Not "left to the forwarder": its roller may have found such a span valid before this run bumped it,
            // and then never looks again (review P6, F9).
            parts.add(String.format("%,d ended less than %d minutes ago (by AWS's clock) and were not rolled up",
                    o.notDue(), minutes));
        }
        if (!parts.isEmpty()) {
            progress.step(String.join("; ", parts));
        }
        if (o.stoppedBy() != null) {
            progress.warn(String.format("pglogs: warning: rollup stopped after %d spans in a row failed (last: %s): "
                    + "%,d spans left and %,d not rolled up; reports read them from their summaries or entries "
                    + "(slower, same counts); the table may be throttling: --no-rollup skips this phase",
                    WrittenRollups.MAX_CONSECUTIVE_FAILURES, Printable.line(o.stoppedBy()), o.left(), o.notRolled()));
        } else if (o.notRolled() + o.left() > 0) {
            progress.warn(String.format("pglogs: warning: %,d spans were not rolled up; reports read them from their "
                    + "summaries or entries (slower, same counts)", o.notRolled() + o.left()));
        }
    }

    /** The rollup phase is not run: said in one line (the run's stored entries are fine). */
    private static void rollupSkipped(Progress progress, String why) {
        progress.warn("pglogs: no rollup this run: " + why + "; reports read the spans written from their "
                + "summaries or entries (slower, same counts)");
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
     * Then, with {@code rollup}, rolls up the spans written or found stored, also after files that failed (each stored
     * what it read whole): only a payload cut short (which ends the run) skips it.
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
                    session.aws().dynamoDb(), session.tableName(), settings.shards(), settings.format()))
                    .tellingStoredSpans(writer.foundStored());
            if (!dryRun) {
                sink.expiringBefore(Instant.now().minus(Duration.ofDays(settings.ttlDays())), settings.ttlDays());
            }
            LogFileImporter importer = new LogFileImporter(sink, progress, zones);
            try {
                for (Path f : files) {
                    try {
                        long n = importer.importFile(f, instance);
                        progress.step(String.format("%s: %,d entries", Printable.line(f.toString()), n));
                    } catch (FailureException e) {
                        // A file that could not be read whole: what was read of it is stored whole (the importer
                        // flushes first) or still pending for the next flush; nothing is cut short.
                        failed++;
                        progress.warn("pglogs: " + Printable.line(e.getMessage()));
                    }
                }
                sink.flush();
            } catch (ForwardingFailedException | SdkException e) {
                if (!dryRun && rollup) {
                    rollupSkipped(progress, "a payload failed part-way");
                }
                throw e;
            }
            progress.step(sink.summary(dryRun ? "parsed" : "imported", progress)
                    + (dryRun ? "" : " into " + session.tableName()));
            if (!dryRun && rollup) {
                rollUp(writer, progress);
            }
        }
        return failed;
    }

    /**
     * Replays the failure queue: reads batches until it has nothing more to give; stored payloads are deleted,
     * failing ones are kept hidden until the end (so they are tried once per run) and then handed back. Then, with
     * {@code rollup} and no payload failed part-way, rolls up the spans written: a payload that cannot be decoded
     * wrote nothing, so it does not hold the phase back.
     */
    public RedriveReport redrive(LogTimeZone zones, boolean rollup) throws InterruptedException {
        FailureQueue queue = FailureQueue.find(session.aws().lambda(), session.aws().sqs(), session.functionName())
                .orElseThrow(() -> new PreconditionException("no failure queue "
                        + FailureQueue.conventionalName(session.functionName()) + " in " + session.aws().region().id()
                        + " (is " + session.env() + " started?)"));
        List<Message> failing = new ArrayList<>();
        List<StillFailing> reasons = new ArrayList<>();
        int cutShort = 0;
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
                    } catch (BadPayloadException e) {
                        failing.add(m); // nothing written from it
                        reasons.add(new StillFailing(record.messageId(), record.logGroup(), e.getMessage()));
                    } catch (ForwardingFailedException | SdkException e) {
                        failing.add(m);
                        reasons.add(new StillFailing(record.messageId(), record.logGroup(), e.getMessage()));
                        cutShort++;
                    }
                }
            }
            if (rollup && cutShort > 0) {
                rollupSkipped(progress(), cutShort + " payloads failed part-way (the next redrive that stores them "
                        + "rolls up)");
            } else if (rollup) {
                rollUp(writer, progress());
            }
        } finally {
            queue.release(failing);
        }
        return new RedriveReport(queue.name(), stored, entries, reasons);
    }
}
