package io.pglogs.cli.command;

import io.pglogs.cli.option.GlobalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pglogs",
        versionProvider = VersionProvider.class,
        description = "PostgreSQL logs from Amazon RDS and Aurora, out of CloudWatch and into DynamoDB.",
        subcommands = {StartCommand.class, StopCommand.class, StatusCommand.class, QueryCommand.class,
                ReportCommand.class, TailCommand.class, BackfillCommand.class, ImportCommand.class, FailedCommand.class,
                RetentionCommand.class, StateCommand.class, InstancesCommand.class,
                RdsCommand.class, LocalCommand.class, ConfigCommand.class, CompletionCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  failure (an AWS error, a failed Terraform step, problems found)",
                "  2  usage error", "  3  precondition not met (a missing binary, jar or confirmation)",
                "130  interrupted"})
public final class PglogsCommand extends GroupCommand {
    @Mixin(name = GlobalOptions.MIXIN_NAME)
    GlobalOptions global;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;
}
