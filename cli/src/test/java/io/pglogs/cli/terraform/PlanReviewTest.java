package io.pglogs.cli.terraform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.error.FailureException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What start refuses or asks about in a plan, read from the JSON Terraform shows for it. */
class PlanReviewTest {
    private static PlanReview plan(String changes) throws Exception {
        return new PlanReview(new ObjectMapper().readTree("{\"resource_changes\":[" + changes + "]}"));
    }

    private static String change(String address, String type, String actions, String before) {
        return "{\"address\":\"" + address + "\",\"type\":\"" + type + "\",\"change\":{\"actions\":" + actions
                + ",\"before\":" + before + "}}";
    }

    @Test
    void aTableDeletedOrReplacedIsRefusedAndOneUpdatedIsNot() throws Exception {
        FailureException deleted = assertThrows(FailureException.class, () -> plan(change("module.table.x",
                "aws_dynamodb_table", "[\"delete\"]", "{\"name\":\"pglogs-prod\"}")).refuseToLoseATable());
        assertTrue(deleted.getMessage().startsWith("the plan would delete the table pglogs-prod (module.table.x)"),
                deleted.getMessage());
        assertDoesNotThrow(() -> plan(change("module.table.x", "aws_dynamodb_table", "[\"update\"]",
                "{\"name\":\"pglogs-prod\"}")).refuseToLoseATable());
    }

    @Test
    void subscriptionsAndTheFunctionRemovedOrReplacedAreListedOtherRemovalsAreNot() throws Exception {
        PlanReview review = plan(String.join(",",
                change("module.c.aws_cloudwatch_log_subscription_filter.s[0]",
                        "aws_cloudwatch_log_subscription_filter", "[\"delete\"]",
                        "{\"log_group_name\":\"/aws/rds/instance/a/postgresql\"}"),
                change("module.c.aws_lambda_function.f", "aws_lambda_function", "[\"delete\",\"create\"]",
                        "{\"function_name\":\"pglogs-forwarder-devel\"}"),
                change("module.c.aws_lambda_permission.p", "aws_lambda_permission", "[\"delete\"]", "{}"),
                change("module.c.aws_cloudwatch_log_subscription_filter.s[1]",
                        "aws_cloudwatch_log_subscription_filter", "[\"create\"]", "null")));
        assertEquals(List.of(
                "removes /aws/rds/instance/a/postgresql (module.c.aws_cloudwatch_log_subscription_filter.s[0])",
                "replaces pglogs-forwarder-devel (module.c.aws_lambda_function.f)"), review.collectorRemovals());
    }
}
