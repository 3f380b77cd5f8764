package io.pglogs.cli.command;

import io.pglogs.cli.app.Fleet;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.option.AwsOptions;
import io.pglogs.cli.option.CliContext;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.view.InstancesView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Mixin
    OutputOptions output;

    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Also show whether this environment "
            + "collects from each: ${COMPLETION-CANDIDATES}.")
    Environment env;

    @Override
    public Integer call() {
        try (Session session = ctx.session(ctx.environment(env), aws.flags())) {
            Fleet.Listing listing = Fleet.of(session).list(env != null);
            new InstancesView(spec.commandLine().getOut(), ctx.style()).print(listing,
                    env == null ? null : env.name(), output.json());
        }
        return ExitCode.OK;
    }
}
