package io.pglogs.cli.command;

import io.pglogs.cli.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "retention", description = "CloudWatch Logs retention of the PostgreSQL and forwarder log groups.",
        subcommands = {RetentionSetCommand.class, RetentionShowCommand.class})
public final class RetentionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
