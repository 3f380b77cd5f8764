package io.pglogs.cli.status;

import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import java.util.Optional;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.cli.logs.SubscriptionSlots;
import io.pglogs.cli.term.Printable;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.StorageFormat;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.time.Clock;
import java.time.LocalDate;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.ingest.DeployedSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ContinuousBackupsStatus;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Reads an environment's deployment from DynamoDB, Lambda and CloudWatch Logs, and names what is wrong with it. */
public final class StatusCollector {
    private final DynamoDbClient ddb;
    private final LambdaClient lambda;
    private final CloudWatchLogsClient logs;
    private final SqsClient sqs;
    private final Clock clock;

    /** @param clock today's date, for the runtime's end of life */
    public StatusCollector(DynamoDbClient ddb, LambdaClient lambda, CloudWatchLogsClient logs, SqsClient sqs,
                           Clock clock) {
        this.ddb = ddb;
        this.lambda = lambda;
        this.logs = logs;
        this.sqs = sqs;
        this.clock = clock;
    }

    /**
     * @param instances the RDS instances configured for this environment
     * @param clusters  the Aurora clusters configured for this environment
     */
    public StatusReport collect(String environment, String region, String tableName, Optional<DeployedTable> deployed,
                                String functionName, List<String> instances, List<String> clusters, boolean prod) {
        List<String> problems = new ArrayList<>();
        StatusReport.Table table = deployed.map(t -> table(t, prod, problems)).orElseGet(() -> missingTable(tableName,
                environment, problems));
        FunctionConfiguration fn = function(functionName);
        StatusReport.Function function = describe(environment, functionName, fn, problems);
        unfinishedMove(environment, tableName, deployed, fn, problems);
        List<DeployedSettings.Setting> settings = settings(environment, tableName, deployed.map(t -> t.tags()
                .values()).orElse(Map.of()), functionName, table.exists(), fn, problems);
        List<StatusReport.LogGroup> groups = new ArrayList<>();
        groups.add(lambdaLogGroup(environment, functionName, problems));
        groups.addAll(postgresLogGroups(environment, fn, instances, clusters, problems));
        return new StatusReport(environment, region, table, function, settings, groups, problems, List.of());
    }

    /**
     * A move to another table whose collectors' apply failed leaves the function writing to the old table: the table
     * it writes to is not {@code <env>.table}, or is one the environment moved away from.
     */
    private void unfinishedMove(String environment, String tableName, Optional<DeployedTable> deployed,
                                FunctionConfiguration fn, List<String> problems) {
        if (fn == null || fn.environment() == null || fn.environment().variables() == null) {
            return;
        }
        String writesTo = fn.environment().variables().get("PGLOGS_TABLE");
        if (writesTo == null) {
            return;
        }
        Optional<DeployedTable> target = writesTo.equals(tableName) ? deployed : DeployedTable.read(ddb, writesTo);
        String by = target.map(t -> t.tags().replacedBy()).orElse(null);
        if (!writesTo.equals(tableName)) {
            problems.add("function " + fn.functionName() + " writes to " + writesTo + ", not to " + tableName + " ("
                    + environment + ".table)" + (by == null ? "" : ", and " + writesTo + " is tagged "
                    + TableTags.REPLACED_BY + "=" + by) + ": a move to " + tableName + " is not finished (pglogs start "
                    + environment + ")");
        } else if (by != null) {
            problems.add("function " + fn.functionName() + " writes to " + writesTo + ", which is tagged "
                    + TableTags.REPLACED_BY + "=" + by + ": " + environment + " moved to " + by + " (set "
                    + environment + ".table = " + by + ", then: pglogs start " + environment + ")");
        }
    }

    /** TTL, shards and redaction as the table publishes them and as the function has them: they must agree. */
    private List<DeployedSettings.Setting> settings(String environment, String tableName, Map<String, String> tableTags,
                                                    String functionName, boolean tableExists,
                                                    FunctionConfiguration fn, List<String> problems) {
        if (!tableExists && fn == null) {
            return List.of();
        }
        Map<String, String> env = fn == null ? null : fn.environment() == null
                || fn.environment().variables() == null ? Map.of() : fn.environment().variables();
        List<DeployedSettings.Setting> settings = DeployedSettings.compare(tableTags, env);
        for (DeployedSettings.Setting s : settings) {
            if (s.disagree()) {
                problems.add("table " + tableName + " has " + s.tag() + "=" + s.table() + " but function "
                        + functionName + " has " + s.variable() + "=" + s.function() + ": the writers disagree "
                        + "(backfill, import and redrive refuse to write; redeploy with pglogs start " + environment + ")");
            }
        }
        return settings;
    }

    private static StatusReport.Table missingTable(String name, String environment, List<String> problems) {
        problems.add("table " + name + " does not exist (start the environment: pglogs start " + environment + ")");
        return new StatusReport.Table(name, false, null, null, null, null, null, false, false, false, null, null);
    }

    private StatusReport.Table table(DeployedTable deployed, boolean prod, List<String> problems) {
        TableDescription t = deployed.description();
        String name = t.tableName();
        TimeToLiveDescription ttl = ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
        boolean ttlOn = ttl != null && ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                && ItemContract.EXPIRES_AT.equals(ttl.attributeName());
        boolean pitr = false;
        var backups = ddb.describeContinuousBackups(b -> b.tableName(name)).continuousBackupsDescription();
        if (backups != null && backups.continuousBackupsStatus() == ContinuousBackupsStatus.ENABLED
                && backups.pointInTimeRecoveryDescription() != null) {
            pitr = backups.pointInTimeRecoveryDescription().pointInTimeRecoveryStatus()
                    == PointInTimeRecoveryStatus.ENABLED;
        }
        Integer shards = null;
        try {
            shards = deployed.tags().shards();
        } catch (IllegalArgumentException e) {
            problems.add("table " + name + " has tag " + e.getMessage());
        }
        boolean deletionProtection = Boolean.TRUE.equals(t.deletionProtectionEnabled());
        if (!ttlOn) {
            problems.add("table " + name + " has no TTL on " + ItemContract.EXPIRES_AT + ": entries will never expire");
        }
        if (shards == null) {
            problems.add("table " + name + " has no " + ItemContract.SHARDS_TAG + " tag: readers assume "
                    + ItemContract.DEFAULT_SHARDS);
        }
        if (prod && !pitr) {
            problems.add("prod table " + name + " has no point-in-time recovery");
        }
        if (prod && !deletionProtection) {
            problems.add("prod table " + name + " has no deletion protection");
        }
        String billing = t.billingModeSummary() != null ? t.billingModeSummary().billingModeAsString() : "PROVISIONED";
        return new StatusReport.Table(name, true, t.tableStatusAsString(), billing, t.itemCount(), t.tableSizeBytes(),
                ttl == null ? null : ttl.attributeName(), ttlOn, pitr, deletionProtection, shards,
                storage(t, deployed.tags(), shards == null ? ItemContract.DEFAULT_SHARDS : shards, problems));
    }

    /** Newest items read per partition, and instances looked at, to tell how many entries a compact item holds. */
    private static final int SAMPLE_PER_PARTITION = 25;
    private static final int SAMPLE_INSTANCES = 4;

    private StatusReport.Storage storage(TableDescription t, TableTags tags, int shards, List<String> problems) {
        StorageFormat format;
        try {
            format = tags.format();
        } catch (IllegalArgumentException e) {
            problems.add("table " + t.tableName() + " has tag " + ItemContract.FORMAT_TAG + "="
                    + tags.get(ItemContract.FORMAT_TAG) + ": " + e.getMessage());
            return null;
        }
        Long bytesPerItem = t.itemCount() != null && t.itemCount() > 0 && t.tableSizeBytes() != null
                ? t.tableSizeBytes() / t.itemCount() : null;
        if (format == StorageFormat.ENTRIES) {
            return new StatusReport.Storage(format.label(), 1.0, null, bytesPerItem);
        }
        long entries = 0;
        int items = 0;
        LocalDate today = LocalDate.now(clock);
        for (LocalDate day : List.of(today, today.minusDays(1))) {
            List<String> instances = new ArrayList<>();
            AttributeValue catalog = AttributeValue.fromS(ItemContract.catalogKey(day));
            ddb.queryPaginator(b -> b.tableName(t.tableName()).keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", catalog)))
                    .items().stream().limit(SAMPLE_INSTANCES).forEach(i -> instances.add(i.get(ItemContract.SK).s()));
            for (String instance : instances) {
                for (int shard = 0; shard < shards; shard++) {
                    String pk = ItemContract.partitionKey(instance, day, shard);
                    for (var item : ddb.query(b -> b.tableName(t.tableName()).keyConditionExpression("pk = :pk")
                            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                            .expressionAttributeNames(Map.of("#n", ItemContract.ENTRIES)).projectionExpression("#n")
                            .scanIndexForward(false).limit(SAMPLE_PER_PARTITION)).items()) {
                        AttributeValue n = item.get(ItemContract.ENTRIES);
                        entries += n == null ? 1 : Long.parseLong(n.n());
                        items++;
                    }
                }
            }
            if (items > 0) {
                break;
            }
        }
        return new StatusReport.Storage(format.label(), items == 0 ? null : (double) entries / items,
                items == 0 ? null : items, bytesPerItem);
    }

    private FunctionConfiguration function(String name) {
        try {
            return lambda.getFunction(b -> b.functionName(name)).configuration();
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            return null;
        }
    }

    private StatusReport.Function describe(String environment, String name, FunctionConfiguration fn,
                                           List<String> problems) {
        Long failed = failedPayloads(environment, name, problems);
        if (fn == null) {
            problems.add("function " + name + " does not exist: nothing is being collected (pglogs start "
                    + environment + ")");
            return new StatusReport.Function(name, false, null, null, null, null, null, null, null, null, failed);
        }
        String destination = FailureQueue.destination(lambda, name);
        if (destination == null) {
            problems.add("function " + name + " has no on-failure destination: payloads that fail after Lambda's "
                    + "retries are lost");
        } else if (failed == null) {
            problems.add("the on-failure destination " + destination + " of " + name + " does not exist: payloads "
                    + "that fail after Lambda's retries are lost");
        }
        String state = fn.stateAsString();
        if (state != null && !"Active".equals(state)) {
            problems.add("function " + name + " is " + state
                    + (fn.stateReason() == null ? "" : ": " + fn.stateReason()));
        }
        String runtime = fn.runtimeAsString();
        LocalDate today = LocalDate.now(clock);
        LambdaRuntimes.problem(name, runtime, today).ifPresent(problems::add);
        String arch = fn.architecturesAsStrings().isEmpty() ? "x86_64" : fn.architecturesAsStrings().get(0);
        return new StatusReport.Function(name, true, state, runtime,
                LambdaRuntimes.endOfLife(runtime).map(LocalDate::toString).orElse(null),
                LambdaRuntimes.support(runtime, today).map(LambdaRuntimes.Support::label).orElse(null),
                fn.memorySize(), arch, fn.lastModified(), destination, failed);
    }

    /** How many payloads wait in the failure queue (a problem when any do), or null without a queue. */
    private Long failedPayloads(String environment, String function, List<String> problems) {
        var queue = FailureQueue.find(lambda, sqs, function);
        if (queue.isEmpty()) {
            return null;
        }
        long depth = queue.get().depth();
        if (depth > 0) {
            problems.add(depth + " payload(s) the forwarder could not store wait in " + queue.get().name()
                    + " (pglogs failed show " + environment + "; pglogs failed redrive " + environment + ")");
        }
        return depth;
    }

    private StatusReport.LogGroup lambdaLogGroup(String environment, String functionName, List<String> problems) {
        String name = LogGroups.lambdaGroup(functionName);
        var group = LogGroups.named(logs, name);
        if (group.isEmpty()) {
            problems.add("log group " + name + " does not exist");
            return new StatusReport.LogGroup(name, "lambda", false, null, null, false, true);
        }
        if (group.get().retentionInDays() == null) {
            // retention set covers the forwarders' groups whatever the environment it is given.
            problems.add("log group " + name + " never expires its events (pglogs retention set --env " + environment
                    + ")");
        }
        return new StatusReport.LogGroup(name, "lambda", true, group.get().retentionInDays(),
                group.get().storedBytes(), false, true);
    }

    private List<StatusReport.LogGroup> postgresLogGroups(String environment, FunctionConfiguration fn,
                                                          List<String> instances, List<String> clusters,
                                                          List<String> problems) {
        String filter = "pglogs-" + environment;
        Map<String, Boolean> configured = new LinkedHashMap<>();
        instances.forEach(i -> configured.put(LogSource.instanceLogGroup(i), true));
        clusters.forEach(c -> configured.put(LogSource.clusterLogGroup(c), true));
        List<StatusReport.LogGroup> out = new ArrayList<>();
        for (var g : LogGroups.postgres(logs)) {
            String name = g.logGroupName();
            boolean isConfigured = configured.remove(name) != null;
            // One DescribeSubscriptionFilters a group, and only where it tells something.
            SubscriptionSlots slots = fn != null || isConfigured ? SubscriptionSlots.of(logs, name) : null;
            boolean subscribed = fn != null && slots.filters().stream().anyMatch(f -> f.deliversTo(fn.functionArn()));
            if (isConfigured && !subscribed && !slots.admits(filter)) {
                problems.add("log group " + name + " is configured but full: its " + SubscriptionSlots.LIMIT
                        + " subscription filters are " + Printable.line(slots.describe()) + ", and CloudWatch allows "
                        + "no more: remove one, or leave it out of the configuration");
            } else if (isConfigured && !subscribed) {
                problems.add("log group " + name + " is configured but not subscribed to " + functionName(fn)
                        + " (pglogs start " + environment + ")");
            }
            if (g.retentionInDays() == null) {
                // retention set --env covers only the groups that environment collects from.
                problems.add("log group " + name + " never expires its events (pglogs retention set " + (isConfigured
                        ? "--env " + environment : "--log-group " + name) + ")");
            }
            out.add(new StatusReport.LogGroup(name, "postgresql", true, g.retentionInDays(), g.storedBytes(),
                    subscribed, isConfigured));
        }
        for (String missing : configured.keySet()) {
            problems.add("log group " + missing + " is configured but does not exist (is the instance exporting its "
                    + "postgresql log? " + configureCommand(missing) + ")");
            out.add(new StatusReport.LogGroup(missing, "postgresql", false, null, null, false, true));
        }
        return out;
    }

    /** /aws/rds/instance/ID/postgresql: pglogs rds configure --instance ID --preset standard (cluster alike). */
    static String configureCommand(String logGroup) {
        String[] parts = logGroup.split("/");
        return parts.length == 6 ? "pglogs rds configure --" + parts[3] + " " + parts[4] + " --preset standard"
                : "pglogs rds configure";
    }

    private static String functionName(FunctionConfiguration fn) {
        return fn == null ? "the forwarder" : fn.functionName();
    }
}
