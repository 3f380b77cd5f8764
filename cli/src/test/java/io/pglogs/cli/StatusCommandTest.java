package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.status.StatusCollector;
import io.pglogs.cli.status.StatusReport;
import io.pglogs.forwarder.dynamo.LogTable;
import io.pglogs.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** status against moto, with the deployment made through the real SDK as Terraform would make it. */
@Tag("integration")
class StatusCommandTest {
    private static MotoServer moto;
    private static String roleArn;
    private DynamoDbClient ddb;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private String region;

    @BeforeAll
    static void role() {
        moto = MotoServer.shared();
        try (IamClient iam = moto.configure(IamClient.builder()).region(software.amazon.awssdk.regions.Region.AWS_GLOBAL)
                .build()) {
            roleArn = iam.createRole(b -> b.roleName("pglogs-status-test-" + ProcessHandle.current().pid())
                    .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                    .role().arn();
        }
    }

    /** Each test in a region of its own: log groups are listed region-wide, and moto keeps regions apart. */
    private TestCli cli(String suffix, String region) {
        this.region = region;
        Region r = Region.of(region);
        ddb = moto.configure(DynamoDbClient.builder()).region(r).build();
        lambda = moto.configure(LambdaClient.builder()).region(r).build();
        logs = moto.configure(CloudWatchLogsClient.builder()).region(r).build();
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("AWS_REGION", region);
        cli.env.put("PGLOGS_DEVEL_TABLE", "status-table-" + suffix);
        cli.env.put("PGLOGS_DEVEL_FUNCTION", "status-fn-" + suffix);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "db1-" + suffix + ",db2-" + suffix);
        return cli;
    }

    private void deployTable(String name) {
        LogTable.create(ddb, name, 4);
    }

    private String deployFunction(String name) throws Exception {
        return deployFunction(name, Runtime.JAVA21);
    }

    private String deployFunction(String name, Runtime runtime) throws Exception {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("placeholder.txt"));
            z.write("the forwarder jar would be here".getBytes());
        }
        String arn = lambda.createFunction(b -> b.functionName(name).runtime(runtime).role(roleArn)
                .handler("io.pglogs.forwarder.ForwarderHandler::handleRequest").memorySize(512)
                .code(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray())))).functionArn();
        logs.createLogGroup(b -> b.logGroupName("/aws/lambda/" + name));
        logs.putRetentionPolicy(b -> b.logGroupName("/aws/lambda/" + name).retentionInDays(14));
        return arn;
    }

    @Test
    void aHealthyDeploymentInTextAndJson() throws Exception {
        TestCli cli = cli("ok", "eu-west-1");
        deployTable("status-table-ok");
        String fn = deployFunction("status-fn-ok");
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("status-fn-ok").maximumRetryAttempts(2)
                .destinationConfig(d -> d.onFailure(f -> f.destination(
                        "arn:aws:sqs:" + region + ":123456789012:status-fn-ok-failed"))));
        sqs().createQueue(b -> b.queueName("status-fn-ok-failed"));
        for (String db : List.of("db1-ok", "db2-ok")) {
            String group = "/aws/rds/instance/" + db + "/postgresql";
            logs.createLogGroup(b -> b.logGroupName(group));
            logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(14));
            logs.putSubscriptionFilter(b -> b.logGroupName(group).filterName("pglogs-devel").filterPattern("")
                    .destinationArn(fn));
        }

        TestCli.Result r = cli.run("status", "devel");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.startsWith("pglogs devel in eu-west-1\n"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("table status-table-ok") && l.contains("ACTIVE")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  TTL on expires_at") && l.endsWith("enabled")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("function status-fn-ok") && l.contains("java21 (supported until 2029-06-30), 512 MB")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("/aws/rds/instance/db1-ok/postgresql")
                && l.contains("14 days") && l.endsWith("yes")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("  failed payloads waiting") && l.endsWith(" 0")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("writes with shards") && l.endsWith("table tag 4, "
                + "function not set")), out);
        assertTrue(out.endsWith("healthy\n"), out);

        r = cli.run("status", "devel", "--output", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertTrue(json.get("healthy").asBoolean());
        assertTrue(json.at("/table/ttl_enabled").asBoolean());
        assertEquals(4, json.at("/table/shards").asInt());
        assertEquals("java21", json.at("/function/runtime").asText());
        assertEquals("2029-06-30", json.at("/function/runtime_end_of_life").asText());
        assertEquals("supported", json.at("/function/runtime_support").asText());
        assertEquals(0, json.at("/function/failed_payloads").asInt());
        assertEquals(3, json.get("log_groups").size());
    }

    @Test
    void problemsAreListedAndExit1() throws Exception {
        TestCli cli = cli("bad", "eu-central-1");
        deployTable("status-table-bad");
        String fn = deployFunction("status-fn-bad");
        logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/db1-bad/postgresql")); // never expires, unsubscribed
        logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/unlisted-bad/postgresql"));
        logs.putRetentionPolicy(b -> b.logGroupName("/aws/rds/instance/unlisted-bad/postgresql").retentionInDays(7));
        logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/unrelated-bad/upgrade"));
        // Another environment's group: retention set --env devel would not touch it, so the hint names it.
        logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/prodonly-bad/postgresql"));

        TestCli.Result r = cli.run("status", "--output", "json");
        assertEquals(1, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.get("healthy").asBoolean());
        List<String> problems = new ArrayList<>();
        json.get("problems").forEach(p -> problems.add(p.asText()));
        assertTrue(problems.contains("function status-fn-bad has no on-failure destination: payloads that fail "
                + "after Lambda's retries are lost"), problems.toString());
        assertTrue(problems.contains("log group /aws/rds/instance/db1-bad/postgresql is configured but not "
                + "subscribed to status-fn-bad (pglogs start devel)"), problems.toString());
        assertTrue(problems.contains("log group /aws/rds/instance/db1-bad/postgresql never expires its events "
                + "(pglogs retention set --env devel)"), problems.toString());
        assertTrue(problems.contains("log group /aws/rds/instance/db2-bad/postgresql is configured but does not "
                + "exist (is the instance exporting its postgresql log? pglogs rds configure --instance db2-bad --preset "
                + "standard)"), problems.toString());
        assertTrue(problems.contains("log group /aws/rds/instance/prodonly-bad/postgresql never expires its events "
                + "(pglogs retention set --log-group /aws/rds/instance/prodonly-bad/postgresql)"), problems.toString());
        JsonNode unlisted = find(json, "/aws/rds/instance/unlisted-bad/postgresql");
        assertFalse(unlisted.get("configured").asBoolean());
        assertEquals(7, unlisted.get("retention_days").asInt());
        assertNull(find(json, "/aws/rds/instance/unrelated-bad/upgrade"), "not a postgresql group");
        assertTrue(fn.endsWith("status-fn-bad"));

        r = cli.run("status");
        assertEquals(1, r.code());
        assertTrue(r.out().contains(problems.size() + " problems:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/aws/rds/instance/db1-bad/postgresql")
                && l.contains("never expires") && l.endsWith("no")), r.out());
    }

    /**
     * A move whose collectors' apply failed: the new table is made and named, but the function still writes to the
     * old one, tagged replaced_by. Then settings still naming the old table: the function writes to a replaced table.
     */
    @Test
    void aFunctionStillWritingToTheTableTheEnvironmentMovedFromIsAProblem() throws Exception {
        TestCli cli = cli("mv", "ap-northeast-2");
        deployTable("status-table-mv");
        deployTable("status-table-mv-old");
        String oldArn = ddb.describeTable(b -> b.tableName("status-table-mv-old")).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(oldArn).tags(t -> t.key("pglogs:replaced_by").value("status-table-mv")));
        deployFunction("status-fn-mv");
        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-mv")
                .environment(e -> e.variables(java.util.Map.of("PGLOGS_TABLE", "status-table-mv-old"))));

        TestCli.Result r = cli.run("status", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("  - function status-fn-mv writes to status-table-mv-old, not to status-table-mv "
                + "(devel.table), and status-table-mv-old is tagged pglogs:replaced_by=status-table-mv: a move to "
                + "status-table-mv is not finished (pglogs start devel)\n"), r.out());

        cli.env.put("PGLOGS_DEVEL_TABLE", "status-table-mv-old");
        r = cli.run("status", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("  - function status-fn-mv writes to status-table-mv-old, which is tagged "
                + "pglogs:replaced_by=status-table-mv: devel moved to status-table-mv (set devel.table = "
                + "status-table-mv, then: pglogs start devel)\n"), r.out());

        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-mv")
                .environment(e -> e.variables(java.util.Map.of("PGLOGS_TABLE", "status-table-mv"))));
        cli.env.put("PGLOGS_DEVEL_TABLE", "status-table-mv");
        r = cli.run("status", "devel");
        assertFalse(r.out().contains(" writes to "), r.out());
    }

    @Test
    void aFunctionOnARuntimePastItsEndOfLifeIsAProblem() throws Exception {
        TestCli cli = cli("eol", "ca-central-1");
        deployTable("status-table-eol");
        deployFunction("status-fn-eol", Runtime.JAVA17);

        TestCli.Result r = cli.run("status", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("function status-fn-eol")
                && l.contains("java17 (end of life 2026-06-30), 512 MB")), r.out());
        assertTrue(r.out().contains("  - function status-fn-eol runs on java17 (Amazon Linux 2), past its end of life "
                + "since 2026-06-30; "), r.out());

        JsonNode json = new ObjectMapper().readTree(cli.run("status", "devel", "-o", "json").out());
        assertEquals("ended", json.at("/function/runtime_support").asText());
        assertEquals("2026-06-30", json.at("/function/runtime_end_of_life").asText());
    }

    /** The same deployment judged on different days: the clock is the collector's, not the machine's. */
    @Test
    void theEndOfLifeIsJudgedByTheClockGiven() throws Exception {
        cli("clock", "sa-east-1");
        deployFunction("status-fn-clock", Runtime.JAVA21);
        java.util.function.Function<String, StatusReport> on = day -> new StatusCollector(ddb, lambda, logs, sqs(),
                Clock.fixed(Instant.parse(day + "T12:00:00Z"), ZoneOffset.UTC))
                .collect("devel", region, "status-table-clock", java.util.Optional.empty(), "status-fn-clock", List.of(),
                        List.of(), false);

        StatusReport early = on.apply("2026-11-29");
        assertEquals("supported", early.function().runtimeSupport());
        assertTrue(early.problems().stream().noneMatch(p -> p.contains("end of life")), early.problems().toString());

        assertEquals("ending", on.apply("2029-03-01").function().runtimeSupport());

        StatusReport late = on.apply("2029-07-01");
        assertEquals("ended", late.function().runtimeSupport());
        assertTrue(late.problems().contains("function status-fn-clock runs on java21 (Amazon Linux 2023), past its "
                + "end of life since 2029-06-30; Lambda blocks updates to it from 2029-08-31 (set the collectors' runtime "
                + "variable to a supported runtime)"), late.problems().toString());
    }

    @Test
    void aStoppedEnvironmentSaysWhatIsMissing() throws Exception {
        TestCli.Result r = cli("none", "ap-south-1").run("status", "devel", "-o", "json");
        assertEquals(1, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertFalse(json.at("/table/exists").asBoolean());
        assertFalse(json.at("/function/exists").asBoolean());
        assertTrue(json.get("problems").toString().contains("table status-table-none does not exist"));
    }

    @Test
    void writersThatDisagreeAndAMissingFailureQueueAreProblems() throws Exception {
        TestCli cli = cli("split", "eu-west-2");
        ddb.createTable(b -> b.tableName("status-table-split").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"))
                .tags(t -> t.key("pglogs:shards").value("4"), t -> t.key("pglogs:ttl_days").value("90"),
                        t -> t.key("pglogs:redact").value("true")));
        deployFunction("status-fn-split");
        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-split").environment(e -> e.variables(
                java.util.Map.of("PGLOGS_TABLE", "status-table-split", "PGLOGS_SHARDS", "8", "PGLOGS_TTL_DAYS", "90",
                        "PGLOGS_REDACT", "1"))));
        lambda.putFunctionEventInvokeConfig(b -> b.functionName("status-fn-split").destinationConfig(d -> d.onFailure(
                f -> f.destination("arn:aws:sqs:" + region + ":123456789012:status-fn-split-failed"))));

        TestCli.Result r = cli.run("status", "-o", "json");
        assertEquals(1, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> problems = new ArrayList<>();
        json.get("problems").forEach(p -> problems.add(p.asText()));
        assertTrue(problems.contains("table status-table-split has pglogs:shards=4 but function status-fn-split has "
                + "PGLOGS_SHARDS=8: the writers disagree (backfill, import and redrive refuse to write; redeploy with "
                + "pglogs start devel)"), problems.toString());
        assertFalse(problems.stream().anyMatch(p -> p.contains("PGLOGS_REDACT") || p.contains("PGLOGS_TTL_DAYS")),
                "true and 1 are the same setting: " + problems);
        assertTrue(problems.contains("the on-failure destination arn:aws:sqs:eu-west-2:123456789012:"
                + "status-fn-split-failed of status-fn-split does not exist: payloads that fail after Lambda's "
                + "retries are lost"), problems.toString());
        TestCli.Result text = cli.run("status");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("writes with shards")
                && l.endsWith("table tag 4, function 8: they disagree")), text.out());

        java.nio.file.Path file = java.nio.file.Files.createTempFile("pglogs-split-", ".log");
        java.nio.file.Files.writeString(file, "2024-05-01 10:00:00 UTC:10.0.0.1(1):app@db:[7]:LOG:  checkpoint\n");
        r = cli.run("import", "-i", "split-db", file.toString());
        java.nio.file.Files.delete(file);
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: the deployment disagrees with itself (pglogs:shards=4 on table status-table-split but "
                + "PGLOGS_SHARDS=8 in function status-fn-split): entries written now would not match the Lambda's; "
                + "nothing was written. Redeploy with pglogs start devel, then pglogs status devel\n", r.err());
        assertEquals(0, ddb.scan(b -> b.tableName("status-table-split")).count(), "import wrote something");
    }

    /**
     * A teammate's older pglogs (before the literals level) ran start: the table and the function went back to
     * passwords while devel.redact asks for literals. Both are problems, and setting passwords clears them.
     */
    @Test
    void aDeploymentRedactingLessThanTheSettingAsksIsAProblem() throws Exception {
        TestCli cli = cli("older", "eu-north-1");
        ddb.createTable(b -> b.tableName("status-table-older").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"))
                .tags(t -> t.key("pglogs:shards").value("4"), t -> t.key("pglogs:ttl_days").value("90"),
                        t -> t.key("pglogs:redact").value("true")));
        deployFunction("status-fn-older");
        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-older").environment(e -> e.variables(
                java.util.Map.of("PGLOGS_TABLE", "status-table-older", "PGLOGS_SHARDS", "4", "PGLOGS_TTL_DAYS",
                        "90", "PGLOGS_REDACT", "true"))));
        cli.env.put("PGLOGS_DEVEL_REDACT", "literals");

        TestCli.Result r = cli.run("status", "devel", "-o", "json");
        assertEquals(1, r.code(), r.toString());
        List<String> problems = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("problems").forEach(p -> problems.add(p.asText()));
        String fix = ": entries are stored with less redaction than configured (a pglogs release without the level, "
                + "or without the setting, redeployed it); redeploy with pglogs start devel";
        assertTrue(problems.contains("table status-table-older has pglogs:redact=true (passwords), less than "
                + "devel.redact=literals" + fix), problems.toString());
        assertTrue(problems.contains("function status-fn-older has PGLOGS_REDACT=true (passwords), less than "
                + "devel.redact=literals" + fix), problems.toString());
        assertTrue(cli.run("status", "devel").out().contains("less than devel.redact=literals"));

        // Redeployed at literals: nothing is less.
        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-older").environment(e -> e.variables(
                java.util.Map.of("PGLOGS_TABLE", "status-table-older", "PGLOGS_SHARDS", "4", "PGLOGS_TTL_DAYS",
                        "90", "PGLOGS_REDACT", "literals"))));
        ddb.tagResource(b -> b.resourceArn(ddb.describeTable(d -> d.tableName("status-table-older")).table()
                .tableArn()).tags(t -> t.key("pglogs:redact").value("literals")));
        r = cli.run("status", "devel", "-o", "json");
        assertFalse(r.out().contains("less than devel.redact"), r.out());

        cli.env.put("PGLOGS_DEVEL_REDACT", "passwords");
        ddb.tagResource(b -> b.resourceArn(ddb.describeTable(d -> d.tableName("status-table-older")).table()
                .tableArn()).tags(t -> t.key("pglogs:redact").value("false")));
        r = cli.run("status", "devel", "-o", "json");
        assertTrue(r.out().contains("table status-table-older has pglogs:redact=false (none), less than "
                + "devel.redact=passwords"), r.out());
        assertFalse(r.out().contains("has PGLOGS_REDACT=literals (literals), less than"), "literals is not less: "
                + r.out());
    }

    /** A function deployed without PGLOGS_REDACT beside a table tagged literals: a problem with no local setting. */
    @Test
    void aFunctionRedactingLessThanItsTableIsAProblemWithoutALocalSetting() throws Exception {
        TestCli cli = cli("nolevel", "eu-south-1");
        ddb.createTable(b -> b.tableName("status-table-nolevel").billingMode("PAY_PER_REQUEST")
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"),
                        a -> a.attributeName("sk").attributeType("S"))
                .tags(t -> t.key("pglogs:shards").value("4"), t -> t.key("pglogs:ttl_days").value("90"),
                        t -> t.key("pglogs:redact").value("literals")));
        deployFunction("status-fn-nolevel");
        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-nolevel").environment(e -> e.variables(
                java.util.Map.of("PGLOGS_TABLE", "status-table-nolevel", "PGLOGS_SHARDS", "4", "PGLOGS_TTL_DAYS",
                        "90"))));

        TestCli.Result r = cli.run("status", "devel", "-o", "json");
        List<String> problems = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("problems").forEach(p -> problems.add(p.asText()));
        assertTrue(problems.contains("function status-fn-nolevel has PGLOGS_REDACT=(not set) (passwords), less than "
                + "table status-table-nolevel's pglogs:redact=literals (literals): entries are stored with less "
                + "redaction than the deployment says; redeploy with pglogs start devel"), problems.toString());

        lambda.updateFunctionConfiguration(b -> b.functionName("status-fn-nolevel").environment(e -> e.variables(
                java.util.Map.of("PGLOGS_TABLE", "status-table-nolevel", "PGLOGS_SHARDS", "4", "PGLOGS_TTL_DAYS",
                        "90", "PGLOGS_REDACT", "literals"))));
        r = cli.run("status", "devel", "-o", "json");
        assertFalse(r.out().contains("less than table"), r.out());
    }

    private software.amazon.awssdk.services.sqs.SqsClient sqs() {
        return moto.configure(software.amazon.awssdk.services.sqs.SqsClient.builder()).region(Region.of(region))
                .build();
    }

    @Test
    void anUnreachableEndpointIsOneLineExit1() {
        TestCli cli = cli("down", "us-west-2");
        TestCli.Result r = cli.run("status", "--endpoint-url", "http://127.0.0.1:9");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: cannot reach AWS: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    private static JsonNode find(JsonNode json, String group) {
        for (JsonNode g : json.get("log_groups")) {
            if (g.get("name").asText().equals(group)) {
                return g;
            }
        }
        return null;
    }
}
