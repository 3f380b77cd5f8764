package io.pglogs.cli.terraform;

import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/** What start may find already in AWS, and how each root's state names it. */
public final class Adoptions {
    /** Set by persistent_data on every table it makes. */
    private static final String ENVIRONMENT_TAG = "pglogs:environment";

    private Adoptions() {
    }

    /**
     * The log table, when it exists. Adopting it needs the operator's word: the table holds the logs, and a state that
     * adopts it can destroy it.
     *
     * @param prod the prod root keeps its table at the prevent_destroy address
     */
    public static Optional<Adoption> table(DynamoDbClient ddb, String name, String environment, boolean prod) {
        TableDescription t;
        try {
            t = ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        String what = "table " + name + " (about " + t.itemCount() + " items, " + t.tableSizeBytes() + " bytes)";
        // Only a table with the log table's keys can be managed by persistent_data without replacing it.
        Map<String, String> keys = new HashMap<>();
        t.keySchema().forEach(k -> keys.put(k.keyTypeAsString(), k.attributeName()));
        if (!Map.of("HASH", ItemContract.PK, "RANGE", ItemContract.SK).equals(keys)) {
            throw new PreconditionException(what + " exists but is not a pglogs log table (its keys are " + keys
                    + "): name another table for " + environment + " (" + environment + ".table)");
        }
        String taggedFor = ddb.listTagsOfResource(b -> b.resourceArn(t.tableArn())).tags().stream()
                .filter(tag -> tag.key().equals(ENVIRONMENT_TAG)).map(Tag::value).findFirst().orElse(null);
        if (taggedFor != null && !taggedFor.equals(environment)) {
            throw new PreconditionException(what + " is tagged " + ENVIRONMENT_TAG + "=" + taggedFor + ": it is "
                    + taggedFor + "'s table, not " + environment + "'s; refusing to adopt it");
        }
        String protectedAddress = "module.table.aws_dynamodb_table.protected[0]";
        String plainAddress = "module.table.aws_dynamodb_table.this[0]";
        return Optional.of(new Adoption(prod ? protectedAddress : plainAddress, name, what, true,
                List.of(protectedAddress, plainAddress)));
    }

    /**
     * The function's own log group, which Lambda creates by itself the first time a function logs before Terraform
     * made the group. Adopted without asking: it holds the forwarder's diagnostics, and the apply only sets its
     * retention.
     */
    public static Optional<Adoption> lambdaLogGroup(CloudWatchLogsClient logs, String functionName) {
        String name = LogGroups.lambdaGroup(functionName);
        return LogGroups.named(logs, name).map(g -> new Adoption("module.collectors.aws_cloudwatch_log_group.lambda",
                name, "log group " + name + " (retention: " + (g.retentionInDays() == null ? "never expire"
                        : g.retentionInDays() + " days") + ")", false));
    }
}
