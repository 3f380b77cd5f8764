package io.pglogs.forwarder.cloudwatch;

/**
 * Which database a log group/stream belongs to.
 *
 * <p>{@code /aws/rds/instance/<id>/postgresql} names the instance. For {@code /aws/rds/cluster/<cluster>/postgresql}
 * Aurora names each stream after the writing instance, so the instance comes from the stream and the cluster is
 * recorded beside it. Any other group falls back to the group name, so nothing is ever unattributed.
 */
public record LogSource(String instance, String cluster, String logGroup, String logStream) {
    private static final String INSTANCE_PREFIX = "/aws/rds/instance/";
    private static final String CLUSTER_PREFIX = "/aws/rds/cluster/";
    private static final String SUFFIX = "/postgresql";

    public static LogSource of(String logGroup, String logStream) {
        String id = between(logGroup, INSTANCE_PREFIX);
        if (id != null) {
            return new LogSource(id, null, logGroup, logStream);
        }
        String cluster = between(logGroup, CLUSTER_PREFIX);
        if (cluster != null) {
            String instance = instanceFromStream(logStream);
            return new LogSource(instance != null ? instance : cluster, cluster, logGroup, logStream);
        }
        return new LogSource(logGroup, null, logGroup, logStream);
    }

    /** The log group RDS writes an instance's PostgreSQL log to. */
    public static String instanceLogGroup(String instanceId) {
        return INSTANCE_PREFIX + instanceId + SUFFIX;
    }

    /** The log group Aurora writes a cluster's PostgreSQL log to. */
    public static String clusterLogGroup(String clusterId) {
        return CLUSTER_PREFIX + clusterId + SUFFIX;
    }

    private static String between(String group, String prefix) {
        if (group != null && group.startsWith(prefix) && group.endsWith(SUFFIX)
                && group.length() > prefix.length() + SUFFIX.length()) {
            String id = group.substring(prefix.length(), group.length() - SUFFIX.length());
            return id.indexOf('/') < 0 ? id : null;
        }
        return null;
    }

    /** Aurora streams are named after the instance, sometimes with a ".N" file suffix: "my-instance-1.0". */
    private static String instanceFromStream(String stream) {
        if (stream == null || stream.isEmpty()) {
            return null;
        }
        int dot = stream.lastIndexOf('.');
        if (dot > 0 && dot < stream.length() - 1 && stream.substring(dot + 1).chars().allMatch(Character::isDigit)) {
            return stream.substring(0, dot);
        }
        return stream;
    }
}
