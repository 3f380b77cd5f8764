package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "config", description = "Show pglogs' configuration.", subcommands = ConfigShowCommand.class)
public final class ConfigCommand extends GroupCommand {
}
