package io.pglogs.cli.command;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.ExitCode;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.rds.CollectedDatabases;
import io.pglogs.cli.rds.PostgresFleet;
import io.pglogs.cli.term.Printable;
import io.pglogs.cli.term.Style;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.SubscriptionFilter;

@Command(name = "instances", description = {
        "List the region's RDS PostgreSQL instances and Aurora PostgreSQL clusters: engine, whether the postgresql "
                + "log export is on, whether its log group exists and its retention, and which environment's "
                + "collector is subscribed to it.",
        "With --env, also whether that environment collects from it (its rds_instances/aurora_clusters, or auto). "
                + "Databases whose export is off are listed with the command that turns it on."})
public final class InstancesCommand implements Callable<Integer> {
    private final CliContext ctx;

    public InstancesCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    AwsOptions aws;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Also show whether this environment "
            + "collects from each: ${COMPLETION-CANDIDATES}.")
    Environment env;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Style style = new Style(ctx.color());
        Environment e = ctx.settings().environment(env);
        try (AwsClients clients = aws.clients(e)) {
            List<PostgresFleet.Database> databases = PostgresFleet.list(clients.rds());
            Map<String, LogGroup> groups = new HashMap<>();
            LogGroups.postgres(clients.logs()).forEach(g -> groups.put(g.logGroupName(), g));
            CollectedDatabases collected = env == null ? null
                    : CollectedDatabases.resolve(ctx.settings(), env, clients::rds);
            // RDS ids run to 63 characters: the column is as wide as the longest one here.
            int idWidth = Math.max(2, databases.stream().mapToInt(db -> Printable.line(db.id()).length()).max()
                    .orElse(0));
            String row = "%-8s %-" + idWidth + "s %-18s %-7s %-16s %-14s%s";
            out.println(style.header(String.format(row, "kind", "id", "engine",
                    "export", "log group", "subscribed", env == null ? "" : " " + env + " collects")));
            List<PostgresFleet.Database> withoutExport = new ArrayList<>();
            for (PostgresFleet.Database db : databases) {
                LogGroup group = groups.get(db.logGroup());
                String logGroup = group == null ? "missing" : group.retentionInDays() == null ? "never expires"
                        : group.retentionInDays() + " days";
                String subscribed = group == null ? "-" : subscribers(clients, db.logGroup());
                String collects = collected == null ? ""
                        : " " + ((db.cluster() ? collected.clusters() : collected.instances()).contains(db.id())
                        ? "yes" : "no");
                out.println(String.format(row, db.kind(), Printable.line(db.id()),
                        db.engine() + " " + db.engineVersion(), db.exportsLog() ? "on" : "off", logGroup,
                        subscribed, collects));
                if (!db.exportsLog()) {
                    withoutExport.add(db);
                }
            }
            if (databases.isEmpty()) {
                out.println(style.dim("no PostgreSQL instance or cluster in " + clients.region()));
            }
            if (!withoutExport.isEmpty()) {
                out.println();
                out.println(style.warn("The PostgreSQL log export is off for " + withoutExport.size()
                        + " of them; nothing reaches CloudWatch until it is on:"));
                withoutExport.forEach(db -> out.println("  " + Printable.line(db.configureCommand())));
            }
        }
        return ExitCode.OK;
    }

    /** The environments whose collector subscribes the group (pglogs' filters), or what else does. */
    private static String subscribers(AwsClients clients, String group) {
        List<String> who = new ArrayList<>();
        for (SubscriptionFilter f : clients.logs().describeSubscriptionFilters(b -> b.logGroupName(group))
                .subscriptionFilters()) {
            String name = f.filterName();
            who.add(name.startsWith("pglogs-") ? name.substring("pglogs-".length()) : "other: " + name);
        }
        return who.isEmpty() ? "no" : Printable.line(String.join(",", who));
    }
}
