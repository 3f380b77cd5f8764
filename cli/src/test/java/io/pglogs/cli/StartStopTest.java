package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** start and stop driving a real OpenTofu on roots that need no provider. */
@Tag("integration")
class StartStopTest {
    @TempDir
    Path tmp;

    // start looks in AWS for resources to adopt before planning, so even the provider-less roots need an endpoint.
    private final MotoRegion aws = new MotoRegion("ap-northeast-3");
    private final TestCli cli = aws.cli().withTerraform();
    private Path dir;
    private Path jar;

    @BeforeEach
    void fixtures() throws Exception {
        dir = TerraformFixtures.copy(tmp.resolve("terraform"));
        jar = Files.writeString(tmp.resolve("pglogs-forwarder.jar"), "not really a jar");
        cli.terraformDir(dir);
        cli.env.put("PGLOGS_LAMBDA_JAR", jar.toString());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db,billing-db");
        cli.env.put("PGLOGS_DEVEL_AURORA_CLUSTERS", "reporting");
        cli.env.put("PGLOGS_PROD_RDS_INSTANCES", "orders-db");
        // The databases' log groups exist (their export is on): start checks that before it plans.
        for (String group : List.of("/aws/rds/instance/orders-db/postgresql", "/aws/rds/instance/billing-db/postgresql",
                "/aws/rds/cluster/reporting/postgresql")) {
            try {
                aws.logs.createLogGroup(b -> b.logGroupName(group));
            } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException e) {
                // made for an earlier test of this class
            }
        }
    }

    private Path data(String env) {
        return dir.resolve("persistent_data/manage_" + env);
    }

    private Path collectors(String env) {
        return dir.resolve("collectors/manage_" + env);
    }

    @Test
    void startAppliesDataThenCollectorsWithTheConfiguredVariablesAndIsThenANoOp() {
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        int first = out.indexOf("==> [1/2] persistent_data/manage_devel: apply");
        int second = out.indexOf("==> [2/2] collectors/manage_devel: apply");
        assertTrue(first >= 0 && second > first, out);
        assertTrue(out.indexOf("Apply complete!") > first && out.indexOf("Apply complete!") < second, out);
        assertFalse(out.contains("\u001b["), "colour off when not on a terminal");
        assertEquals(List.of("terraform_data.check", "terraform_data.table"), TerraformFixtures.state(data("devel")));
        JsonNode input = TerraformFixtures.show(collectors("devel")).at("/values/root_module/resources").get(1)
                .at("/values/input");
        assertEquals("pglogs-forwarder-devel", input.get("function").asText());
        assertEquals("pglogs-devel", input.get("table").asText());
        assertEquals(jar.toString(), input.get("jar").asText());
        assertEquals("[\"orders-db\",\"billing-db\",\"reporting\"]", input.get("groups").toString());

        r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.contains("no changes in manage_devel")).count(), r.out());
    }

    @Test
    void quietStartShowsThePlanSummaryAndTheResultNotTerraformsWholeOutput() {
        TestCli.Result r = cli.run("start", "devel", "-q");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.contains("\nPlan: ") && out.contains("\nApply complete! Resources: "), out);
        assertFalse(out.contains("will perform the following actions"), out);
        assertFalse(out.contains(": Creating..."), out);
        assertFalse(out.contains("Initializing"), out);
        assertEquals(List.of("terraform_data.check", "terraform_data.table"), TerraformFixtures.state(data("devel")));
    }

    @Test
    void stopDestroysTheCollectorsOnlyAndIncludeDataTheTableToo() {
        assertEquals(0, cli.run("start", "devel").code());
        TestCli.Result r = cli.run("stop", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("==> [1/1] collectors/manage_devel: destroy"), r.out());
        assertTrue(r.out().contains("the logs stored in pglogs-devel stay"), r.out());
        assertEquals(List.of(), TerraformFixtures.state(collectors("devel")));
        assertEquals(2, TerraformFixtures.state(data("devel")).size());

        r = cli.run("stop", "devel", "--include-data");
        assertEquals(3, r.code(), "devel data needs a confirmation too: " + r);
        assertEquals(2, TerraformFixtures.state(data("devel")).size());

        r = cli.run("stop", "devel", "--include-data", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of(), TerraformFixtures.state(data("devel")));
    }

    @Test
    void stopRefusesWhileFailedPayloadsWaitUnlessDiscardFailed() {
        assertEquals(0, cli.run("start", "devel").code());
        try (var sqs = aws.moto.configure(software.amazon.awssdk.services.sqs.SqsClient.builder()).region(aws.region)
                .build()) {
            String url = sqs.createQueue(b -> b.queueName("pglogs-forwarder-devel-failed")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("{\"requestPayload\":{}}"));
            TestCli.Result r = cli.run("stop", "devel");
            assertEquals(3, r.code(), r.toString());
            assertTrue(r.err().startsWith("pglogs: the failure queue pglogs-forwarder-devel-failed holds 1 payload(s) "
                    + "that were never stored"), r.err());
            assertEquals(2, TerraformFixtures.state(collectors("devel")).size(), "stop changed something");

            r = cli.run("stop", "devel", "--discard-failed");
            assertEquals(0, r.code(), r.toString());
            assertEquals(List.of(), TerraformFixtures.state(collectors("devel")));
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
    }

    @Test
    void aPlanThatFailsOnADroppedConnectionIsPlannedOnceMore() throws Exception {
        // The real tofu behind a wrapper whose first plan fails the way the provider reports a connection that broke
        // mid-response.
        Path once = tmp.resolve("failed-once");
        Path wrapper = tmp.resolve("tofu-dropping-once");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "if [ \"$1\" = plan ] && [ ! -e '" + once + "' ]; then\n"
                + "  touch '" + once + "'\n"
                + "  echo 'Error: reading IAM Role Policy: https response error StatusCode: 200, decomposing response: "
                + "read tcp 127.0.0.1:1->127.0.0.1:2: use of closed network connection' >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "exec '" + TestCli.tofu() + "' \"$@\"\n");
        assertTrue(wrapper.toFile().setExecutable(true));
        cli.env.put("PGLOGS_TERRAFORM", wrapper.toString());

        TestCli.Result r = cli.run("start", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("the plan failed on a dropped connection to AWS; planning again"), r.out());
        assertEquals(List.of("terraform_data.check", "terraform_data.table"), TerraformFixtures.state(data("devel")));
    }

    @Test
    void aFailingStepStopsTheSequence() throws Exception {
        Files.writeString(data("devel").resolve("fail.auto.tfvars"), "fail = true\n");
        TestCli.Result r = cli.run("start", "devel");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("fixture asked to fail"), "the child's stderr streams through: " + r.err());
        assertTrue(r.err().endsWith("plan failed in " + data("devel") + " (exit 1); later steps were not run\n"),
                r.err());
        assertFalse(r.out().contains("collectors/manage_devel"), r.out());
        assertFalse(Files.exists(collectors("devel").resolve(".terraform")), "collectors were never touched");
    }

    @Test
    void prodAsksBeforeApplyingUnlessYes() {
        TestCli.Result r = cli.run("start", "prod");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("Plan: 2 to add"), "the plan is shown first: " + r.out());
        assertTrue(r.err().endsWith("changing prod needs a confirmation: run at a terminal, or pass --yes\n"));
        assertEquals(List.of(), TerraformFixtures.state(data("prod")));

        cli.interactive = true;
        cli.stdin = "no\n";
        r = cli.run("start", "prod");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("Apply this plan in persistent_data/manage_prod? Type 'yes' to go ahead:"));
        assertEquals(List.of(), TerraformFixtures.state(data("prod")));

        cli.stdin = "yes\nyes\n";
        r = cli.run("start", "prod");
        assertEquals(0, r.code(), r.toString());
        assertEquals(2, TerraformFixtures.state(data("prod")).size());
        assertEquals(2, TerraformFixtures.state(collectors("prod")).size());

        cli.interactive = false;
        r = cli.run("stop", "prod", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of(), TerraformFixtures.state(collectors("prod")));
        assertEquals(2, TerraformFixtures.state(data("prod")).size(), "prod data stays");
    }

    @Test
    void planOnlyChangesNothing() {
        TestCli.Result r = cli.run("start", "devel", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("==> [1/2] persistent_data/manage_devel: plan (apply)"), r.out());
        assertTrue(r.out().contains("Plan: 2 to add"), r.out());
        assertTrue(r.out().contains("Plans shown for devel; nothing was changed."), r.out());
        assertEquals(List.of(), TerraformFixtures.state(data("devel")));
        assertEquals(List.of(), TerraformFixtures.state(collectors("devel")));
    }

    @Test
    void terraformRunsWithTheEnvironmentPglogsWasGivenAndNoOther() {
        // Not this JVM's: a developer's TF_CLI_CONFIG_FILE or a CI job's TF_VAR_* would otherwise change the results.
        TestCli.Result r = cli.run("start", "devel", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.toString().contains("CLI configuration"), r.toString());

        Path missing = tmp.resolve("no-such.tfrc");
        cli.env.put("TF_CLI_CONFIG_FILE", missing.toString());
        r = cli.run("start", "devel", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("Warning: Unable to open CLI configuration file")
                && r.err().contains("\"" + missing + "\""), r.toString());
    }
}
