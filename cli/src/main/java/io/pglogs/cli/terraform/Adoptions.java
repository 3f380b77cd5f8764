package io.pglogs.cli.terraform;

import io.pglogs.cli.logs.LogGroups;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** What start may find already in AWS, and how each root's state names it. */
public final class Adoptions {
    private Adoptions() {
    }

    /**
     * The log table, when it exists. Adopting it needs the operator's word: the table holds the logs, and a state that
     * adopts it can destroy it.
     *
     * @param prod the prod root keeps its table at the prevent_destroy address
     */
    public static Optional<Adoption> table(DynamoDbClient ddb, String name, boolean prod) {
        TableDescription t;
        try {
            t = ddb.describeTable(b -> b.tableName(name)).table();
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
        String address = "module.table.aws_dynamodb_table." + (prod ? "protected" : "this") + "[0]";
        return Optional.of(new Adoption(address, name, "table " + name + " (about " + t.itemCount() + " items, "
                + t.tableSizeBytes() + " bytes)", true));
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
