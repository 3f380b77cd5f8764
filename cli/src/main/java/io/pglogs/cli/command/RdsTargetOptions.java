package io.pglogs.cli.command;

import io.pglogs.cli.option.ClusterOptions;
import io.pglogs.cli.option.InstanceOptions;
import io.pglogs.cli.rds.RdsTarget;
import io.pglogs.cli.rds.RdsTargets;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.rds.RdsClient;

/** One --instance or one --cluster: the database an rds command works on. */
@Command // a mixin without options of its own: picocli needs the annotation to take it
public final class RdsTargetOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    InstanceOptions instances;

    @Mixin
    ClusterOptions clusters;

    /** A usage error unless exactly one database is named: before anything calls AWS. */
    void check() {
        int named = instances.all().size() + clusters.all().size();
        if (named != 1) {
            throw new ParameterException(command.commandLine(), (named == 0 ? "name" : "name only") + " one "
                    + "--instance or one --cluster");
        }
    }

    RdsTarget find(RdsClient rds, String region) {
        check();
        return instances.all().isEmpty() ? RdsTargets.cluster(rds, clusters.all().get(0), region)
                : RdsTargets.instance(rds, instances.all().get(0), region);
    }
}
