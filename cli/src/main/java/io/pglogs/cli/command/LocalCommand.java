package io.pglogs.cli.command;

import picocli.CommandLine.Command;

@Command(name = "local", description = {
        "The whole pipeline on this machine, no AWS account needed: moto as AWS, a real PostgreSQL 15 logging with "
                + "the RDS prefix, and a delivery loop standing in for the subscription.",
        "Other commands use it with --local."},
        subcommands = {LocalUpCommand.class, LocalDownCommand.class, LocalStatusCommand.class})
public final class LocalCommand extends GroupCommand {
}
