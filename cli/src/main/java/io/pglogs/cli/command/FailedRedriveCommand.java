package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.failed.FailedRecord;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import io.pglogs.forwarder.ForwardResult;
import io.pglogs.forwarder.ForwardingFailedException;
import io.pglogs.forwarder.cloudwatch.BadPayloadException;
import io.pglogs.forwarder.dynamo.Deadline;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.Message;

@Command(name = "redrive", description = {
        "Replay the payloads in an environment's failure queue through the forwarder's own code, with the "
                + "deployment's TTL, shards and redaction.",
        "A message is deleted only once its entries are written; one that still fails stays in the queue and its "
                + "reason is printed. Keys are CloudWatch's event ids, so running it again duplicates nothing. Exits 1 "
                + "when payloads still fail."})
public final class FailedRedriveCommand implements Callable<Integer> {
    private static final Duration PER_PAYLOAD = Duration.ofMinutes(5);

    private final CliContext ctx;

    public FailedRedriveCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    LogTimezoneOptions zone;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Mixin
    EnvArgument environment;

    /** The environment argument or --env, once the command runs. */
    Environment env;

    /** A payload that still fails, and why. */
    record StillFailing(String messageId, String logGroup, String reason) {
    }

    record Report(String queue, int stored, long entries, List<StillFailing> stillFailing) {
    }

    @Override
    public Integer call() throws Exception {
        env = environment.required();
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        String table = ctx.settings().get(Setting.TABLE, env).value();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Report report;
        try (AwsClients clients = aws.clients(env)) {
            FailureQueue queue = FailureQueue.find(clients.lambda(), clients.sqs(), function).orElseThrow(() ->
                    new PreconditionException("no failure queue " + FailureQueue.conventionalName(function)
                            + " in " + clients.region().id() + " (is " + env + " started?)"));
            try (TableWriter writer = new TableWriter(clients.dynamoDb(), table,
                    new TableOptions(ctx, env).writing(clients), zone.zones(env), err, ctx.verbose())) {
                report = redrive(queue, writer);
            }
        }
        if (output.json()) {
            out.println(Json.pretty(report));
        } else {
            Style style = new Style(ctx.color());
            for (StillFailing f : report.stillFailing()) {
                out.println(style.error("still fails") + " " + f.messageId() + " " + Printable.line(f.logGroup())
                        + ": " + Printable.line(f.reason()));
            }
            String summary = "stored " + report.stored() + " payload(s), " + report.entries() + " entries, into "
                    + table + "; " + report.stillFailing().size() + " still fail and stay in " + report.queue();
            out.println(report.stillFailing().isEmpty() ? style.ok(summary) : style.warn(summary));
        }
        return report.stillFailing().isEmpty() ? ExitCode.OK : ExitCode.FAILURE;
    }

    /**
     * Reads batches until the queue has nothing more to give: stored payloads are deleted, failing ones are kept
     * hidden until the end (so they are tried once per run) and then handed back.
     */
    private Report redrive(FailureQueue queue, TableWriter writer) throws InterruptedException {
        List<Message> failing = new ArrayList<>();
        List<StillFailing> reasons = new ArrayList<>();
        int stored = 0;
        long entries = 0;
        try {
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
        } finally {
            queue.release(failing);
        }
        return new Report(queue.name(), stored, entries, reasons);
    }
}
