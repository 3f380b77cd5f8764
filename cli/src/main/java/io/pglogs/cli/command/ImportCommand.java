package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.ingest.AlreadyStored;
import io.pglogs.cli.ingest.DeployedSettings;
import io.pglogs.cli.ingest.EntrySink;
import io.pglogs.cli.ingest.LogFileImporter;
import io.pglogs.cli.ingest.Progress;
import io.pglogs.cli.ingest.TableWriter;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.InstanceOptions;
import io.pglogs.cli.term.Printable;
import io.pglogs.forwarder.parse.LogTimeZone;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
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
    TableOptions table;

    @Mixin
    InstanceOptions instances;

    @Mixin
    LogTimezoneOptions zone;

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
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, ctx.terminal(), ctx.quiet());
        int failed = 0;
        LogTimeZone zones = zone.zones(table.environment());
        AwsClients clients = dryRun ? null : aws.clients(table.environment());
        DeployedSettings settings = clients == null ? null : table.writing(clients);
        try (TableWriter writer = clients == null ? TableWriter.parseOnly(zones)
                : new TableWriter(clients.dynamoDb(), table.table(), settings, zones, err, ctx.verbose())) {
            // The collectors may have stored the same hours under CloudWatch's ids: those entries are skipped.
            EntrySink sink = new EntrySink(writer.forwarder(), dryRun, clients == null ? null
                    : new AlreadyStored(clients.dynamoDb(), table.table(), settings.shards(),
                    settings.format()));
            LogFileImporter importer = new LogFileImporter(sink, progress, zones);
            for (Path f : files) {
                try {
                    long n = importer.importFile(f, instance);
                    progress.step(String.format("%s: %,d entries", Printable.line(f.toString()), n));
                } catch (FailureException e) {
                    failed++;
                    progress.clear();
                    err.println("pglogs: " + Printable.line(e.getMessage()));
                }
            }
            progress.step(sink.summary(dryRun ? "parsed" : "imported", progress)
                    + (dryRun ? "" : " into " + table.table()));
        } finally {
            if (clients != null) {
                clients.close();
            }
        }
        if (failed > 0) {
            err.println("pglogs: " + failed + " of " + files.size() + " files could not be imported whole");
            return ExitCode.FAILURE;
        }
        return ExitCode.OK;
    }
}
