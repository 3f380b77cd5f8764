package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.logs.RelatedLogGroups;
import io.pglogs.cli.logs.Retention;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.term.Json;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;

@Command(name = "show", description = "Show the retention and stored bytes of every PostgreSQL log group and of the "
        + "forwarder log groups; groups that never expire are flagged.")
public final class RetentionShowCommand implements Callable<Integer> {
    private final CliContext ctx;

    public RetentionShowCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Mixin
    OutputOptions output;

    record Group(String logGroup, Integer retentionDays, boolean neverExpires, Long storedBytes) {
    }

    @Override
    public Integer call() {
        List<Group> groups = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (AwsClients clients = aws.clients(ctx.settings().environment(null))) {
            for (LogGroup g : RelatedLogGroups.find(ctx, clients.logs(), missing)) {
                groups.add(new Group(g.logGroupName(), g.retentionInDays(), g.retentionInDays() == null,
                        g.storedBytes()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            out.println(Json.pretty(new JsonOutput(groups, missing)));
            return ExitCode.OK;
        }
        Style style = new Style(ctx.color());
        out.println(style.header(String.format("%-60s %-16s %12s", "log group", "retention", "stored bytes")));
        for (Group g : groups) {
            String retention = String.format("%-16s", Retention.describe(g.retentionDays()));
            out.println(String.format("%-60s ", Printable.line(g.logGroup()))
                    + (g.neverExpires() ? style.warn(retention) : retention)
                    + String.format(" %12d", g.storedBytes() == null ? 0 : g.storedBytes()));
        }
        long forever = groups.stream().filter(Group::neverExpires).count();
        if (forever > 0 && !ctx.quiet()) {
            out.println(style.warn(forever + " group(s) keep their logs forever: pglogs retention set"));
        }
        return ExitCode.OK;
    }

    record JsonOutput(List<Group> groups, List<String> missing) {
    }
}
