package io.pglogs.terraform;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The collectors: least privilege, scoped invocation, nothing lost, and no hold on the table. */
@Tag("integration")
class CollectorsTest {
    private static JsonNode module;

    @BeforeAll
    static void load() throws Exception {
        module = Hcl.load("collectors/postgres_logs");
    }

    @Test
    void theFunctionsOwnLogGroupKeepsFourteenDays() {
        JsonNode group = Hcl.block(module, "resource", "aws_cloudwatch_log_group", "lambda");
        assertEquals("/aws/lambda/${var.function_name}", group.path("name").asText());
        assertEquals("${var.log_retention_days}", group.path("retention_in_days").asText());
        assertEquals(14, Hcl.block(module, "variable", "log_retention_days").path("default").asInt());
        assertTrue(Hcl.block(module, "resource", "aws_lambda_function", "forwarder").path("depends_on").toString()
                .contains("aws_cloudwatch_log_group.lambda"), "the function must not create its log group first");
    }

    @Test
    void theRoleMayDoExactlyWhatTheForwarderNeedsAndNoMore() {
        JsonNode statements = Hcl.block(module, "data", "aws_iam_policy_document", "forwarder").path("statement");
        Map<String, List<String>> granted = new java.util.TreeMap<>();
        List<String> resources = new ArrayList<>();
        statements.forEach(s -> {
            for (String action : Hcl.strings(s.path("actions"))) {
                granted.put(action, Hcl.strings(s.path("resources")));
            }
            resources.addAll(Hcl.strings(s.path("resources")));
            assertFalse(s.has("not_actions") || s.has("not_resources"));
            assertNotEquals("Deny", s.path("effect").asText());
        });
        assertEquals(Map.of(
                "dynamodb:BatchWriteItem", List.of("${data.aws_dynamodb_table.logs.arn}"),
                "dynamodb:PutItem", List.of("${data.aws_dynamodb_table.logs.arn}"),
                "dynamodb:GetItem", List.of("${data.aws_dynamodb_table.logs.arn}"),
                "dynamodb:Query", List.of("${data.aws_dynamodb_table.logs.arn}"),
                "dynamodb:UpdateItem", List.of("${data.aws_dynamodb_table.logs.arn}"),
                "logs:CreateLogStream", List.of("${aws_cloudwatch_log_group.lambda.arn}:*"),
                "logs:PutLogEvents", List.of("${aws_cloudwatch_log_group.lambda.arn}:*"),
                "sqs:SendMessage", List.of("${aws_sqs_queue.failed.arn}")), granted);
        resources.forEach(r -> assertNotEquals("*", r));
        // Only the inline policy: no managed policy such as AWSLambdaBasicExecutionRole (logs:* on every group).
        assertFalse(module.path("resource").has("aws_iam_role_policy_attachment"));
    }

    /** failed redrive replays the queue's messages as entries: nobody but the forwarder's role may send to it. */
    @Test
    void onlyTheForwardersRoleMaySendToTheFailureQueue() {
        JsonNode policy = Hcl.block(module, "resource", "aws_sqs_queue_policy", "failed");
        assertEquals("${aws_sqs_queue.failed.id}", policy.path("queue_url").asText());
        assertEquals("${data.aws_iam_policy_document.failed_queue.json}", policy.path("policy").asText());
        JsonNode statements = Hcl.block(module, "data", "aws_iam_policy_document", "failed_queue").path("statement");
        assertEquals(1, statements.size());
        JsonNode deny = statements.get(0);
        assertEquals("Deny", deny.path("effect").asText());
        assertEquals(List.of("sqs:SendMessage"), Hcl.strings(deny.path("actions")));
        assertEquals(List.of("${aws_sqs_queue.failed.arn}"), Hcl.strings(deny.path("resources")));
        JsonNode principals = deny.path("principals").isArray() ? deny.path("principals").get(0) : deny.path("principals");
        assertEquals("*", principals.path("type").asText());
        assertEquals(List.of("*"), Hcl.strings(principals.path("identifiers")));
        JsonNode condition = deny.path("condition").isArray() ? deny.path("condition").get(0) : deny.path("condition");
        assertEquals("ArnNotEquals", condition.path("test").asText());
        assertEquals("aws:PrincipalArn", condition.path("variable").asText());
        assertEquals(List.of("${aws_iam_role.forwarder.arn}"), Hcl.strings(condition.path("values")));
        // Receiving and deleting (failed show, failed redrive) are not denied.
        assertFalse(deny.toString().contains("ReceiveMessage") || deny.toString().contains("DeleteMessage"));
    }

    @Test
    void cloudWatchLogsMayInvokeForThisAccountsPostgresGroupsWithOnePermission() {
        JsonNode permission = Hcl.block(module, "resource", "aws_lambda_permission", "postgres_log_groups");
        assertEquals("logs.amazonaws.com", permission.path("principal").asText());
        assertEquals("lambda:InvokeFunction", permission.path("action").asText());
        // A constant for_each, one statement per kind of group: the resource policy does not grow with the groups.
        assertEquals("{\"clusters\":\"cluster\",\"instances\":\"instance\"}", permission.path("for_each").toString());
        assertEquals("${local.log_group_arn_prefix}:/aws/rds/${each.value}/*/postgresql:*",
                permission.path("source_arn").asText());
        assertEquals("${data.aws_caller_identity.current.account_id}", permission.path("source_account").asText());
        JsonNode filter = Hcl.block(module, "resource", "aws_cloudwatch_log_subscription_filter", "postgres");
        assertEquals("${local.postgres_log_groups}", filter.path("for_each").asText());
        assertEquals("${each.value}", filter.path("log_group_name").asText());
        assertEquals("pglogs-${var.environment}", filter.path("name").asText(), "one filter per environment");
        String groups = Hcl.block(module, "locals").path("postgres_log_groups").asText();
        assertTrue(groups.contains("\"/aws/rds/instance/${id}/postgresql\""), groups);
        assertTrue(groups.contains("\"/aws/rds/cluster/${id}/postgresql\""), groups);
    }

    @Test
    void failedInvocationsAreKeptInAnEncryptedQueue() {
        JsonNode invoke = Hcl.block(module, "resource", "aws_lambda_function_event_invoke_config", "forwarder");
        assertEquals("${aws_sqs_queue.failed.arn}", Hcl.block(invoke, "destination_config", "on_failure")
                .path("destination").asText());
        assertEquals("${var.maximum_retry_attempts}", invoke.path("maximum_retry_attempts").asText());
        assertEquals("${var.maximum_event_age_in_seconds}", invoke.path("maximum_event_age_in_seconds").asText());
        JsonNode queue = Hcl.block(module, "resource", "aws_sqs_queue", "failed");
        assertTrue(queue.path("sqs_managed_sse_enabled").asBoolean());
    }

    @Test
    void theFunctionRunsTheForwarderJarWithItsConfiguration() {
        JsonNode fn = Hcl.block(module, "resource", "aws_lambda_function", "forwarder");
        String handler = fn.path("handler").asText();
        String className = handler.substring(0, handler.indexOf("::"));
        assertTrue(Files.isRegularFile(Hcl.ROOT.resolveSibling("lambda/src/main/java")
                .resolve(className.replace('.', '/') + ".java")), "no class " + className);
        assertEquals("${fileexists(var.lambda_jar_path) ? filebase64sha256(var.lambda_jar_path) : null}",
                fn.path("source_code_hash").asText());
        JsonNode env = Hcl.block(fn, "environment").path("variables");
        for (String name : List.of("PGLOGS_TABLE", "PGLOGS_TTL_DAYS", "PGLOGS_SHARDS", "PGLOGS_REDACT",
                "PGLOGS_SUMMARIES", "PGLOGS_LOG_TIMEZONE")) {
            assertTrue(env.has(name), "function environment lacks " + name);
        }
        assertEquals("${var.snapstart ? [1] : []}", fn.path("dynamic").path("snap_start").get(0).path("for_each")
                .asText());
        assertEquals("${var.snapstart ? aws_lambda_alias.live[0].arn : aws_lambda_function.forwarder.arn}",
                Hcl.block(module, "locals").path("invoke_arn").asText());
    }

    /**
     * TTL, shards, redaction, format and summaries have one place per environment: the table's tags, set by
     * persistent_data.
     */
    @Test
    void howEntriesAreWrittenComesFromTheTableTags() throws Exception {
        JsonNode env = Hcl.block(Hcl.block(module, "resource", "aws_lambda_function", "forwarder"), "environment")
                .path("variables");
        JsonNode locals = Hcl.block(module, "locals");
        assertEquals("${data.aws_dynamodb_table.logs.tags}", locals.path("table_tags").asText());
        for (String[] s : new String[][] {{"PGLOGS_TTL_DAYS", "ttl_days", "pglogs:ttl_days"},
                {"PGLOGS_SHARDS", "shards", "pglogs:shards"}, {"PGLOGS_REDACT", "redact", "pglogs:redact"},
                {"PGLOGS_FORMAT", "format", "pglogs:format"},
                {"PGLOGS_SUMMARIES", "summaries", "pglogs:summaries"}}) {
            assertEquals("${local." + s[1] + "}", env.path(s[0]).asText());
            assertTrue(locals.path(s[1]).asText().startsWith("${lookup(local.table_tags, \"" + s[2] + "\""),
                    locals.path(s[1]).asText());
            assertFalse(module.path("variable").has(s[1]), "a second place to set " + s[1]);
            for (String root : List.of("collectors/manage_devel", "collectors/manage_prod")) {
                assertFalse(Hcl.load(root).path("variable").has(s[1]), root + " can still set " + s[1]);
            }
        }
        // A table tagged before the switch existed: what auto gives its format, as the CLI's writers take it.
        assertTrue(locals.path("summaries").asText().contains("local.format == \"compact\" ? \"false\" : \"true\""),
                locals.path("summaries").asText());
    }

    @Test
    void theTableIsLookedUpNeverManaged() {
        assertEquals("${var.table_name}", Hcl.block(module, "data", "aws_dynamodb_table", "logs").path("name")
                .asText());
        assertFalse(module.path("resource").has("aws_dynamodb_table"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"collectors/manage_devel", "collectors/manage_prod"})
    void collectorRootsContainNoTable(String dir) throws Exception {
        JsonNode root = Hcl.load(dir);
        assertFalse(root.path("resource").has("aws_dynamodb_table"));
        assertEquals(List.of("collectors"), iterable(root.path("module").fieldNames()));
        assertEquals("../postgres_logs", Hcl.block(root, "module", "collectors").path("source").asText());
        String env = dir.substring(dir.indexOf('_') + 1);
        assertEquals("pglogs-forwarder-" + env, Hcl.block(root, "variable", "function_name").path("default")
                .asText());
        assertEquals("pglogs-" + env, Hcl.block(root, "variable", "table_name").path("default").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
