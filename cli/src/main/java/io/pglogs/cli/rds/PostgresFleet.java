package io.pglogs.cli.rds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * Every PostgreSQL database of a region as RDS lists it (paginated): RDS PostgreSQL instances and Aurora PostgreSQL
 * clusters. The instances of an Aurora cluster are not listed on their own: the cluster is what logs.
 */
public final class PostgresFleet {
    private static final String POSTGRESQL_LOG = "postgresql";

    /** One database: an instance or a cluster. */
    public record Database(boolean cluster, String id, String engine, String engineVersion, boolean exportsLog,
                           Map<String, String> tags) {
        public String kind() {
            return cluster ? "cluster" : "instance";
        }

        /** The CloudWatch Logs group RDS exports its PostgreSQL log to. */
        public String logGroup() {
            return "/aws/rds/" + kind() + "/" + id + "/postgresql";
        }

        /** The command that turns the export on. */
        public String configureCommand() {
            return "pglogs rds configure --" + kind() + " " + id + " --preset standard";
        }
    }

    private PostgresFleet() {
    }

    public static List<Database> list(RdsClient rds) {
        List<Database> out = new ArrayList<>();
        for (DBInstance db : rds.describeDBInstancesPaginator().dbInstances()) {
            if ("postgres".equals(db.engine()) && db.dbClusterIdentifier() == null) {
                out.add(new Database(false, db.dbInstanceIdentifier(), db.engine(), db.engineVersion(),
                        db.enabledCloudwatchLogsExports().contains(POSTGRESQL_LOG), tags(db.tagList())));
            }
        }
        for (DBCluster c : rds.describeDBClustersPaginator().dbClusters()) {
            if ("aurora-postgresql".equals(c.engine()) || "postgres".equals(c.engine())) {
                out.add(new Database(true, c.dbClusterIdentifier(), c.engine(), c.engineVersion(),
                        c.enabledCloudwatchLogsExports().contains(POSTGRESQL_LOG), tags(c.tagList())));
            }
        }
        return out;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }
}
