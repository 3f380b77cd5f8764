package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "retention", description = "CloudWatch Logs retention of the PostgreSQL and forwarder log groups.",
        subcommands = {RetentionSetCommand.class, RetentionShowCommand.class})
public final class RetentionCommand extends GroupCommand {
}
