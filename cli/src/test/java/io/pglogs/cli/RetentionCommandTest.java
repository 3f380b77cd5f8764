package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class RetentionCommandTest {
    private Map<String, Integer> retention(MotoRegion aws) {
        Map<String, Integer> r = new HashMap<>();
        aws.logs.describeLogGroupsPaginator(b -> b.limit(50)).logGroups()
                .forEach(g -> r.put(g.logGroupName(), g.retentionInDays()));
        return r;
    }

    @Test
    void allSetsEveryPostgresAndForwarderGroupOnceAndLeavesOthersAlone() throws Exception {
        MotoRegion aws = new MotoRegion("ca-central-1");
        // More groups than one DescribeLogGroups page holds, so discovery must paginate.
        for (int i = 0; i < 60; i++) {
            String name = String.format("/aws/rds/instance/db%02d/postgresql", i);
            aws.logs.createLogGroup(b -> b.logGroupName(name));
        }
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/rds/cluster/c1/postgresql"));
        aws.logs.putRetentionPolicy(b -> b.logGroupName("/aws/rds/cluster/c1/postgresql").retentionInDays(30));
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/lambda/pglogs-forwarder-devel"));
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/db00/upgrade"));
        aws.logs.createLogGroup(b -> b.logGroupName("/app/unrelated"));
        TestCli cli = aws.cli();

        TestCli.Result r = cli.run("retention", "set", "--all", "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("62 of 62 groups would change to 14 days (dry run: nothing was changed)"), r.out());
        assertNull(retention(aws).get("/aws/rds/instance/db59/postgresql"), "dry run changed something");

        r = cli.run("retention", "set", "--all", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/aws/rds/cluster/c1/postgresql")
                && l.contains("30 days") && l.contains("-> 14 days") && l.contains("lower")), r.out());
        assertTrue(r.out().contains("(/aws/lambda/pglogs-forwarder-prod does not exist)"), r.out());
        assertTrue(r.out().contains("62 of 62 groups changed to 14 days"), r.out());
        Map<String, Integer> after = retention(aws);
        for (int i = 0; i < 60; i++) {
            assertEquals(14, after.get(String.format("/aws/rds/instance/db%02d/postgresql", i)));
        }
        assertEquals(14, after.get("/aws/rds/cluster/c1/postgresql"));
        assertEquals(14, after.get("/aws/lambda/pglogs-forwarder-devel"));
        assertNull(after.get("/app/unrelated"), "an unrelated group was touched");
        assertNull(after.get("/aws/rds/instance/db00/upgrade"), "a non-postgresql RDS group was touched");

        r = cli.run("retention", "set", "--all", "-o", "json");
        assertEquals(0, r.code(), r.toString());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(62, json.get("groups").size());
        json.get("groups").forEach(g -> assertFalse(g.get("changed").asBoolean(), g.toString()));

        r = cli.run("retention", "set", "--days", "30", "--log-group", "/aws/rds/instance/db07/postgresql");
        assertEquals(0, r.code(), r.toString());
        assertEquals(30, retention(aws).get("/aws/rds/instance/db07/postgresql"));
        assertEquals(14, retention(aws).get("/aws/rds/instance/db08/postgresql"));
    }

    @Test
    void byDefaultOnlyTheEnvironmentsInstancesAndTheForwarderGroups() {
        MotoRegion aws = new MotoRegion("sa-east-1");
        for (String g : List.of("/aws/rds/instance/ours/postgresql", "/aws/rds/cluster/our-cluster/postgresql",
                "/aws/rds/instance/theirs/postgresql", "/aws/rds/instance/prod-only/postgresql",
                "/aws/lambda/pglogs-forwarder-devel")) {
            aws.logs.createLogGroup(b -> b.logGroupName(g));
        }
        TestCli cli = aws.cli();
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "ours,gone");
        cli.env.put("PGLOGS_DEVEL_AURORA_CLUSTERS", "our-cluster");
        cli.env.put("PGLOGS_PROD_RDS_INSTANCES", "prod-only");

        TestCli.Result r = cli.run("retention", "set", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("3 of 3 groups changed to 14 days"), r.out());
        assertTrue(r.out().contains("(/aws/rds/instance/gone/postgresql does not exist)"), r.out());
        Map<String, Integer> after = retention(aws);
        assertEquals(14, after.get("/aws/rds/instance/ours/postgresql"));
        assertEquals(14, after.get("/aws/rds/cluster/our-cluster/postgresql"));
        assertEquals(14, after.get("/aws/lambda/pglogs-forwarder-devel"));
        assertNull(after.get("/aws/rds/instance/theirs/postgresql"), "another team's group was touched");
        assertNull(after.get("/aws/rds/instance/prod-only/postgresql"), "prod's group was touched for devel");

        r = cli.run("retention", "set", "--env", "prod", "--yes");
        assertEquals(0, r.code(), r.toString());
        assertEquals(14, retention(aws).get("/aws/rds/instance/prod-only/postgresql"));
        assertNull(retention(aws).get("/aws/rds/instance/theirs/postgresql"));
    }

    @Test
    void loweringAsksFirstAndWithoutConsentChangesNothing() throws Exception {
        MotoRegion aws = new MotoRegion("eu-south-1");
        String compliance = "/aws/rds/instance/audited/postgresql";
        String forever = "/aws/rds/instance/forever/postgresql";
        aws.logs.createLogGroup(b -> b.logGroupName(compliance));
        aws.logs.putRetentionPolicy(b -> b.logGroupName(compliance).retentionInDays(365));
        aws.logs.createLogStream(b -> b.logGroupName(compliance).logStreamName("s"));
        aws.logs.putLogEvents(b -> b.logGroupName(compliance).logStreamName("s").logEvents(
                e -> e.timestamp(System.currentTimeMillis()).message("2024-05-01 10:00:00 UTC::@:[1]:LOG:  kept")));
        aws.logs.createLogGroup(b -> b.logGroupName(forever));
        TestCli cli = aws.cli();
        cli.env.put("PGLOGS_DEVEL_RDS_INSTANCES", "audited,forever");
        long stored = aws.logs.describeLogGroups(b -> b.logGroupNamePrefix(compliance)).logGroups().get(0)
                .storedBytes();

        TestCli.Result r = cli.run("retention", "set");
        assertEquals(3, r.code(), r.toString());
        assertEquals("pglogs: lowering the retention of 2 log group(s) deletes their older events: confirm at a "
                + "terminal, or pass --yes; nothing was changed\n", r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(compliance) && l.contains("365 days")
                && l.contains("-> 14 days") && l.contains(io.pglogs.cli.term.Sizes.bytes(stored))
                && l.contains("lower: events older than 14 days are deleted")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(forever) && l.contains("never expires")
                && l.contains("lower")), r.out());
        assertEquals(365, retention(aws).get(compliance));
        assertNull(retention(aws).get(forever));

        r = cli.run("retention", "set", "-o", "json");
        assertEquals(3, r.code(), r.toString());
        assertEquals(365, retention(aws).get(compliance));

        cli.interactive = true;
        cli.stdin = "no\n";
        r = cli.run("retention", "set");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("Lower the retention of 2 log group(s) to 14 days? Type 'yes' to go ahead: "),
                r.out());
        assertEquals("pglogs: not confirmed: nothing was changed\n", r.err());
        assertEquals(365, retention(aws).get(compliance));

        cli.stdin = "yes\n";
        r = cli.run("retention", "set");
        assertEquals(0, r.code(), r.toString());
        assertEquals(14, retention(aws).get(compliance));
        assertEquals(14, retention(aws).get(forever));
    }

    @Test
    void raisingNeedsNoConfirmation() {
        MotoRegion aws = new MotoRegion("eu-west-3");
        String group = "/aws/rds/instance/short/postgresql";
        aws.logs.createLogGroup(b -> b.logGroupName(group));
        aws.logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(7));
        TestCli cli = aws.cli();
        TestCli.Result r = cli.run("retention", "set", "--days", "30", "--log-group", group);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(group) && l.contains("7 days")
                && l.contains("-> 30 days") && l.endsWith("raise")), r.out());
        assertEquals(30, retention(aws).get(group));
    }

    @Test
    void badInputChangesNothing() {
        MotoRegion aws = new MotoRegion("ap-northeast-2");
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/x/postgresql"));
        TestCli cli = aws.cli();
        TestCli.Result r = cli.run("retention", "set", "--days", "10");
        assertEquals(2, r.code(), r.toString());
        assertEquals("pglogs: --days 10 is not a retention CloudWatch accepts; use one of: 1, 3, 5, 7, 14, 30, 60, 90, "
                + "120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (see 'pglogs retention "
                + "set --help')\n", r.err());
        r = cli.run("retention", "set", "--all", "--log-group", "/aws/rds/instance/x/postgresql");
        assertEquals(2, r.code(), r.toString());
        r = cli.run("retention", "set", "--log-group", "/aws/rds/instance/x/postgresql", "--log-group", "/missing");
        assertEquals(1, r.code(), r.toString());
        assertEquals("pglogs: log group /missing does not exist; nothing was changed\n", r.err());
        assertNull(retention(aws).get("/aws/rds/instance/x/postgresql"));
    }

    @Test
    void showFlagsGroupsThatNeverExpire() throws Exception {
        MotoRegion aws = new MotoRegion("eu-north-1");
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/rds/instance/forever/postgresql"));
        aws.logs.createLogGroup(b -> b.logGroupName("/aws/lambda/pglogs-forwarder-prod"));
        aws.logs.putRetentionPolicy(b -> b.logGroupName("/aws/lambda/pglogs-forwarder-prod").retentionInDays(14));
        TestCli cli = aws.cli();
        TestCli.Result r = cli.run("retention", "show");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("/aws/rds/instance/forever/postgresql")
                && l.contains("never expires")), r.out());
        assertTrue(r.out().contains("1 group(s) keep their logs forever: pglogs retention set --log-group "
                + "/aws/rds/instance/forever/postgresql\n"), r.out());
        JsonNode json = new ObjectMapper().readTree(cli.run("retention", "show", "-o", "json").out());
        assertEquals(2, json.get("groups").size());
        assertTrue(json.get("groups").get(0).get("never_expires").asBoolean());
        assertEquals(14, json.get("groups").get(1).get("retention_days").asInt());
        assertEquals("[\"/aws/lambda/pglogs-forwarder-devel\"]", json.get("missing").toString());
    }
}
