package io.pglogs.cli.command;

import io.pglogs.cli.local.LocalPipeline;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.view.LocalView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "up", description = "Start the local pipeline (or say it runs). Prints PostgreSQL's URL and the "
        + "emulator's endpoint.")
public final class LocalUpCommand implements Callable<Integer> {
    private final CliContext ctx;

    public LocalUpCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LocalPipeline.Status s = LocalPipeline.on(ctx.host(), spec.commandLine().getErr(), ctx.quiet()).up();
        new LocalView(spec.commandLine().getOut(), ctx.style()).started(s, ctx.quiet());
        return ExitCode.OK;
    }
}
