package io.pglogs.cli.command;

import io.pglogs.cli.app.Follow;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.SelectionOptions;
import io.pglogs.cli.option.TableOptions;
import io.pglogs.cli.option.TimeWindow;
import io.pglogs.cli.option.TimeWindowOptions;
import io.pglogs.cli.view.RowWriter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "tail", description = {
        "Print recent entries and, with --follow, keep printing every entry stored after it started, whatever its "
                + "own time (Lambda's retries deliver some hours late), each once, until interrupted.",
        "Following reads the table's DynamoDB stream every second. A table without a stream (deployed before "
                + "pglogs enabled it: run pglogs start again) is polled over the last five minutes instead."})
public final class TailCommand implements Callable<Integer>, OutputOptions.OwnFormats {
    private final CliContext ctx;

    public TailCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    EnvOptions env;

    @Mixin
    SelectionOptions selection;

    @Mixin
    TableOptions table;

    @Mixin
    TimeWindowOptions time;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new entries until interrupted.")
    boolean follow;

    @Option(names = "--poll-interval", paramLabel = "MS", defaultValue = "1000", hidden = true)
    long pollMillis;

    @Override
    public Integer call() {
        RowWriter writer = RowWriter.of(RowWriter.Format.valueOf(OutputOptions.format(spec,
                EnumSet.of(OutputOptions.Format.text, OutputOptions.Format.ndjson)).name()),
                spec.commandLine().getOut(), ctx.style());
        Instant start = Instant.now();
        TimeWindow window = follow ? new TimeWindow(time.start("10m", start), null) : time.window("10m", start);
        Follow.Request request = new Follow.Request(selection.named(), window.from(), window.until(),
                selection.filters(spec), follow, pollMillis);
        try (Session session = table.apply(ctx.session(ctx.environment(env.given()), aws.flags()))) {
            return Follow.run(session, ctx.console(spec), request, writer::row) ? ExitCode.OK : ExitCode.INTERRUPTED;
        }
    }
}
