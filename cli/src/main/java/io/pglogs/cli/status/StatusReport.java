package io.pglogs.cli.status;

import java.util.List;

/** What status found, from the AWS APIs. Serialised as is for --output json. */
public record StatusReport(
        String environment,
        String region,
        Table table,
        Function function,
        List<io.pglogs.cli.ingest.DeployedSettings.Setting> settings,
        List<LogGroup> logGroups,
        List<String> problems) {

    public boolean healthy() {
        return problems.isEmpty();
    }

    public record Table(
            String name,
            boolean exists,
            String status,
            String billingMode,
            Long approximateItemCount,
            Long approximateBytes,
            String ttlAttribute,
            boolean ttlEnabled,
            boolean pointInTimeRecovery,
            boolean deletionProtection,
            Integer shards) {
    }

    /**
     * @param runtimeEndOfLife the day Lambda deprecates (or deprecated) the runtime; null when not known
     * @param runtimeSupport   {@link LambdaRuntimes.Support} name: supported, ending (within 180 days) or ended; null
     *                         when not known
     */
    public record Function(
            String name,
            boolean exists,
            String state,
            String runtime,
            String runtimeEndOfLife,
            String runtimeSupport,
            Integer memoryMb,
            String architecture,
            String lastModified,
            String onFailureDestination,
            Long failedPayloads) {
    }

    /**
     * @param kind           "lambda" for the forwarder's own group, "postgresql" for an RDS/Aurora group
     * @param retentionDays  null when the group never expires its events
     * @param subscribed     a subscription filter sends it to this environment's forwarder
     * @param configured     the configuration lists its instance or cluster for this environment
     */
    public record LogGroup(
            String name,
            String kind,
            boolean exists,
            Integer retentionDays,
            Long storedBytes,
            boolean subscribed,
            boolean configured) {
    }
}
