package io.pglogs.cli.command;

import io.pglogs.cli.local.LocalPipeline;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.LocalView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "status", description = "Show whether the local pipeline runs; exits 0 when all of it does, 1 "
        + "otherwise.")
public final class LocalStatusCommand implements Callable<Integer> {
    private final CliContext ctx;

    public LocalStatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        LocalPipeline.Status s = LocalPipeline.on(ctx.host(), spec.commandLine().getErr(), ctx.quiet()).status();
        new LocalView(spec.commandLine().getOut(), ctx.style()).status(s, output.json());
        return s.running() ? ExitCode.OK : ExitCode.FAILURE;
    }
}
