package io.pglogs.cli.command;

import io.pglogs.cli.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "rds", description = "PostgreSQL logging of RDS instances and Aurora clusters: parameter groups and "
        + "the CloudWatch Logs export.", subcommands = {RdsConfigureCommand.class, RdsShowCommand.class})
public final class RdsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
