package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Setting;
import io.pglogs.cli.failed.FailedRecord;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.EnvArgument;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.model.Message;

@Command(name = "show", description = {
        "Show the payloads waiting in an environment's failure queue: how many, how old, from which log groups, and "
                + "the first error.",
        "Reading hides each message for a moment and hands it straight back; nothing is removed."})
public final class FailedShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public FailedShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "Read at most N payloads "
            + "(default: ${DEFAULT-VALUE}); the count covers them all.")
    int limit;

    @Mixin
    EnvArgument environment;

    /** The environment argument or --env, once the command runs. */
    Environment env;

    /** One payload, for --output json; times in ISO-8601. */
    record Payload(String messageId, String failedAt, String condition, String error, String logGroup) {
    }

    record Report(String queue, long count, String oldest, String newest, Map<String, Integer> logGroups,
                  String firstError, List<Payload> payloads) {
    }

    @Override
    public Integer call() {
        env = environment.required();
        String function = ctx.settings().get(Setting.FUNCTION, env).value();
        PrintWriter out = spec.commandLine().getOut();
        Report report;
        try (AwsClients clients = aws.clients(env)) {
            FailureQueue queue = FailureQueue.find(clients.lambda(), clients.sqs(), function).orElse(null);
            if (queue == null) {
                report = new Report(null, 0, null, null, Map.of(), null, List.of());
            } else {
                long depth = queue.depth();
                List<Message> messages = queue.read(limit);
                try {
                    report = report(queue.name(), Math.max(depth, messages.size()), messages);
                } finally {
                    queue.release(messages);
                }
            }
        }
        if (output.json()) {
            out.println(Json.pretty(report));
        } else {
            print(out, new Style(ctx.color()), report, function);
        }
        return ExitCode.OK;
    }

    /** The payloads oldest first: the first error is the one that started it. */
    private static Report report(String queue, long count, List<Message> messages) {
        List<FailedRecord> records = new ArrayList<>(messages.stream().map(FailedRecord::of).toList());
        records.sort(Comparator.comparing(FailedRecord::failedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        List<Payload> payloads = new ArrayList<>();
        Map<String, Integer> groups = new TreeMap<>();
        for (FailedRecord r : records) {
            String group = r.logGroup();
            groups.merge(group, 1, Integer::sum);
            payloads.add(new Payload(r.messageId(), iso(r.failedAt()), r.condition(), r.error(), group));
        }
        List<Instant> times = records.stream().map(FailedRecord::failedAt).filter(java.util.Objects::nonNull)
                .toList();
        String first = records.stream().filter(r -> r.error() != null).findFirst()
                .map(r -> (r.condition() == null ? "" : r.condition() + ": ") + r.error()).orElse(null);
        return new Report(queue, count, times.isEmpty() ? null : iso(times.get(0)),
                times.isEmpty() ? null : iso(times.get(times.size() - 1)), groups, first, payloads);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private void print(PrintWriter out, Style style, Report r, String function) {
        if (r.queue() == null) {
            out.println(style.warn("no failure queue " + FailureQueue.conventionalName(function) + " (is " + env
                    + " started?)"));
            return;
        }
        if (r.count() == 0) {
            out.println(style.ok("failure queue " + r.queue() + " is empty: every payload was stored"));
            return;
        }
        out.println(style.header("failure queue " + r.queue() + ": " + r.count() + " payload(s) not stored"));
        if (r.oldest() != null) {
            out.println(String.format("%-14s %s (%s ago)", "oldest", r.oldest(), ago(Instant.parse(r.oldest()))));
            out.println(String.format("%-14s %s (%s ago)", "newest", r.newest(), ago(Instant.parse(r.newest()))));
        }
        out.println("log groups:");
        r.logGroups().forEach((g, n) -> out.println(String.format("  %-60s %d", Printable.line(g), n)));
        if (r.firstError() != null) {
            out.println(String.format("%-14s %s", "first error", Printable.line(r.firstError())));
        }
        if (!ctx.quiet()) {
            out.println(style.dim("Replay them: pglogs failed redrive " + env + " (they stay queued until stored)"));
        }
    }

    private static String ago(Instant t) {
        Duration d = Duration.between(t, Instant.now());
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return Math.max(0, d.toMinutes()) + "m";
    }
}
