package io.pglogs.cli.option;

import io.pglogs.cli.app.RdsLogging;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
    public void check() {
        int named = instances.all().size() + clusters.all().size();
        if (named != 1) {
            throw new ParameterException(command.commandLine(), (named == 0 ? "name" : "name only") + " one "
                    + "--instance or one --cluster");
        }
    }

    /** The one database named, once {@link #check()} passed. */
    public RdsLogging.Target target() {
        check();
        return instances.all().isEmpty() ? new RdsLogging.Target(null, clusters.all().get(0))
                : new RdsLogging.Target(instances.all().get(0), null);
    }
}
