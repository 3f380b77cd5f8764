package io.pglogs.cli.terraform;

import io.pglogs.cli.table.DeployedTable;
import io.pglogs.cli.table.TableTags;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.failed.FailureQueue;
import io.pglogs.cli.logs.LogGroups;
import io.pglogs.forwarder.dynamo.ItemContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/** What start may find already in AWS, and how each root's state names it. */
public final class Adoptions {
    /** Set by persistent_data on every table it makes. */

    private Adoptions() {
    }

    /**
     * The log table, when it exists. Adopting it needs the operator's word: the table holds the logs, and a state that
     * adopts it can destroy it.
     *
     * @param prod the prod root keeps its table at the prevent_destroy address
     */
    public static Optional<Adoption> table(Optional<DeployedTable> deployed, String name, String environment,
                                           boolean prod) {
        if (deployed.isEmpty()) {
            return Optional.empty();
        }
        TableDescription t = deployed.get().description();
        String what = "table " + name + " (about " + t.itemCount() + " items, " + t.tableSizeBytes() + " bytes)";
        // Only a table with the log table's keys can be managed by persistent_data without replacing it.
        Map<String, String> keys = new HashMap<>();
        t.keySchema().forEach(k -> keys.put(k.keyTypeAsString(), k.attributeName()));
        if (!Map.of("HASH", ItemContract.PK, "RANGE", ItemContract.SK).equals(keys)) {
            throw new PreconditionException(what + " exists but is not a pglogs log table (its keys are " + keys
                    + "): name another table for " + environment + " (" + environment + ".table)");
        }
        String taggedFor = deployed.get().tags().environment();
        if (taggedFor != null && !taggedFor.equals(environment)) {
            throw new PreconditionException(what + " is tagged " + TableTags.ENVIRONMENT + "=" + taggedFor + ": it is "
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

    /**
     * Everything of the collectors that exists in AWS, under the addresses of the collectors roots: what
     * {@code stop --adopt} imports into a state that knows nothing of them (started from another working copy whose
     * state is lost or unreachable), so that the destroy removes them. Only what is recognisably this environment's
     * is taken: a function of that name that pglogs did not make for this table is refused, and a failure queue of
     * another name (a team's shared dead-letter queue) is left alone.
     *
     * @param found what AWS has; its subscribed groups must be in the root's configuration to have an address
     */
    public static List<Adoption> collectors(AwsClients clients, String environment, String table, String function,
                                            DeployedCollectors found) {
        List<Adoption> out = new ArrayList<>();
        String m = "module.collectors.";
        if (found.functionExists()) {
            requireOurs(clients.lambda().getFunction(b -> b.functionName(function)), environment, table, function);
            out.add(new Adoption(m + "aws_lambda_function.forwarder", function, "function " + function, false));
            // With SnapStart (prod) the failure destination and the permission are the alias's, not the function's.
            String qualifier = null;
            try {
                clients.lambda().getAlias(b -> b.functionName(function).name("live"));
                out.add(new Adoption(m + "aws_lambda_alias.live[0]", function + "/live", "alias live", false));
                qualifier = "live";
            } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
                // devel runs without SnapStart and its alias
            }
            String qualified = qualifier == null ? function : function + ":" + qualifier;
            String q = qualifier;
            try {
                clients.lambda().getFunctionEventInvokeConfig(b -> b.functionName(function).qualifier(q));
                out.add(new Adoption(m + "aws_lambda_function_event_invoke_config.forwarder", qualified,
                        "the function's failure destination", false));
            } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
                // never configured, or already gone
            }
            for (String kind : List.of("instances", "clusters")) {
                String sid = "pglogs-postgresql-" + kind;
                if (policyHas(clients, function, q, sid)) {
                    out.add(new Adoption(m + "aws_lambda_permission.postgres_log_groups[\"" + kind + "\"]",
                            qualified + "/" + sid, "the function's invoke permission for CloudWatch Logs (" + kind
                            + ")", false));
                }
            }
        }
        // The module names the queue after the function; a destination of another name is somebody else's queue.
        FailureQueue.find(clients.lambda(), clients.sqs(), function)
                .filter(q -> q.name().equals(function + "-failed"))
                .ifPresent(q -> out.add(new Adoption(m + "aws_sqs_queue.failed", q.url(), "queue " + q.name(), false)));
        lambdaLogGroup(clients.logs(), function).ifPresent(out::add);
        for (String group : found.subscribed()) {
            out.add(new Adoption(m + "aws_cloudwatch_log_subscription_filter.postgres[\"" + group + "\"]",
                    group + "|" + DeployedCollectors.filterName(environment), "subscription of " + group, false));
        }
        // The module names the role after the function: a role of another name is not the module's.
        if (found.role() != null && found.role().endsWith(":role/" + function)) {
            out.add(new Adoption(m + "aws_iam_role.forwarder", function, "role " + function, false));
            out.add(new Adoption(m + "aws_iam_role_policy.forwarder", function + ":pglogs-forwarder",
                    "the role's policy", false));
        }
        return out;
    }

    /** The collectors tag what they make managed-by=pglogs, and the function writes to the environment's table. */
    private static void requireOurs(GetFunctionResponse f, String environment, String table, String function) {
        String managedBy = f.tags() == null ? null : f.tags().get("managed-by");
        String writesTo = f.configuration().environment() == null ? null
                : f.configuration().environment().variables().get("PGLOGS_TABLE");
        if (!"pglogs".equals(managedBy) || !table.equals(writesTo)) {
            throw new PreconditionException("function " + function + " is not " + environment + "'s forwarder (tag "
                    + "managed-by=" + managedBy + ", writes to table " + writesTo + ", expected pglogs and " + table
                    + "): refusing to adopt and destroy it; check " + environment + ".function");
        }
    }

    private static boolean policyHas(AwsClients clients, String function, String qualifier,
                                     String statement) {
        try {
            return clients.lambda().getPolicy(b -> b.functionName(function).qualifier(qualifier)).policy().contains("\"" + statement + "\"");
        } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
            return false;
        }
    }
}
