package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import io.pglogs.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Local Terraform state kept outside the installation, in the state directory, against moto with the real OpenTofu:
 * a state an earlier version left in the Terraform directory is moved there, a reinstall (the Terraform directory
 * deleted and copied afresh, as scripts/install does) loses nothing, and a state recorded for another region or
 * account is refused.
 *
 * <p>A moto of its own, so the class runs beside the others (its time is mostly the provider's waiting, not work) with
 * no other test's applies in its regions; its own tests one at a time, one apply at a time on that server.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class LocalStateTest {
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

    private static boolean functionExists(MotoRegion region, String name) {
        try (LambdaClient lambda = region.moto.configure(LambdaClient.builder()).region(region.region).build()) {
            lambda.getFunction(b -> b.functionName(name));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** A root as an earlier pglogs left it: initialised without a path, its state in terraform.tfstate there. */
    private static void asAnEarlierVersionLeftIt(Path root, Path stateDirFile, TestCli cli) throws IOException {
        Files.move(stateDirFile, root.resolve("terraform.tfstate"));
        Files.delete(stateDirFile.resolveSibling(stateDirFile.getFileName().toString()
                .replace(".tfstate", ".pglogs.json")));
        TerraformFixtures.run(root, cli.env, "init", "-input=false", "-reconfigure", "-no-color");
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStateInTheInstallationMovesOutAndAReinstallLosesNothing() throws IOException {
        MotoRegion region = new MotoRegion(moto, "eu-central-1");
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/inventory-db/postgresql"));
        Path install = tmp.resolve("install/terraform");
        TestCli cli = region.cli().withTerraform().terraformDir(DeploymentTest.copyTerraform(install));
        String function = "pglogs-forwarder-devel-localstate";
        cli.env.put("PGLOGS_LAMBDA_JAR", JAR.toString());
        cli.env.put("PGLOGS_DEVEL_FUNCTION", function);
        cli.env.put("PGLOGS_DEVEL_TABLE", "pglogs-devel-localstate");
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "inventory-db");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        Path states = TestCli.stateHome(install).resolve("pglogs/123456789012/eu-central-1/devel");
        Path data = install.resolve("persistent_data/manage_devel");
        Path collectors = install.resolve("collectors/manage_devel");
        assertFalse(Files.exists(collectors.resolve("terraform.tfstate")), "no state in the installation");
        assertEquals("""
                {
                  "account" : "123456789012",
                  "region" : "eu-central-1",
                  "environment" : "devel",
                  "root" : "collectors"
                }
                """, Files.readString(states.resolve("collectors.pglogs.json")));

        // The same deployment as an earlier version left it: each root's state in the installation.
        asAnEarlierVersionLeftIt(data, states.resolve("persistent_data.tfstate"), cli);
        asAnEarlierVersionLeftIt(collectors, states.resolve("collectors.tfstate"), cli);
        r = cli.run("state", "show", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("collectors: local file " + states.resolve("collectors.tfstate") + " (none yet)"),
                r.out());
        assertTrue(r.out().contains("this working copy still holds a local state, "
                + collectors.resolve("terraform.tfstate") + "; the next start or stop moves it there"), r.out());

        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        for (Path root : List.of(data, collectors)) {
            String kind = root.getParent().getFileName().toString();
            assertTrue(r.out().contains("moved the local state of " + kind + "/manage_devel out of the Terraform "
                    + "directory, which an upgrade replaces: now " + states.resolve(kind + ".tfstate")), r.out());
            assertFalse(Files.exists(root.resolve("terraform.tfstate")));
            assertTrue(Files.exists(root.resolve("terraform.tfstate.moved-to-state-dir")), "kept aside, not deleted");
        }
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(),
                "the moved states know everything: " + r.out());

        // A reinstall: the installation's terraform/ deleted and copied afresh.
        try (Stream<Path> files = Files.walk(install)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        DeploymentTest.copyTerraform(install);
        r = cli.run("state", "show", "devel");
        assertTrue(r.out().contains("collectors: local file " + states.resolve("collectors.tfstate") + "\n"),
                r.out());
        assertTrue(r.out().contains("this working copy is not initialised yet"), r.out());

        r = cli.run("stop", "devel");
        assertEquals(0, r.code(), "stop needs no --adopt after a reinstall: " + r);
        assertTrue(r.out().contains("checked in AWS: function " + function + " is gone"), r.out());
        assertFalse(functionExists(region, function));
    }

    /** A working copy of the provider-less fixture roots deploying devel in a region of its own. */
    private TestCli fixtureCli(MotoRegion region, Path dir) throws IOException {
        region.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        TestCli cli = region.cli().withTerraform().terraformDir(dir);
        cli.env.put("PGLOGS_LAMBDA_JAR", Files.writeString(tmp.resolve("f.jar"), "x").toString());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        return cli;
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStateDirectoryMovedUnderAnotherRegionIsRefusedAndNothingChanges() throws IOException {
        Path dir = TerraformFixtures.copy(tmp.resolve("terraform"));
        TestCli east = fixtureCli(new MotoRegion(moto, "ap-east-2"), dir);
        TestCli.Result r = east.run("start", "devel");
        assertEquals(0, r.code(), r.toString());

        // Someone renames ap-east-2's states to another region's place, as if they were that region's.
        Path account = TestCli.stateHome(dir).resolve("pglogs/123456789012");
        Files.move(account.resolve("ap-east-2"), account.resolve("ap-southeast-7"));
        Path moved = account.resolve("ap-southeast-7/devel/persistent_data.tfstate");
        String before = Files.readString(moved);
        Path recorded = dir.resolve("persistent_data/manage_devel/.terraform/terraform.tfstate");
        String initialised = Files.readString(recorded);

        TestCli southeast = fixtureCli(new MotoRegion(moto, "ap-southeast-7"), dir);
        r = southeast.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: the local state " + moved + " was made for account 123456789012, region ap-east-2, "
                + "environment devel (" + account.resolve("ap-southeast-7/devel/persistent_data.pglogs.json")
                + "), not account 123456789012, region ap-southeast-7, environment devel: its state directory was "
                + "moved or copied; put it back under " + account.resolve("ap-east-2/devel")
                + " (or fix terraform.state_dir); nothing was changed\n", r.err());
        assertEquals(before, Files.readString(moved), "the state is untouched");
        assertEquals(initialised, Files.readString(recorded), "the working copy is untouched");

        // The same through terraform.state_dir pointed at a copy of another region's state directory.
        Path copy = tmp.resolve("copied-state");
        Files.createDirectories(copy.resolve("123456789012"));
        Files.move(account.resolve("ap-southeast-7"), copy.resolve("123456789012/ap-southeast-7"));
        southeast.env.put("PGLOGS_STATE_DIR", copy.toString());
        r = southeast.run("stop", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: the local state " + copy.resolve(
                "123456789012/ap-southeast-7/devel/collectors.tfstate") + " was made for account 123456789012, "
                + "region ap-east-2"), r.err());

        // Put back where it belongs, it is ap-east-2's again.
        Files.move(copy.resolve("123456789012/ap-southeast-7"), account.resolve("ap-east-2"));
        r = east.run("stop", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of(), TerraformFixtures.state(dir.resolve("collectors/manage_devel")));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStateDirectoryMovedUnderAnotherAccountIsRefused() throws IOException {
        Path dir = TerraformFixtures.copy(tmp.resolve("terraform"));
        MotoRegion region = new MotoRegion(moto, "mx-central-1");
        TestCli mine = fixtureCli(region, dir);
        assertEquals(0, mine.run("start", "devel").code());

        // Credentials of another account (moto keeps accounts apart), whose state directory someone filled with
        // a copy of this account's.
        String other = "210987654321";
        software.amazon.awssdk.services.sts.model.Credentials theirs;
        try (var sts = region.moto.configure(software.amazon.awssdk.services.sts.StsClient.builder())
                .region(region.region).build()) {
            theirs = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + other + ":role/deployer")
                    .roleSessionName("test")).credentials();
        }
        TestCli them = region.cli().withTerraform().terraformDir(dir);
        them.env.putAll(mine.env);
        them.env.put("AWS_ACCESS_KEY_ID", theirs.accessKeyId());
        them.env.put("AWS_SECRET_ACCESS_KEY", theirs.secretAccessKey());
        them.env.put("AWS_SESSION_TOKEN", theirs.sessionToken());
        try (var logs = region.moto.configure(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient
                .builder()).region(region.region).credentialsProvider(
                        software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(
                                        theirs.accessKeyId(), theirs.secretAccessKey(), theirs.sessionToken())))
                .build()) {
            logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        }
        Path states = TestCli.stateHome(dir).resolve("pglogs");
        Files.createDirectories(states.resolve(other));
        Files.move(states.resolve("123456789012/mx-central-1"), states.resolve(other + "/mx-central-1"));
        String copied = Files.readString(states.resolve(other + "/mx-central-1/devel/collectors.tfstate"));

        TestCli.Result r = them.run("stop", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: the local state " + states.resolve(other
                + "/mx-central-1/devel/collectors.tfstate") + " was made for account 123456789012, region "
                + "mx-central-1, environment devel"), r.err());
        assertEquals(copied, Files.readString(states.resolve(other + "/mx-central-1/devel/collectors.tfstate")));
    }

    @Test
    @Execution(ExecutionMode.SAME_THREAD)
    void aStateFoundInBothPlacesIsNeverOverwritten() throws IOException {
        Path dir = TerraformFixtures.copy(tmp.resolve("terraform"));
        TestCli cli = fixtureCli(new MotoRegion(moto, "ap-southeast-6"), dir);
        assertEquals(0, cli.run("start", "devel").code());
        Path root = dir.resolve("persistent_data/manage_devel");
        Path kept = TestCli.stateHome(dir).resolve("pglogs/123456789012/ap-southeast-6/devel/persistent_data.tfstate");
        Files.copy(kept, root.resolve("terraform.tfstate"));
        String both = Files.readString(kept);

        TestCli.Result r = cli.run("start", "devel");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: both " + root.resolve("terraform.tfstate") + " and " + kept
                + " hold a Terraform state of persistent_data/manage_devel"), r.err());
        assertEquals(both, Files.readString(kept));
        assertEquals(both, Files.readString(root.resolve("terraform.tfstate")));
    }
}
