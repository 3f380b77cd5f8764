package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "state", description = "Where the Terraform state of an environment is kept.",
        subcommands = {StateShowCommand.class})
public final class StateCommand extends GroupCommand {
}
