package io.pglogs.cli.option;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --cluster: Aurora cluster identifiers, one definition for every command that names clusters. */
public final class ClusterOptions {
    @Option(names = "--cluster", paramLabel = "ID", split = ",", converter = Values.RdsIdentifier.class,
            description = "Aurora PostgreSQL cluster; backfill takes several (repeatable or comma-separated).")
    List<String> clusters = new ArrayList<>();

    public List<String> all() {
        return clusters;
    }
}
