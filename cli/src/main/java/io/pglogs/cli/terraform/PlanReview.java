package io.pglogs.cli.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import io.pglogs.cli.error.FailureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a saved plan ({@code show -json}) would do that start must not do unasked: delete or replace a log table
 * (never), or remove what the collectors reach, its subscriptions and the function (only with its own consent).
 */
public final class PlanReview {
    /** The removals a plan makes that need their own consent: subscriptions and the function itself. */
    private static final Set<String> GUARDED_TYPES = Set.of("aws_cloudwatch_log_subscription_filter",
            "aws_lambda_function");

    private final JsonNode plan;

    public PlanReview(JsonNode plan) {
        this.plan = plan;
    }

    /**
     * No start deletes or replaces a log table, whatever the configuration says (a table at another address, a
     * changed key, a forgotten moved block): the stored logs would go with it. Destroying a table is stop's job, with
     * its own confirmations.
     */
    public void refuseToLoseATable() {
        for (JsonNode change : plan.path("resource_changes")) {
            if (change.path("type").asText().equals("aws_dynamodb_table")
                    && change.path("change").path("actions").toString().contains("delete")) {
                String name = change.path("change").path("before").path("name").asText("?");
                throw new FailureException("the plan would " + (change.path("change").path("actions").size() > 1
                        ? "replace" : "delete") + " the table " + name + " (" + change.path("address").asText()
                        + ") and every entry in it: nothing was changed. If a root switched prevent_destroy, swap "
                        + "from and to in its moved block; to destroy a table use 'pglogs stop --include-data'");
            }
        }
    }

    /** Each subscription or function the plan removes or replaces, for a person: "removes NAME (ADDRESS)". */
    public List<String> collectorRemovals() {
        List<String> removed = new ArrayList<>();
        for (JsonNode c : plan.path("resource_changes")) {
            JsonNode actions = c.path("change").path("actions");
            if (!GUARDED_TYPES.contains(c.path("type").asText()) || !actions.toString().contains("delete")) {
                continue;
            }
            JsonNode before = c.path("change").path("before");
            String name = before.has("log_group_name") ? before.path("log_group_name").asText()
                    : before.path("function_name").asText();
            removed.add((actions.toString().contains("create") ? "replaces " : "removes ") + name + " ("
                    + c.path("address").asText() + ")");
        }
        return removed;
    }
}
