package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Two accounts in moto: the shell's static keys act on moto's default account 123456789012, a profile holds the
 * credentials of a role assumed in 222222222222. pglogs and the Terraform it runs must act on the same one, and on the
 * one {@code <env>.account_id} names.
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class AccountTest {
    private static final String OTHER = "222222222222";
    private static final Path JAR = Path.of("../lambda/target/pglogs-forwarder.jar").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** A CLI whose shell has the default account's keys, and whose profile "other" is the other account. */
    private TestCli cli(MotoRegion region) throws IOException {
        TestCli cli = region.cli().withTerraform();
        Credentials other;
        try (StsClient sts = region.moto.configure(StsClient.builder()).region(region.region).build()) {
            other = sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + OTHER + ":role/deployer")
                    .roleSessionName("test")).credentials();
        }
        Path credentials = Files.writeString(tmp.resolve("credentials"), "[other]\naws_access_key_id = "
                + other.accessKeyId() + "\naws_secret_access_key = " + other.secretAccessKey()
                + "\naws_session_token = " + other.sessionToken() + "\n");
        cli.env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        cli.env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());
        cli.terraformDir(DeploymentTest.copyTerraform(tmp.resolve("terraform")));
        cli.env.put("PGLOGS_LAMBDA_JAR", JAR.toString());
        cli.env.put("PGLOGS_DEVEL_FUNCTION", "pglogs-forwarder-devel-" + region.region.id());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db");
        return cli;
    }

    @Test
    void nothingIsTouchedWithTheCredentialsOfAnotherAccount() throws IOException {
        MotoRegion region = new MotoRegion("eu-west-2");
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_ACCOUNT_ID", OTHER);
        for (String[] args : new String[][] {{"status", "devel"}, {"stop", "devel", "--plan"},
                {"start", "devel", "--plan"}, {"retention", "show"}}) {
            TestCli.Result r = cli.run(args);
            assertEquals(3, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().startsWith("pglogs: these credentials act on account 123456789012 "
                    + "(arn:aws:sts::123456789012:user/moto), but devel.account_id is " + OTHER
                    + " (env PGLOGS_DEVEL_ACCOUNT_ID): nothing was touched"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("terraform/collectors/manage_devel/.terraform")), "Terraform never ran");

        cli.env.put("PGLOGS_DEVEL_ACCOUNT_ID", "2222-2222-2222");
        TestCli.Result r = cli.run("status", "devel");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: devel.account_id '2222-2222-2222' (env PGLOGS_DEVEL_ACCOUNT_ID) is not an AWS account id "
                + "(12 digits)\n", r.err());
    }

    @Test
    void withAProfileTerraformActsOnTheProfilesAccountNotTheShellKeys() throws IOException {
        MotoRegion region = new MotoRegion("eu-west-2");
        TestCli cli = cli(region);
        cli.env.put("PGLOGS_DEVEL_ACCOUNT_ID", OTHER);
        // The log group pglogs subscribes is in the other account too: moto keeps accounts apart.
        Credentials other = assumed(region);
        try (var logs = region.moto.configure(software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient
                .builder()).region(region.region).credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(other.accessKeyId(), other.secretAccessKey(), other.sessionToken())))
                .build()) {
            logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/orders-db/postgresql"));
        }

        // A CI runner's web identity would also win over AWS_PROFILE in the provider, and act on the default account.
        cli.env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci-runner");
        cli.env.put("AWS_WEB_IDENTITY_TOKEN_FILE", Files.writeString(tmp.resolve("token"), "eyJ.runner.token")
                .toString());

        TestCli.Result r = cli.run("start", "devel", "--profile", "other");
        assertEquals(0, r.code(), r.toString());
        String function = "pglogs-forwarder-devel-" + region.region.id();
        assertTrue(functionExists(region, other, function), "made in the profile's account");
        assertFalse(functionExists(region, null, function), "nothing in the account of the shell's keys");
        Path states = TestCli.stateHome(tmp.resolve("terraform")).resolve("pglogs");
        assertTrue(Files.exists(states.resolve(OTHER + "/eu-west-2/devel/collectors.tfstate")),
                "the local state is kept under the account the profile acts on");
        assertFalse(Files.exists(states.resolve("123456789012")));
    }

    private static Credentials assumed(MotoRegion region) {
        try (StsClient sts = region.moto.configure(StsClient.builder()).region(region.region).build()) {
            return sts.assumeRole(b -> b.roleArn("arn:aws:iam::" + OTHER + ":role/checker")
                    .roleSessionName("check")).credentials();
        }
    }

    private static boolean functionExists(MotoRegion region, Credentials as, String function) {
        var builder = region.moto.configure(LambdaClient.builder()).region(region.region);
        if (as != null) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    as.accessKeyId(), as.secretAccessKey(), as.sessionToken())));
        }
        try (LambdaClient lambda = builder.build()) {
            lambda.getFunction(b -> b.functionName(function));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }
}
