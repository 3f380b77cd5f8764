package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.dynamo.LogTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The real roots, applied by pglogs with HashiCorp's AWS provider against moto: what applying them showed would fail
 * on a real account. Each test takes a region (and function name) of its own, so they run side by side: most of their
 * time is the provider waiting for SQS and Lambda to settle.
 */
// Regions no other test class uses: tests of region-wide listings (retention --all) would see these groups.
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class DeploymentTest {
    private static final Path JAR = Path.of("../lambda/target/pglogs-forwarder.jar").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Path terraform;

    @BeforeEach
    void copyTheRealTerraform() throws IOException {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: the lambda module is packaged before these tests");
        terraform = copyTerraform(tmp.resolve("terraform"));
    }

    /** terraform/ as shipped: modules and roots, without the checkout's own state, tests or build output. */
    static Path copyTerraform(Path to) throws IOException {
        Path from = Path.of("../terraform").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                String first = rel.getNameCount() > 0 ? rel.getName(0).toString() : "";
                if (first.equals("src") || first.equals("target") || first.equals("pom.xml")
                        || rel.toString().contains(".terraform")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to.resolve(rel.toString()));
                } else {
                    Files.copy(f, to.resolve(rel.toString()));
                }
            }
        }
        return to;
    }

    private TestCli cli(MotoRegion region) {
        TestCli cli = region.cli().withTerraform();
        cli.terraformDir(terraform);
        cli.env.put("PGLOGS_LAMBDA_JAR", JAR.toString());
        // IAM is global to the account: each region's collectors need a role (named after the function) of their own.
        cli.env.put("PGLOGS_DEVEL_FUNCTION", function(region));
        return cli;
    }

    /** An instance to collect from: start refuses an empty list before it plans anything. */
    private static TestCli withInstance(TestCli cli) {
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        return cli;
    }

    private static String function(MotoRegion region) {
        return "pglogs-forwarder-devel-" + region.region.id();
    }

    private DynamoDbClient dynamoDb(MotoRegion region) {
        return region.moto.configure(DynamoDbClient.builder()).region(region.region).build();
    }

    /** A function of another team's, for their subscription filters to deliver to. */
    private static String foreignFunction(MotoRegion region, String name) {
        String role;
        try (IamClient iam = region.moto.configure(IamClient.builder()).region(Region.AWS_GLOBAL).build()) {
            role = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                    + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        }
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            return lambda.createFunction(b -> b.functionName(name).runtime("python3.12").role(role).handler("x.y")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(zip())))).functionArn();
        }
    }

    private static byte[] zip() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(bytes)) {
            z.putNextEntry(new java.util.zip.ZipEntry("x.py"));
            z.write("def y(event, context):\n    return None\n".getBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * CloudWatch allows two subscription filters per log group. A start whose configured group is full, or missing,
     * is refused before anything is planned, naming each group and who holds its filters; moto refuses a third filter
     * as AWS does, so without the check the apply would fail half-way. A group with one foreign filter takes pglogs'
     * as the second, and a second start replaces pglogs' own filter in place.
     */
    @Test
    void aStartWhoseGroupIsFullOrMissingIsRefusedBeforeAnythingChanges() throws IOException {
        MotoRegion region = new MotoRegion("ca-west-1");
        String full = "/aws/rds/instance/full-db/postgresql";
        String shared = "/aws/rds/instance/ok-db/postgresql";
        region.logs.createLogGroup(b -> b.logGroupName(full));
        region.logs.createLogGroup(b -> b.logGroupName(shared));
        String datadog = foreignFunction(region, "datadog-forwarder-limit-test");
        String splunk = foreignFunction(region, "splunk-forwarder-limit-test");
        for (String[] f : new String[][] {{full, "datadog", datadog}, {full, "splunk", splunk},
                {shared, "datadog", datadog}}) {
            region.logs.putSubscriptionFilter(b -> b.logGroupName(f[0]).filterName(f[1]).filterPattern("")
                    .destinationArn(f[2]));
        }
        assertThrows(software.amazon.awssdk.services.cloudwatchlogs.model.LimitExceededException.class,
                () -> region.logs.putSubscriptionFilter(b -> b.logGroupName(full).filterName("third")
                        .filterPattern("").destinationArn(datadog)), "moto enforces the limit as AWS does");
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "ok-db,full-db,gone-db");

        TestCli.Result r = cli.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("pglogs: cannot subscribe " + full + " is full: its 2 subscription filters are "
                + "datadog (" + datadog + ") and splunk (" + splunk + ")"), r.err());
        assertTrue(r.err().contains("pglogs: cannot subscribe /aws/rds/instance/gone-db/postgresql does not exist: "
                + "instance gone-db does not export its log yet (turn it on: pglogs rds configure --instance gone-db "
                + "--preset standard)"), r.err());
        assertTrue(r.err().contains("pglogs: 2 configured log group(s) cannot be subscribed to the devel forwarder "
                + "(listed above): nothing was changed"), r.err());
        assertFalse(r.out().contains("==> [1/2]"), "nothing was planned: " + r.out());
        assertThrows(software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class,
                () -> dynamoDb(region).describeTable(b -> b.tableName("pglogs-devel")), "no table was made");
        assertEquals(1, region.logs.describeSubscriptionFilters(b -> b.logGroupName(shared)).subscriptionFilters()
                .size(), "no subscription was made");

        TestCli.Result status = cli.run("status", "devel");
        assertTrue(status.out().contains("log group " + full + " is configured but full: its 2 subscription filters "
                + "are datadog"), status.out());

        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "ok-db");
        r = cli.run("start", "devel", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("datadog", "pglogs-devel"), region.logs.describeSubscriptionFilters(b -> b
                .logGroupName(shared)).subscriptionFilters().stream().map(f -> f.filterName()).sorted().toList());
        r = cli.run("start", "devel", "--yes");
        assertEquals(0, r.code(), "pglogs' own filter is replaced in place, not a third: " + r);
    }

    /**
     * {@code <env>.redact} reaches the table's tag and, through it, the function; a start whose settings leave it
     * out (a colleague's, a CI runner's) keeps the table's level rather than going back to the default.
     */
    @Test
    void theRedactionLevelIsTheSettingsAndAStartWithoutItKeepsTheTables() {
        MotoRegion region = new MotoRegion("eu-central-1");
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = withInstance(cli(region));
        cli.env.put("PGLOGS_DEVEL_REDACT", "Literals");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        DynamoDbClient ddb = dynamoDb(region);
        String arn = ddb.describeTable(b -> b.tableName("pglogs-devel")).table().tableArn();
        java.util.function.Supplier<String> tag = () -> ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().stream()
                .filter(t -> t.key().equals("pglogs:redact")).map(t -> t.value()).findFirst().orElse(null);
        assertEquals("literals", tag.get());
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            Map<String, String> env = lambda.getFunctionConfiguration(b -> b.functionName(function(region)))
                    .environment().variables();
            assertEquals("literals", env.get("PGLOGS_REDACT"));
            // devel.summaries unset on a new entries table: the root's auto, which is on for entries.
            assertEquals("true", tag(ddb, arn, "pglogs:summaries"));
            assertEquals("true", env.get("PGLOGS_SUMMARIES"));
        }

        cli.env.remove("PGLOGS_DEVEL_REDACT");
        cli.env.put("PGLOGS_DEVEL_SUMMARIES", "off");
        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals("literals", tag.get(), "a start without the setting keeps the table's level");
        assertEquals("false", tag(ddb, arn, "pglogs:summaries"), "off on an entries table");
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            assertEquals("false", lambda.getFunctionConfiguration(b -> b.functionName(function(region)))
                    .environment().variables().get("PGLOGS_SUMMARIES"));
        }
        cli.env.remove("PGLOGS_DEVEL_SUMMARIES");

        cli.env.put("PGLOGS_DEVEL_REDACT", "everything");
        r = cli.run("start", "devel");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: devel.redact 'everything' (env PGLOGS_DEVEL_REDACT) is not a redaction level: use none, "
                + "passwords (the default) or literals\n", r.err());
    }

    /**
     * {@code <env>.summaries}: auto on a new compact table is off (with ordinary payloads summaries would cost as much
     * as the compact items); on switches it by changing the tag in place, the table and its entries kept; a start
     * without the setting keeps the table's; a value that is no choice is exit 2 with nothing asked of AWS.
     */
    @Test
    void summariesAreOffOnANewCompactTableAndTheSettingSwitchesThemInPlace() throws Exception {
        // A moto of its own: every region of the shared one that the provider knows is some other test's.
        MotoRegion region = new MotoRegion(io.pglogs.testing.MotoServer.dedicated(), "eu-west-1");
        try {
            region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
            TestCli cli = withInstance(cli(region));
            cli.env.put("PGLOGS_DEVEL_STORAGE", "compact");
            TestCli.Result r = cli.run("start", "devel");
            assertEquals(0, r.code(), r.toString());
            DynamoDbClient ddb = dynamoDb(region);
            var table = ddb.describeTable(b -> b.tableName("pglogs-devel")).table();
            assertEquals("compact", tag(ddb, table.tableArn(), "pglogs:format"));
            assertEquals("false", tag(ddb, table.tableArn(), "pglogs:summaries"), "auto on compact is off");
            assertEquals("false", functionVariable(region, "PGLOGS_SUMMARIES"));

            cli.env.put("PGLOGS_DEVEL_SUMMARIES", "On");
            r = cli.run("start", "devel");
            assertEquals(0, r.code(), r.toString());
            String data = r.out().substring(r.out().indexOf("[1/2]"), r.out().indexOf("[2/2]"));
            assertTrue(data.contains("will be updated in-place"), data);
            assertTrue(data.contains("0 to add, 1 to change, 0 to destroy"), data);
            assertEquals(table.creationDateTime(), ddb.describeTable(b -> b.tableName("pglogs-devel")).table()
                    .creationDateTime(), "the same table, not a new one");
            assertEquals("true", tag(ddb, table.tableArn(), "pglogs:summaries"));
            assertEquals("true", functionVariable(region, "PGLOGS_SUMMARIES"));

            cli.env.remove("PGLOGS_DEVEL_SUMMARIES");
            r = cli.run("start", "devel");
            assertEquals(0, r.code(), r.toString());
            assertEquals("true", tag(ddb, table.tableArn(), "pglogs:summaries"),
                    "a start without the setting keeps the table's, not auto's");

            cli.env.put("PGLOGS_DEVEL_SUMMARIES", "sometimes");
            r = cli.run("start", "devel");
            assertEquals(2, r.code(), r.toString());
            assertEquals("pglogs: devel.summaries 'sometimes' (env PGLOGS_DEVEL_SUMMARIES) is not a summaries choice: "
                    + "use auto (the default: on for entries, off for compact), on or off\n", r.err());
        } finally {
            region.moto.close();
        }
    }

    /**
     * The table's tag as pglogs reads it (DeployedTable): the last value listed for the key. moto's TagResource appends
     * a changed key's new value after the old one where DynamoDB replaces it, so the last is the one DynamoDB keeps.
     */
    private static String tag(DynamoDbClient ddb, String arn, String key) {
        return ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags().stream().filter(t -> t.key().equals(key))
                .map(t -> t.value()).reduce((first, last) -> last).orElse(null);
    }

    private static String functionVariable(MotoRegion region, String name) {
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            return lambda.getFunctionConfiguration(b -> b.functionName(function(region))).environment().variables()
                    .get(name);
        }
    }

    @Test
    void theInvokePermissionIsOneStatementHoweverManyGroupsAreSubscribed() {
        MotoRegion region = new MotoRegion("me-south-1");
        LogTable.create(dynamoDb(region), "pglogs-devel", 4);
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", IntStream.range(0, 1000).mapToObj(i -> "db-" + i)
                .collect(Collectors.joining(",")));
        // Their databases export their logs: start checks each group before it plans.
        IntStream.range(0, 1000).forEach(i -> region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/db-"
                + i + "/postgresql")));

        long started = System.nanoTime();
        TestCli.Result r = cli.run("start", "devel", "--plan");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, r.code(), r.toString());
        List<String> planned = r.out().lines().filter(l -> l.contains(" will be created")).toList();
        assertEquals(1000, planned.stream().filter(l -> l.contains("aws_cloudwatch_log_subscription_filter")).count(),
                r.out());
        assertEquals(2, planned.stream().filter(l -> l.contains("aws_lambda_permission")).count(),
                "the resource policy must not grow with the groups: " + planned);
        assertTrue(r.out().contains("table pglogs-devel (about 0 items, 0 bytes) exists but is not in this state; "
                + "without --dry-run it is adopted first"), r.out());
        System.out.printf("measured: start devel --plan with 1,000 groups took %d ms%n", millis);
    }

    @Test
    void startAdoptsTheLogGroupLambdaMadeAndGivesItTheConfiguredRetention() throws IOException {
        MotoRegion region = new MotoRegion("me-central-1");
        String group = "/aws/lambda/" + function(region);
        region.logs.createLogGroup(b -> b.logGroupName(group));
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        // The real tofu behind a wrapper whose first import fails the way the provider reports a connection that
        // broke mid-response (moto's server drops some under load).
        Path once = tmp.resolve("import-failed-once");
        Path wrapper = tmp.resolve("tofu-dropping-an-import");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "if [ \"$1\" = import ] && [ ! -e '" + once + "' ]; then\n"
                + "  touch '" + once + "'\n"
                + "  echo 'Error: retrieving caller identity from STS: https response error StatusCode: 200, "
                + "decomposing response: read tcp 127.0.0.1:1->127.0.0.1:2: use of closed network connection' >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "exec '" + TestCli.tofu() + "' \"$@\"\n");
        assertTrue(wrapper.toFile().setExecutable(true));
        cli.env.put("PGLOGS_TERRAFORM", wrapper.toString());

        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("the import failed on a dropped connection to AWS; importing again"), r.out());
        assertTrue(r.out().contains("adopting log group " + group + " (retention: never expire) "
                + "as module.collectors.aws_cloudwatch_log_group.lambda"), r.out());
        assertEquals(14, region.logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0)
                .retentionInDays());
        assertEquals(1, region.logs.describeSubscriptionFilters(b -> b.logGroupName(
                "/aws/rds/instance/orders-db/postgresql")).subscriptionFilters().size());

        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(), r.out());
        assertFalse(r.out().contains("adopting"), r.out());
    }

    @Test
    void anExistingTableIsAdoptedOnlyOnceTheOperatorAgrees() {
        MotoRegion region = new MotoRegion("il-central-1");
        DynamoDbClient ddb = dynamoDb(region);
        LogTable.create(ddb, "pglogs-devel", 4);
        ddb.putItem(b -> b.tableName("pglogs-devel").item(Map.of(
                "pk", AttributeValue.fromS("orders-db#2026-11-29#0"), "sk", AttributeValue.fromS("kept"))));
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        Path data = terraform.resolve("persistent_data/manage_devel");

        TestCli.Result r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("adopting an existing table needs a confirmation: run at a terminal, or pass "
                + "--yes"), r.err());
        assertEquals(List.of(), TerraformFixtures.run(data, cli.env, "state", "list").lines().toList());

        cli.interactive = true;
        cli.stdin = "no\n";
        r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("Adopt table pglogs-devel (about 1 items, "), r.out());
        assertFalse(r.out().contains("collectors/manage_devel"), "nothing after the refusal: " + r.out());

        cli.interactive = false;
        r = cli.run("start", "devel", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("adopting table pglogs-devel"), r.out());
        assertEquals(List.of("module.table.aws_dynamodb_table.this[0]"),
                TerraformFixtures.run(data, cli.env, "state", "list").lines().toList());
        assertEquals(1, ddb.scan(b -> b.tableName("pglogs-devel")).count(), "the adopted table keeps its items");
    }

    @Test
    void anotherEnvironmentsTableIsNeverAdopted() {
        MotoRegion region = new MotoRegion("ap-south-2");
        DynamoDbClient ddb = dynamoDb(region);
        LogTable.create(ddb, "pglogs-devel", 4);
        String arn = ddb.describeTable(b -> b.tableName("pglogs-devel")).table().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(software.amazon.awssdk.services.dynamodb.model.Tag.builder()
                .key("pglogs:environment").value("prod").build()));
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        TestCli.Result r = cli.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("is tagged pglogs:environment=prod: it is prod's table, not devel's; refusing to "
                + "adopt it"), r.err());
        assertFalse(r.out().contains("adopting"), r.out());
    }

    @Test
    void upgradingFromPerGroupPermissionsAddsTheNewOnesBeforeTheOldGo() throws IOException {
        MotoRegion region = new MotoRegion("ap-east-1");
        for (String id : List.of("orders-db", "billing-db", "search-db")) {
            region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/" + id + "/postgresql"));
        }
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db,billing-db,search-db");
        Path collectors = terraform.resolve("collectors");
        replaceTf(collectors, Path.of("src/test/resources/tf-previous/collectors").toAbsolutePath());
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), "the previous collectors deploy: " + r);
        assertTrue(TerraformFixtures.run(collectors.resolve("manage_devel"), cli.env, "state", "list")
                .contains("module.collectors.aws_lambda_permission.logs[\"/aws/rds/instance/orders-db/postgresql\"]"));

        replaceTf(collectors, Path.of("../terraform/collectors").toAbsolutePath().normalize());
        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.contains("first, on their own: module.collectors.aws_lambda_permission.postgres_log_groups"),
                out);
        int created = out.indexOf("aws_lambda_permission.postgres_log_groups[\"instances\"]: Creation complete");
        int firstRemoval = out.indexOf("aws_lambda_permission.logs[\"/aws/rds/instance/");
        firstRemoval = out.indexOf("Destroying...", firstRemoval);
        assertTrue(created > 0 && firstRemoval > created, "a per-group permission went before its successor: " + out);
        try (var lambda = region.moto.configure(software.amazon.awssdk.services.lambda.LambdaClient.builder())
                .region(region.region).build()) {
            String policy = lambda.getPolicy(b -> b.functionName(function(region))).policy();
            assertEquals(2, new ObjectMapper().readTree(policy).path("Statement").size(), policy);
        }
    }

    /** The .tf files of every root and module under {@code into} replaced by those under {@code from}; state stays. */
    private static void replaceTf(Path into, Path from) throws IOException {
        try (Stream<Path> old = Files.walk(into)) {
            for (Path f : old.filter(f -> f.toString().endsWith(".tf") && !f.toString().contains(".terraform"))
                    .toList()) {
                Files.delete(f);
            }
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".tf")).toList()) {
                Path to = into.resolve(from.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    @Test
    void aStartThatUnsubscribesListsTheGroupsAndNeedsItsOwnConsent() {
        MotoRegion region = new MotoRegion("us-west-1");
        for (String db : List.of("orders-db", "billing-db")) {
            region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/" + db + "/postgresql"));
        }
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db,billing-db");
        assertEquals(0, cli.run("start", "devel").code());

        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        for (String[] args : List.of(new String[] {"start", "devel"}, new String[] {"start", "devel", "--yes"})) {
            TestCli.Result r = cli.run(args);
            assertEquals(3, r.code(), r.toString());
            assertTrue(r.out().contains("removes /aws/rds/instance/billing-db/postgresql (module.collectors."
                    + "aws_cloudwatch_log_subscription_filter.postgres[\"/aws/rds/instance/billing-db/postgresql\"])"),
                    r.out());
            assertTrue(r.err().contains("pass --allow-removals (--yes is not enough); nothing was changed"), r.err());
            assertEquals(1, subscriptions(region, "billing-db"), "still subscribed after " + String.join(" ", args));
        }

        cli.interactive = true;
        cli.stdin = "no\n";
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("Apply 1 removal(s) in collectors/manage_devel? Type 'yes' to go ahead:"), r.out());
        assertEquals(1, subscriptions(region, "billing-db"));

        cli.interactive = false;
        r = cli.run("start", "devel", "--allow-removals");
        assertEquals(0, r.code(), r.toString());
        assertEquals(0, subscriptions(region, "billing-db"));
        assertEquals(1, subscriptions(region, "orders-db"));

        cli.env.remove("PGLOGS_DEVEL_RDS_INSTANCES");
        r = cli.run("start", "devel", "--allow-removals", "--yes");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: no instances to collect from: set devel.rds_instances"), r.err());
        assertEquals(1, subscriptions(region, "orders-db"), "an empty list never unsubscribes everything");
    }

    private static int subscriptions(MotoRegion region, String db) {
        return region.logs.describeSubscriptionFilters(b -> b.logGroupName("/aws/rds/instance/" + db
                + "/postgresql")).subscriptionFilters().size();
    }

    @Test
    void switchingPreventDestroyMovesTheTableAndNeverPlansAReplacement() throws IOException {
        MotoRegion region = new MotoRegion("ap-southeast-4");
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        Map<String, String> env = cli(region).env;
        env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        Path root = terraform.resolve("persistent_data/manage_devel");
        Path prodMain = terraform.resolve("persistent_data/manage_prod/main.tf");
        Path develMain = root.resolve("main.tf");
        String devel = Files.readString(develMain);
        tofu(root, env, "init", "-input=false", "-no-color");
        tofu(root, env, "apply", "-auto-approve", "-input=false", "-no-color");

        // prevent_destroy switched but the moved block forgotten: OpenTofu itself refuses to plan.
        Files.writeString(develMain, devel.replace("prevent_destroy        = false", "prevent_destroy        = true"));
        TestCli.Result refused = withInstance(cli(region)).run("start", "devel", "--plan");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("Moved object still exists"), refused.err());
        Files.writeString(develMain, devel);

        // A change that replaces the table (here its key): the plan is made, and start refuses it.
        Path module = terraform.resolve("persistent_data/dynamo_db_tables/main.tf");
        String table = Files.readString(module);
        Files.writeString(module, table.replace("hash_key      = \"pk\"", "hash_key      = \"partition\""));
        refused = withInstance(cli(region)).run("start", "devel");
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("the plan would replace the table pglogs-devel "
                + "(module.table.aws_dynamodb_table.this[0]) and every entry in it: nothing was changed"),
                refused.err());
        Files.writeString(module, table);
        assertEquals(List.of("module.table.aws_dynamodb_table.this[0]"),
                tofu(root, env, "state", "list").lines().toList());

        // devel's root as prod's: prevent_destroy on, the table at the protected address.
        Files.copy(prodMain, develMain, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonNode plan = plan(root, env);
        assertNoTableIsDestroyed(plan);
        assertTrue(moved(plan).contains("module.table.aws_dynamodb_table.this[0] -> "
                + "module.table.aws_dynamodb_table.protected[0]"), plan.path("resource_changes").toString());
        tofu(root, env, "apply", "-auto-approve", "-input=false", "-no-color", "plan.out");

        // And back: protection lifted, again a move.
        Files.writeString(develMain, devel);
        plan = plan(root, env);
        assertNoTableIsDestroyed(plan);
        assertTrue(moved(plan).contains("module.table.aws_dynamodb_table.protected[0] -> "
                + "module.table.aws_dynamodb_table.this[0]"), plan.path("resource_changes").toString());
    }

    private static JsonNode plan(Path root, Map<String, String> env) throws IOException {
        tofu(root, env, "plan", "-input=false", "-no-color", "-out=plan.out");
        return new ObjectMapper().readTree(tofu(root, env, "show", "-json", "plan.out"));
    }

    private static void assertNoTableIsDestroyed(JsonNode plan) {
        for (JsonNode change : plan.path("resource_changes")) {
            if (change.path("type").asText().equals("aws_dynamodb_table")) {
                assertFalse(change.path("change").path("actions").toString().contains("delete"),
                        "the table would be replaced: " + change.path("address") + " "
                                + change.path("change").path("actions"));
            }
        }
    }

    private static List<String> moved(JsonNode plan) {
        List<String> out = new ArrayList<>();
        for (JsonNode change : plan.path("resource_changes")) {
            if (change.has("previous_address")) {
                out.add(change.path("previous_address").asText() + " -> " + change.path("address").asText());
            }
        }
        return out;
    }

    private static String tofu(Path root, Map<String, String> env, String... args) {
        return TerraformFixtures.run(root, env, args);
    }
}
