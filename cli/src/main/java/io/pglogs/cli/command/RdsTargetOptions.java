package io.pglogs.cli.command;

import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.rds.RdsTargets;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.rds.RdsClient;

/** --instance ID or --cluster ID, exactly one (a picocli exclusive group). */
public final class RdsTargetOptions {
    @Option(names = "--instance", paramLabel = "ID", required = true, description = "RDS for PostgreSQL instance.")
    String instance;

    @Option(names = "--cluster", paramLabel = "ID", required = true, description = "Aurora PostgreSQL cluster.")
    String cluster;

    RdsTarget find(RdsClient rds, String region) {
        return instance != null ? RdsTargets.instance(rds, instance, region) : RdsTargets.cluster(rds, cluster, region);
    }
}
