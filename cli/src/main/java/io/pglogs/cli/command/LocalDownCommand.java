package io.pglogs.cli.command;

import io.pglogs.cli.local.LocalPipeline;
import io.pglogs.cli.option.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "down", description = "Stop the local pipeline and remove its data; leaves no process behind.")
public final class LocalDownCommand implements Callable<Integer> {
    private final CliContext ctx;

    public LocalDownCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LocalPipeline.on(ctx.host(), spec.commandLine().getErr(), ctx.quiet()).down();
        if (!ctx.quiet()) {
            spec.commandLine().getOut().println("local pipeline stopped");
        }
        return ExitCode.OK;
    }
}
