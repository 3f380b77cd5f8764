package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.pglogs.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The state in S3 (moto's), shared by separate working copies of terraform/ as two laptops or CI runners would have
 * them, applied with the real provider. Each test has a moto region and function of its own. The tests run one after
 * another: run four at a time, their concurrent applies made the shared moto drop connections under CI's load (two
 * clean-clone runs failed on it, an apply and a destroy), which pglogs recovers from but which splits the
 * Terraform output the tests assert on. So the class has a moto of its own, which only its one apply at a time
 * talks to, and runs beside the other classes: most of its time is the provider waiting (an SQS queue and its
 * policy each take some 25 s of the provider's propagation polling), not work.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class SharedStateTest {
    private static final Path JAR = Path.of("../lambda/target/pglogs-forwarder.jar").toAbsolutePath().normalize();

    private static MotoServer moto;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startMoto() {
        moto = MotoServer.dedicated();
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.close();
        }
    }

    /** A working copy of terraform/ at {@code dir}, deploying devel in the region, with the state settings given. */
    private TestCli checkout(MotoRegion region, String dir, String bucket) throws IOException {
        TestCli cli = region.cli().withTerraform();
        cli.terraformDir(DeploymentTest.copyTerraform(tmp.resolve(dir)));
        cli.env.put("PGLOGS_LAMBDA_JAR", JAR.toString());
        cli.env.put("PGLOGS_DEVEL_FUNCTION", "pglogs-forwarder-devel-" + region.region.id());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        if (bucket != null) {
            cli.env.put("PGLOGS_DEVEL_STATE_BUCKET", bucket);
            cli.env.put("PGLOGS_DEVEL_STATE_LOCK_TABLE", "pglogs-locks");
        }
        return cli;
    }

    /** Where a working copy's local state of a devel root is kept (moto's account is 123456789012). */
    static Path localState(Path terraformDir, MotoRegion region, String root) {
        return TestCli.stateHome(terraformDir).resolve("pglogs/123456789012/" + region.region.id() + "/devel/" + root
                + ".tfstate");
    }

    private static String makeStateStore(MotoRegion region) {
        String bucket = "pglogs-state-" + region.region.id();
        try (S3Client s3 = s3(region)) {
            s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(
                    region.region.id())));
        }
        try (DynamoDbClient ddb = region.moto.configure(DynamoDbClient.builder()).region(region.region).build()) {
            ddb.createTable(b -> b.tableName("pglogs-locks").billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("LockID").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("LockID").keyType(KeyType.HASH)));
        }
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        return bucket;
    }

    private static List<String> stateObjects(MotoRegion region, String bucket) {
        try (S3Client s3 = s3(region)) {
            return s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    private static S3Client s3(MotoRegion region) {
        return region.moto.configure(S3Client.builder()).region(region.region).forcePathStyle(true).build();
    }

    private static void putObject(MotoRegion region, String bucket, String key, String body) {
        try (S3Client s3 = s3(region)) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
        }
    }

    private static void deleteObject(MotoRegion region, String bucket, String key) {
        try (S3Client s3 = s3(region)) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    private static boolean functionExists(MotoRegion region) {
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            lambda.getFunction(b -> b.functionName("pglogs-forwarder-devel-" + region.region.id()));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStopFromAnotherCheckoutDestroysWhatTheFirstStarted() throws IOException {
        MotoRegion region = new MotoRegion(moto, "eu-central-2");
        String bucket = makeStateStore(region);
        TestCli a = checkout(region, "a", bucket);
        TestCli b = checkout(region, "b", bucket);

        TestCli.Result r = a.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        String prefix = "pglogs/devel/" + region.region.id() + "/";
        assertEquals(List.of(prefix + "collectors.tfstate", prefix + "persistent_data.tfstate"),
                stateObjects(region, bucket));
        assertTrue(functionExists(region));

        r = b.run("state", "show", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("collectors: s3://" + bucket + "/" + prefix + "collectors.tfstate (region "
                + region.region.id() + ", locked with DynamoDB table pglogs-locks)"), r.out());

        r = b.run("stop", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Resources: 0 added, 0 changed, 10 destroyed."), r.out());
        assertFalse(functionExists(region), "the function B's stop destroyed through A's state");

        r = a.run("status", "devel");
        assertTrue(r.out().contains("not deployed"), r.toString());
        assertFalse(Files.exists(localState(tmp.resolve("b"), region, "collectors")), "B kept no local state");

        // A shell that lost the bucket setting must not copy the shared state back into its working copy.
        a.env.remove("PGLOGS_DEVEL_STATE_BUCKET");
        a.env.remove("PGLOGS_DEVEL_STATE_LOCK_TABLE");
        r = a.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("but no state bucket is set now"), r.err());
        assertFalse(Files.exists(localState(tmp.resolve("a"), region, "persistent_data")), "nothing copied");
        assertEquals(List.of(prefix + "collectors.tfstate", prefix + "persistent_data.tfstate"),
                stateObjects(region, bucket));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStopWhoseStateKnowsNothingSaysSoAndAdoptDestroysWhatExists() throws IOException {
        MotoRegion region = new MotoRegion(moto, "eu-south-2");
        makeStateStore(region);
        TestCli a = checkout(region, "a", null);
        TestCli b = checkout(region, "b", null);
        assertEquals(0, a.run("start", "devel").code());

        // B's configuration does not even list the instance: the check looks at every PostgreSQL group.
        b.env.remove("PGLOGS_DEVEL_RDS_INSTANCES");
        TestCli.Result r = b.run("stop", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("no changes in manage_devel"), r.out());
        assertTrue(r.err().startsWith("pglogs: devel is NOT stopped: AWS still has function pglogs-forwarder-devel-"
                + region.region.id() + " and 1 subscription(s) (/aws/rds/instance/orders-db/postgresql), which the state used "
                + "(local file " + localState(tmp.resolve("b"), region, "collectors") + " (this machine only)) does "
                + "not know"), r.err());
        assertFalse(r.out().contains("devel is stopped"), r.out());
        assertTrue(functionExists(region));

        b.env.put("PGLOGS_DEVEL_TABLE", "another-teams-table");
        r = b.run("stop", "devel", "--adopt");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: function pglogs-forwarder-devel-" + region.region.id() + " is not "
                + "devel's forwarder (tag managed-by=pglogs, writes to table pglogs-devel, expected pglogs and "
                + "another-teams-table): refusing to adopt and destroy it"), r.err());
        assertTrue(functionExists(region));

        b.env.remove("PGLOGS_DEVEL_TABLE");
        r = b.run("stop", "devel", "--adopt");
        assertEquals(0, r.code(), r.toString());
        for (String adopted : List.of("aws_lambda_function.forwarder", "aws_iam_role.forwarder",
                "aws_iam_role_policy.forwarder", "aws_sqs_queue.failed", "aws_cloudwatch_log_group.lambda",
                "aws_lambda_function_event_invoke_config.forwarder",
                "aws_lambda_permission.postgres_log_groups[\"instances\"]",
                "aws_cloudwatch_log_subscription_filter.postgres[\"/aws/rds/instance/orders-db/postgresql\"]")) {
            assertTrue(r.out().contains(" as module.collectors." + adopted + "\n"), adopted + ": " + r.out());
        }
        assertTrue(r.out().contains("checked in AWS: function pglogs-forwarder-devel-" + region.region.id() + " is gone"), r.out());
        assertFalse(functionExists(region));
        assertEquals(0, region.logs.describeSubscriptionFilters(f -> f.logGroupName(
                "/aws/rds/instance/orders-db/postgresql")).subscriptionFilters().size());
        assertEquals(0, region.logs.describeLogGroups(g -> g.logGroupNamePrefix("/aws/lambda/pglogs-forwarder"))
                .logGroups().size(), "the function's log group went with it");
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void adoptTakesProdsAliasQualifiedDestinationAndPermissionToo() throws IOException {
        MotoRegion region = new MotoRegion(moto, "ap-southeast-2");
        makeStateStore(region);
        TestCli a = checkout(region, "a", null);
        TestCli b = checkout(region, "b", null);
        for (TestCli cli : List.of(a, b)) {
            cli.env.put("PGLOGS_PROD_FUNCTION", "pglogs-forwarder-prod-" + region.region.id());
            cli.env.put("PGLOGS_PROD_RDS_INSTANCES", "orders-db");
        }
        assertEquals(0, a.run("start", "prod", "--yes").code());

        TestCli.Result r = b.run("stop", "prod", "--yes", "--adopt");
        assertEquals(0, r.code(), r.toString());
        for (String adopted : List.of("aws_lambda_alias.live[0]",
                "aws_lambda_function_event_invoke_config.forwarder",
                "aws_lambda_permission.postgres_log_groups[\"instances\"]")) {
            assertTrue(r.out().contains(" as module.collectors." + adopted + "\n"), adopted + ": " + r.out());
        }
        assertTrue(r.out().contains("checked in AWS: function pglogs-forwarder-prod-" + region.region.id() + " is gone"), r.out());
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aLocalStateMovesToS3OnlyOnceTheOperatorAgrees() throws IOException {
        MotoRegion region = new MotoRegion(moto, "ap-southeast-1");
        String bucket = makeStateStore(region);
        TestCli cli = checkout(region, "a", null);
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());

        cli.env.put("PGLOGS_DEVEL_STATE_BUCKET", bucket);
        r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("the state of this root was local file "), r.out());
        assertTrue(r.err().contains("moving the Terraform state needs a confirmation"), r.err());
        assertEquals(List.of(), stateObjects(region, bucket), "nothing moved without a confirmation");

        // Another machine got there first: its state is never overwritten on a mere --yes.
        String prefix = "pglogs/devel/" + region.region.id() + "/";
        putObject(region, bucket, prefix + "persistent_data.tfstate", "{\"version\": 4, \"serial\": 7}");
        r = cli.run("start", "devel", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("s3://" + bucket + "/" + prefix + "persistent_data.tfstate already holds a "
                + "state"), r.err());
        assertEquals(List.of(prefix + "persistent_data.tfstate"), stateObjects(region, bucket));
        deleteObject(region, bucket, prefix + "persistent_data.tfstate");

        r = cli.run("start", "devel", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(),
                "the moved state knows everything: " + r.out());
        assertEquals(List.of(prefix + "collectors.tfstate", prefix + "persistent_data.tfstate"),
                stateObjects(region, bucket));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aLocalStateInTheStateDirectoryMovesToS3FromANewWorkingCopy() throws IOException {
        MotoRegion region = new MotoRegion(moto, "us-west-2");
        String bucket = makeStateStore(region);
        TestCli cli = checkout(region, "a", null);
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());

        // A reinstall: a new terraform/ that was never initialised; the states are in the state directory.
        Path dir = tmp.resolve("a");
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        DeploymentTest.copyTerraform(dir);
        cli.env.put("PGLOGS_DEVEL_STATE_BUCKET", bucket);
        r = cli.run("start", "devel", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("the state of this root was local file " + localState(dir, region,
                "collectors")), r.out());
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(),
                "the state copied to S3 knows everything: " + r.out());
        String prefix = "pglogs/devel/" + region.region.id() + "/";
        assertEquals(List.of(prefix + "collectors.tfstate", prefix + "persistent_data.tfstate"),
                stateObjects(region, bucket));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void badStateSettingsAreRefusedBeforeAnythingRuns() throws IOException {
        MotoRegion region = new MotoRegion(moto, "af-south-1");
        TestCli cli = checkout(region, "c", "Not_A_Bucket");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: devel.state_bucket 'Not_A_Bucket' (env PGLOGS_DEVEL_STATE_BUCKET) is not an S3 bucket "
                + "name\n", r.err());
        assertFalse(Files.exists(tmp.resolve("c/persistent_data/manage_devel/.terraform")), "nothing was run");

        cli.env.remove("PGLOGS_DEVEL_STATE_BUCKET");
        r = cli.run("state", "show", "devel");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: devel.state_lock_table (env PGLOGS_DEVEL_STATE_LOCK_TABLE) needs "
                + "devel.state_bucket"), r.err());
    }
}
