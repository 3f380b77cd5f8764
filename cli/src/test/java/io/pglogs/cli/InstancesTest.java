package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The region's PostgreSQL databases as RDS lists them, and {@code auto} lists for start: in a moto region with
 * PostgreSQL instances with and without the log export, a tagged one, a MySQL one and an Aurora PostgreSQL cluster.
 */
@Tag("integration")
class InstancesTest {
    private static final MotoRegion AWS = new MotoRegion("ap-northeast-1");

    @TempDir
    Path tmp;

    @BeforeAll
    static void databases() throws IOException {
        instance("orders-db", "postgres", true, "team", "shop");
        instance("billing-db", "postgres", false, "team", "shop");
        instance("reports-db", "postgres", true, "team", "reports");
        instance("shop-mysql", "mysql", true, "team", "shop");
        AWS.rds.createDBCluster(b -> b.dbClusterIdentifier("analytics").engine("aurora-postgresql")
                .engineVersion("15.4").masterUsername("admin_user").masterUserPassword("a-long-password")
                .enableCloudwatchLogsExports("postgresql"));
        String orders = "/aws/rds/instance/orders-db/postgresql";
        AWS.logs.createLogGroup(b -> b.logGroupName(orders));
        AWS.logs.putRetentionPolicy(b -> b.logGroupName(orders).retentionInDays(14));
        AWS.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/reports-db/postgresql"));
        String prod = function("pglogs-forwarder-prod-instances-test");
        AWS.logs.putSubscriptionFilter(b -> b.logGroupName(orders).filterName("pglogs-prod").filterPattern("")
                .destinationArn(prod));
    }

    private static void instance(String id, String engine, boolean export, String tag, String value) {
        AWS.rds.createDBInstance(b -> {
            b.dbInstanceIdentifier(id).engine(engine).engineVersion(engine.equals("postgres") ? "15.4" : "8.0.35")
                    .dbInstanceClass("db.t3.micro").allocatedStorage(20).masterUsername("admin_user")
                    .masterUserPassword("a-long-password").tags(t -> t.key(tag).value(value));
            if (export) {
                b.enableCloudwatchLogsExports(engine.equals("postgres") ? "postgresql" : "error");
            }
        });
    }

    private static String function(String name) throws IOException {
        String role;
        try (IamClient iam = AWS.moto.configure(IamClient.builder()).region(Region.AWS_GLOBAL).build()) {
            role = iam.createRole(b -> b.roleName(name).assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                    + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        }
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("placeholder.txt"));
            z.write("the forwarder jar would be here".getBytes());
        }
        try (LambdaClient lambda = AWS.moto.configure(LambdaClient.builder()).region(AWS.region).build()) {
            return lambda.createFunction(b -> b.functionName(name).runtime("java21").role(role).handler("x::y")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray())))).functionArn();
        }
    }

    /**
     * {@code auto} means the same to every command: status and retention look at the instances start would collect
     * from, never at a log group of an instance named "auto".
     */
    @Test
    void statusAndRetentionResolveAutoAsStartDoes() throws IOException {
        TestCli cli = AWS.cli();
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "auto");

        TestCli.Result r = cli.run("retention", "set", "--dry-run", "--env", "devel");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("/aws/rds/instance/auto/"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/aws/rds/instance/orders-db/postgresql ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/aws/rds/instance/reports-db/postgresql ")), r.out());
        assertFalse(r.out().contains("billing-db"), "its export is off: auto leaves it out\n" + r.out());

        r = cli.run("status", "devel", "-o", "json");
        JsonNode status = new ObjectMapper().readTree(r.out());
        assertFalse(status.get("problems").toString().contains("/auto/"), status.get("problems").toString());
        List<String> configured = new ArrayList<>();
        status.get("log_groups").forEach(g -> {
            if (g.get("configured").asBoolean() && g.get("kind").asText().equals("postgresql")) {
                configured.add(g.get("name").asText());
            }
        });
        assertEquals(List.of("/aws/rds/instance/orders-db/postgresql", "/aws/rds/instance/reports-db/postgresql"),
                configured.stream().sorted().toList(), status.toString());
    }

    @Test
    void listsThePostgresDatabasesWithTheirExportLogGroupAndSubscriber() {
        TestCli cli = AWS.cli();
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "auto");
        TestCli.Result r = cli.run("instances", "--env", "devel");
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.matches("instance +orders-db +postgres 15.4 +on +14 days +prod +1 "
                + "+yes")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches("instance +billing-db +postgres 15.4 +off +missing +- +- +no")),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches("instance +reports-db +postgres 15.4 +on +never expires +no "
                + "+2 +yes")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("cluster +analytics +aurora-postgresql 15.4 +on +missing +- "
                + "+- +no")), "clusters are auto only with aurora_clusters = auto: " + out);
        assertFalse(out.contains("shop-mysql"), out);
        assertTrue(out.contains("\n  pglogs rds configure --instance billing-db --preset standard\n"), out);
    }

    @Test
    void listsThemAsJsonAndKeepsColumnsAlignedOnAuroraRows() throws IOException {
        TestCli cli = AWS.cli();
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "auto");
        TestCli.Result r = cli.run("instances", "--env", "devel", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode listing = new ObjectMapper().readTree(r.out());
        assertEquals("devel", listing.get("environment").asText(), r.out());
        Map<String, JsonNode> byId = new HashMap<>();
        listing.get("databases").forEach(d -> byId.put(d.get("id").asText(), d));
        JsonNode orders = byId.get("orders-db");
        assertEquals("instance", orders.get("kind").asText(), r.out());
        assertEquals("/aws/rds/instance/orders-db/postgresql", orders.get("log_group").asText(), r.out());
        assertEquals(14, orders.get("retention_days").asInt(), r.out());
        assertEquals("[\"prod\"]", orders.get("subscribers").toString(), r.out());
        assertEquals(1, orders.get("free_slots").asInt(), r.out());
        assertTrue(orders.get("collects").asBoolean(), r.out());
        JsonNode billing = byId.get("billing-db");
        assertFalse(billing.get("exports_log").asBoolean(), r.out());
        assertFalse(billing.get("log_group_exists").asBoolean(), r.out());
        assertEquals("pglogs rds configure --instance billing-db --preset standard",
                billing.get("configure_command").asText(), r.out());
        assertEquals("aurora-postgresql", byId.get("analytics").get("engine").asText(), r.out());
        assertFalse(byId.containsKey("shop-mysql"), r.out());

        // Every header cell starts where its values do, Aurora's longer engine included.
        List<String> lines = cli.run("instances").out().lines().toList();
        int exportColumn = lines.get(0).indexOf("export");
        lines.stream().skip(1).filter(l -> l.startsWith("instance ") || l.startsWith("cluster "))
                .forEach(l -> assertTrue(l.substring(exportColumn).matches("(on|off) .*"), String.join("\n", lines)));
    }

    @Test
    void autoResolvesAtStartAndPrintsWhatItFoundAndLeftOut() throws IOException {
        TestCli cli = AWS.cli().withTerraform();
        cli.terraformDir(TerraformFixtures.copy(tmp.resolve("terraform")));
        cli.env.put("PGLOGS_LAMBDA_JAR", Files.writeString(tmp.resolve("f.jar"), "x").toString());
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "auto");
        cli.env.put("PGLOGS_DEVEL_AURORA_CLUSTERS", "auto");
        TestCli.Result r = cli.run("start", "devel", "--plan");
        assertEquals(0, r.code(), r.toString());
        // The cluster exports its log but has not logged yet: no group to subscribe, so it is left out and named.
        assertTrue(r.out().contains("==> devel collects from 2 instance(s) and 0 cluster(s) (found in AWS: "
                + "devel.rds_instances or devel.aurora_clusters is auto)\n    instances: orders-db, reports-db\n"
                + "    left out, its PostgreSQL log export is off: instance billing-db (turn "
                + "it on: pglogs rds configure --instance billing-db --preset standard)\n"), r.out());
        assertTrue(r.out().contains("    left out, its log group cannot be subscribed: /aws/rds/cluster/analytics/"
                + "postgresql does not exist: cluster analytics does not export its log yet (turn it on: pglogs rds "
                + "configure --cluster analytics --preset standard) or has not logged since\n"), r.out());
        assertTrue(r.out().contains("\"orders-db\"") && r.out().contains("\"reports-db\""),
                "the resolved lists are what the collectors root is given: " + r.out());

        cli.env.put("PGLOGS_DEVEL_RDS_AUTO_TAG", "team=reports");
        cli.env.put("PGLOGS_DEVEL_AURORA_CLUSTERS", "");
        r = cli.run("start", "devel", "--plan");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("collects from 1 instance(s) and 0 cluster(s)"), r.out());
        assertTrue(r.out().contains("    instances: reports-db\n"), r.out());

        cli.env.remove("PGLOGS_DEVEL_RDS_AUTO_TAG");
        cli.env.put("PGLOGS_DEVEL_RDS_AUTO_NAME", "nothing-*");
        r = cli.run("start", "devel", "--plan");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("pglogs: no instances to collect from: no PostgreSQL instance or cluster of the "
                + "region matched with its log export on"), r.err());

        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "auto,orders-db");
        r = cli.run("start", "devel", "--plan");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: devel.rds_instances 'auto,orders-db' (env PGLOGS_DEVEL_RDS_INSTANCES) mixes auto with "
                + "ids: use either\n", r.err());
    }
}
