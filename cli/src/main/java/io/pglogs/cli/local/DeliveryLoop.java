package io.pglogs.cli.local;

import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.SubscriptionPayload;
import io.pglogs.forwarder.dynamo.Deadline;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.LogTimeZone;
import io.pglogs.forwarder.parse.PostgresLogParser;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * The local pipeline's stand-in for a CloudWatch Logs subscription, which moto cannot run for a Java Lambda: it
 * ships the local PostgreSQL's new log entries into the emulator's log group (PutLogEvents, as RDS does), reads them
 * back with their CloudWatch event ids (FilterLogEvents) and hands them to the forwarder's own code, every half
 * second, until stopped. A separate process: {@code java -cp <pglogs> io.pglogs.cli.local.DeliveryLoop <state dir>}.
 */
public final class DeliveryLoop {
    private static final Duration POLL = Duration.ofMillis(500);

    private DeliveryLoop() {
    }

    public static void main(String[] args) throws Exception {
        LocalState state = LocalState.at(Path.of(args[0]));
        PrintWriter log = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        try (AwsClients clients = state.clients();
             TableWriter writer = TableWriter.live(clients.dynamoDb(), LocalState.TABLE,
                     DeployedSettings.of(DeployedTable.read(clients.dynamoDb(), LocalState.TABLE).orElseThrow(),
                             DeployedSettings.functionEnvironment(clients.lambda(), LocalState.FUNCTION),
                             LocalState.FUNCTION), LogTimeZone.NONE, log, true)) {
            run(state, clients.logs(), writer, log);
        }
    }

    /** The loop's own file: local.properties belongs to 'pglogs local up'. */
    static final String STATUS_FILE = "delivery.status";

    private static void writeStatus(Path dir, long delivered) {
        try {
            Path tmp = dir.resolve(STATUS_FILE + ".tmp");
            java.nio.file.Files.writeString(tmp, delivered + " " + Instant.now() + "\n");
            java.nio.file.Files.move(tmp, dir.resolve(STATUS_FILE),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void run(LocalState state, CloudWatchLogsClient logs, TableWriter writer, PrintWriter log)
            throws InterruptedException {
        String group = state.get("log_group");
        String stream = state.get("log_stream");
        LogTailer tailer = new LogTailer(Path.of(state.get("pg_log")));
        PostgresLogParser parser = new PostgresLogParser();
        // Event ids already forwarded, with their time: FilterLogEvents re-reads a few seconds to catch stragglers.
        Map<String, Long> forwarded = new LinkedHashMap<>();
        long delivered = 0;
        long since = System.currentTimeMillis() - 60_000;
        long lastMillis = 0;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<InputLogEvent> put = new ArrayList<>();
                for (LogFileSplitter.RawEntry e : tailer.poll()) {
                    Instant ts = parser.parse(e.text()).timestamp();
                    long millis = ts != null ? ts.toEpochMilli() : System.currentTimeMillis();
                    // %t has whole seconds; like CloudWatch's own ingestion times, keep the file's order within one.
                    long next = lastMillis + 1;
                    if (next > millis && next < millis + 1000) {
                        millis = next;
                    }
                    lastMillis = millis;
                    put.add(InputLogEvent.builder().timestamp(millis).message(e.text()).build());
                }
                if (!put.isEmpty()) {
                    put.sort(java.util.Comparator.comparingLong(InputLogEvent::timestamp));
                    logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(put));
                }
                List<LogEvent> fresh = new ArrayList<>();
                long from = since;
                for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName(group)
                        .startTime(from)).events()) {
                    if (!forwarded.containsKey(e.eventId())) {
                        fresh.add(new LogEvent(e.eventId(), e.timestamp(), e.message()));
                        forwarded.put(e.eventId(), e.timestamp());
                    }
                }
                if (!fresh.isEmpty()) {
                    ForwardResult r = writer.forwarder().forward(
                            SubscriptionPayload.ofEvents("local", group, stream, fresh),
                            Deadline.after(Duration.ofMinutes(1)));
                    delivered += r.written();
                    writeStatus(state.dir(), delivered);
                    long newest = fresh.stream().mapToLong(LogEvent::timestamp).max().orElse(since);
                    since = Math.max(since, newest - 10_000);
                    long cutoff = since - 60_000;
                    forwarded.values().removeIf(t -> t < cutoff);
                }
            } catch (RuntimeException | java.io.IOException e) {
                log.println("pglogs local delivery: " + e.getMessage() + " (retrying)");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
