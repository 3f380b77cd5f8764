package io.pglogs.cli.command;

import io.pglogs.cli.app.Ingest;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.EnvOptions;
import io.pglogs.cli.option.InstanceOptions;
import io.pglogs.cli.option.LogTimezoneOptions;
import io.pglogs.cli.option.RollupOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", description = {
        "Store PostgreSQL log files: as downloaded from RDS (download-db-log-file-portion) or written by any server "
                + "with the RDS prefix, plain or .gz.",
        "Entries keep their continuation lines. Keys come from the file name and byte offset, so importing a file "
                + "again changes nothing; an interrupted import is completed by running it again.",
        "Entries the table already holds for that instance (same second, pid and message), such as those the "
                + "collectors stored from CloudWatch, are skipped and counted, so importing hours the Lambda already "
                + "collected duplicates nothing."})
public final class ImportCommand implements Callable<Integer> {
    private final CliContext ctx;

    public ImportCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    EnvOptions env;

    @Mixin
    InstanceOptions instances;

    @Mixin
    LogTimezoneOptions zone;

    @Mixin
    RollupOptions rollups;

    @Option(names = "--dry-run", description = "Parse and count; write nothing.")
    boolean dryRun;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files, plain or .gz.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        String instance = instances.one(spec);
        for (Path f : files) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new ParameterException(spec.commandLine(), "cannot read " + f);
            }
        }
        Environment e = ctx.environment(env.given());
        int failed;
        try (Session session = ctx.session(e, aws.flags())) {
            failed = Ingest.of(session, ctx.console(spec)).importFiles(files, instance, zone.zones(e), dryRun,
                    rollups.rollup());
        }
        if (failed > 0) {
            spec.commandLine().getErr().println("pglogs: " + failed + " of " + files.size()
                    + " files could not be imported whole");
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }
}
