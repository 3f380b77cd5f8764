package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "failed", description = "Payloads the forwarder could not store after Lambda's retries, kept in "
        + "the environment's failure queue: look at them, replay them.",
        subcommands = {FailedShowCommand.class, FailedRedriveCommand.class})
public final class FailedCommand extends GroupCommand {
}
