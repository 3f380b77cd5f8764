package io.pglogs.cli.status;

import java.util.List;

/**
 * What status found, from the AWS APIs. Serialised as is for --output json.
 *
 * @param notes what to know that is no problem (with --local: what stands in for the function)
 */
public record StatusReport(
        String environment,
        String region,
        Table table,
        Function function,
        List<io.pglogs.cli.ingest.DeployedSettings.Setting> settings,
        List<LogGroup> logGroups,
        List<String> problems,
        List<String> notes) {

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
            Integer shards,
            Storage storage) {
    }

    /**
     * How the table stores entries and what an item holds: entries per item exactly (entries) or averaged over the
     * newest items of the latest catalogued day (compact, {@code sampledItems} of them), bytes per item from
     * DynamoDB's own estimate of the table (updated about every six hours); null where not known.
     */
    public record Storage(String format, Double entriesPerItem, Integer sampledItems, Long bytesPerItem) {
        public Double bytesPerEntry() {
            return entriesPerItem == null || bytesPerItem == null || entriesPerItem == 0 ? null
                    : bytesPerItem / entriesPerItem;
        }
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
