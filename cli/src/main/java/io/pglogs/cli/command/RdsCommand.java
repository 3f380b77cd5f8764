package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "rds", description = "PostgreSQL logging of RDS instances and Aurora clusters: parameter groups and "
        + "the CloudWatch Logs export.", subcommands = {RdsConfigureCommand.class, RdsShowCommand.class})
public final class RdsCommand extends GroupCommand {
}
