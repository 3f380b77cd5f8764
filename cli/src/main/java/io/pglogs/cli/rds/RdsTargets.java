package io.pglogs.cli.rds;

import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;

/** Looks up an instance or cluster, checks it runs PostgreSQL, and wraps it as an {@link RdsTarget}. */
public final class RdsTargets {
    private static final int MAX_PARAMETERS_PER_CALL = 20;
    private static final String POSTGRESQL_LOG = "postgresql";

    private RdsTargets() {
    }

    public static RdsTarget instance(RdsClient rds, String id, String region) {
        DBInstance db;
        try {
            db = rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
        } catch (DbInstanceNotFoundException e) {
            throw new FailureException("no RDS instance '" + id + "' in " + region);
        }
        if ("aurora-postgresql".equals(db.engine())) {
            throw new PreconditionException("instance " + id + " belongs to Aurora cluster " + db.dbClusterIdentifier()
                    + ": configure the cluster with --cluster " + db.dbClusterIdentifier());
        }
        if (!"postgres".equals(db.engine())) {
            throw new PreconditionException("instance " + id + " runs " + db.engine() + ", not PostgreSQL");
        }
        String group = db.dbParameterGroups().get(0).dbParameterGroupName();
        String family = rds.describeDBParameterGroups(b -> b.dbParameterGroupName(group)).dbParameterGroups().get(0)
                .dbParameterGroupFamily();
        return new Instance(rds, db, group, family);
    }

    public static RdsTarget cluster(RdsClient rds, String id, String region) {
        DBCluster c;
        try {
            c = rds.describeDBClusters(b -> b.dbClusterIdentifier(id)).dbClusters().get(0);
        } catch (DbClusterNotFoundException e) {
            throw new FailureException("no RDS cluster '" + id + "' in " + region);
        }
        if (!"aurora-postgresql".equals(c.engine()) && !"postgres".equals(c.engine())) {
            throw new PreconditionException("cluster " + id + " runs " + c.engine() + ", not PostgreSQL");
        }
        String group = c.dbClusterParameterGroup();
        String family;
        try {
            family = rds.describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(group))
                    .dbClusterParameterGroups().get(0).dbParameterGroupFamily();
        } catch (DbParameterGroupNotFoundException e) {
            // Some default groups cannot be described by name; the family follows from engine and major version.
            family = c.engine() + c.engineVersion().split("\\.")[0];
        }
        return new Cluster(rds, c, group, family);
    }

    private static <T> void inChunks(List<T> items, java.util.function.Consumer<List<T>> call) {
        for (int i = 0; i < items.size(); i += MAX_PARAMETERS_PER_CALL) {
            call.accept(items.subList(i, Math.min(items.size(), i + MAX_PARAMETERS_PER_CALL)));
        }
    }

    private record Instance(RdsClient rds, DBInstance db, String parameterGroup, String family) implements RdsTarget {
        public String kind() {
            return "instance";
        }

        public String id() {
            return db.dbInstanceIdentifier();
        }

        public String engine() {
            return db.engine() + " " + db.engineVersion();
        }

        public boolean exportsPostgresql() {
            return db.enabledCloudwatchLogsExports().contains(POSTGRESQL_LOG);
        }

        public String applyStatus() {
            return db.dbParameterGroups().get(0).parameterApplyStatus();
        }

        public boolean groupExists(String name) {
            try {
                // AWS answers a missing name with DBParameterGroupNotFound, some emulators with an empty list.
                return !rds.describeDBParameterGroups(b -> b.dbParameterGroupName(name)).dbParameterGroups().isEmpty();
            } catch (DbParameterGroupNotFoundException e) {
                return false;
            }
        }

        public Map<String, String> userParameters(String group) {
            Map<String, String> values = new HashMap<>();
            rds.describeDBParametersPaginator(b -> b.dbParameterGroupName(group).source("user")).parameters()
                    .forEach(p -> values.put(p.parameterName(), p.parameterValue()));
            return values;
        }

        public String effectiveValue(String group, String name) {
            return rds.describeDBParametersPaginator(b -> b.dbParameterGroupName(group)).parameters().stream()
                    .filter(p -> name.equals(p.parameterName())).map(Parameter::parameterValue).findFirst()
                    .orElse(null);
        }

        public void createGroup(String name, String description) {
            rds.createDBParameterGroup(b -> b.dbParameterGroupName(name).dbParameterGroupFamily(family)
                    .description(description));
        }

        public void setParameters(String group, List<Parameter> parameters) {
            inChunks(parameters, chunk -> rds.modifyDBParameterGroup(b -> b.dbParameterGroupName(group)
                    .parameters(chunk)));
        }

        public void attach(String group, boolean enableExport) {
            rds.modifyDBInstance(b -> {
                b.dbInstanceIdentifier(id()).applyImmediately(false);
                if (group != null) {
                    b.dbParameterGroupName(group);
                }
                if (enableExport) {
                    b.cloudwatchLogsExportConfiguration(e -> e.enableLogTypes(POSTGRESQL_LOG));
                }
            });
        }

        public List<String> othersUsing(String group) {
            return rds.describeDBInstancesPaginator(b -> { }).dbInstances().stream()
                    .filter(d -> !d.dbInstanceIdentifier().equals(id()))
                    .filter(d -> d.dbParameterGroups().stream().anyMatch(g -> g.dbParameterGroupName().equals(group)))
                    .map(DBInstance::dbInstanceIdentifier).toList();
        }

        public String rebootHint() {
            return "aws rds reboot-db-instance --db-instance-identifier " + id();
        }
    }

    private record Cluster(RdsClient rds, DBCluster c, String parameterGroup, String family) implements RdsTarget {
        public String kind() {
            return "cluster";
        }

        public String id() {
            return c.dbClusterIdentifier();
        }

        public String engine() {
            return c.engine() + " " + c.engineVersion();
        }

        public boolean exportsPostgresql() {
            return c.enabledCloudwatchLogsExports().contains(POSTGRESQL_LOG);
        }

        public String applyStatus() {
            return c.dbClusterMembers().stream().map(m -> m.dbClusterParameterGroupStatus())
                    .filter(s -> s != null && !"in-sync".equals(s)).findFirst().orElse("in-sync");
        }

        public boolean groupExists(String name) {
            try {
                return !rds.describeDBClusterParameterGroups(b -> b.dbClusterParameterGroupName(name))
                        .dbClusterParameterGroups().isEmpty();
            } catch (DbParameterGroupNotFoundException e) {
                return false;
            }
        }

        public Map<String, String> userParameters(String group) {
            Map<String, String> values = new HashMap<>();
            rds.describeDBClusterParametersPaginator(b -> b.dbClusterParameterGroupName(group).source("user"))
                    .parameters().forEach(p -> values.put(p.parameterName(), p.parameterValue()));
            return values;
        }

        public String effectiveValue(String group, String name) {
            return rds.describeDBClusterParametersPaginator(b -> b.dbClusterParameterGroupName(group)).parameters()
                    .stream().filter(p -> name.equals(p.parameterName())).map(Parameter::parameterValue).findFirst()
                    .orElse(null);
        }

        public void createGroup(String name, String description) {
            rds.createDBClusterParameterGroup(b -> b.dbClusterParameterGroupName(name).dbParameterGroupFamily(family)
                    .description(description));
        }

        public void setParameters(String group, List<Parameter> parameters) {
            inChunks(parameters, chunk -> rds.modifyDBClusterParameterGroup(b -> b.dbClusterParameterGroupName(group)
                    .parameters(chunk)));
        }

        public void attach(String group, boolean enableExport) {
            rds.modifyDBCluster(b -> {
                b.dbClusterIdentifier(id()).applyImmediately(false);
                if (group != null) {
                    b.dbClusterParameterGroupName(group);
                }
                if (enableExport) {
                    b.cloudwatchLogsExportConfiguration(e -> e.enableLogTypes(POSTGRESQL_LOG));
                }
            });
        }

        public List<String> othersUsing(String group) {
            return rds.describeDBClustersPaginator(b -> { }).dbClusters().stream()
                    .filter(d -> !d.dbClusterIdentifier().equals(id()))
                    .filter(d -> group.equals(d.dbClusterParameterGroup()))
                    .map(DBCluster::dbClusterIdentifier).toList();
        }

        public String rebootHint() {
            return "reboot each instance of cluster " + id() + " (aws rds reboot-db-instance)";
        }
    }
}
