package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.rds.Preset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.pglogs.testing.FaultProxy;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Parameter;

/** rds configure and show against moto's RDS, read back through the SDK. */
@Tag("integration")
class RdsCommandTest {
    private static MotoRegion aws;

    @BeforeAll
    static void region() {
        aws = new MotoRegion("us-east-2");
    }

    private static void createInstance(String id, String engine) {
        aws.rds.createDBInstance(b -> b.dbInstanceIdentifier(id).engine(engine)
                .engineVersion(engine.equals("postgres") ? "15.4" : "8.0.35").dbInstanceClass("db.t3.micro")
                .allocatedStorage(20).masterUsername("admin_user").masterUserPassword("a-long-password"));
    }

    private static DBInstance instance(String id) {
        return aws.rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
    }

    private static Map<String, String> userParameters(String group) {
        Map<String, String> m = new HashMap<>();
        aws.rds.describeDBParametersPaginator(b -> b.dbParameterGroupName(group).source("user")).parameters()
                .forEach(p -> m.put(p.parameterName(), p.parameterValue()));
        return m;
    }

    private static List<String> groups() {
        return aws.rds.describeDBParameterGroupsPaginator(b -> { }).dbParameterGroups().stream()
                .map(g -> g.dbParameterGroupName()).toList();
    }

    @ParameterizedTest
    @EnumSource(Preset.class)
    void eachPresetOnADefaultGroupCreatesAndAttachesACustomGroupAndExportsTheLog(Preset preset) {
        String id = "db-" + preset;
        createInstance(id, "postgres");
        assertEquals("default.postgres15", instance(id).dbParameterGroups().get(0).dbParameterGroupName());
        TestCli cli = aws.cli();
        String group = "pglogs-" + id + "-postgres15";
        List<String> groupsBefore = groups();

        TestCli.Result r = cli.run("rds", "configure", "--instance", id, "--preset", preset.name());
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("  create parameter group " + group + " (postgres15)"), r.out());
        assertTrue(r.out().contains("  attach " + group + " to instance " + id + ": takes effect at the next reboot"),
                r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("log_min_duration_statement")
                && l.endsWith("at the next reboot (new group)")), r.out());
        assertEquals("pglogs: attaching parameter group " + group + " to instance " + id + " changes its settings at "
                + "the next reboot: confirm at a terminal, or pass --yes; nothing was changed", r.err().lines()
                .filter(l -> !l.contains("secrets")).findFirst().orElseThrow());
        assertEquals(groupsBefore, groups(), "a refused plan created a group");
        assertEquals("default.postgres15", instance(id).dbParameterGroups().get(0).dbParameterGroupName());

        r = cli.run("rds", "configure", "--instance", id, "--preset", preset.name(), "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("created parameter group " + group + " (postgres15)"), r.out());
        assertTrue(r.out().contains("attached " + group + " to instance " + id), r.out());
        assertTrue(r.out().contains("turned on the export of the postgresql log to CloudWatch Logs"), r.out());
        assertTrue(r.out().contains("takes effect only after a reboot: aws rds reboot-db-instance "
                + "--db-instance-identifier " + id), r.out());
        assertEquals(preset == Preset.verbose, r.err().contains("statement text may carry secrets"), r.err());

        DBInstance db = instance(id);
        assertEquals(group, db.dbParameterGroups().get(0).dbParameterGroupName());
        assertEquals(List.of("postgresql"), db.enabledCloudwatchLogsExports());
        assertEquals(preset.parameters(), userParameters(group));

        r = cli.run("rds", "configure", "--instance", id, "--preset", preset.name());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("already configured with preset " + preset + "; nothing to change"), r.out());
    }

    @Test
    void anAttachedCustomGroupIsChangedInPlaceShowingTheDifferences() {
        createInstance("db-inplace", "postgres");
        TestCli cli = aws.cli();
        assertEquals(0, cli.run("rds", "configure", "--instance", "db-inplace", "--preset", "standard", "--yes")
                .code());
        String group = instance("db-inplace").dbParameterGroups().get(0).dbParameterGroupName();

        TestCli.Result r = cli.run("rds", "configure", "--instance", "db-inplace", "--preset", "verbose",
                "--set", "log_min_duration_statement=250", "--set", "shared_preload_libraries=auto_explain");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("created parameter group"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("log_min_duration_statement")
                && l.contains("1000") && l.contains("-> 250") && l.endsWith("immediately")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("log_statement") && l.contains("ddl")
                && l.contains("-> all")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("shared_preload_libraries")
                && l.contains("(engine default)") && l.endsWith("at the next reboot")), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.trim().startsWith("log_connections")),
                "unchanged ones are not shown");
        assertTrue(r.out().contains("Static parameters take effect only after a reboot"), r.out());
        assertEquals(group, instance("db-inplace").dbParameterGroups().get(0).dbParameterGroupName());
        Map<String, String> set = userParameters(group);
        assertEquals("250", set.get("log_min_duration_statement"));
        assertEquals("all", set.get("log_statement"));
        assertEquals("auto_explain", set.get("shared_preload_libraries"));
    }

    @Test
    void changingAGroupOtherInstancesShareNamesThem() {
        aws.rds.createDBParameterGroup(b -> b.dbParameterGroupName("team-pg15").dbParameterGroupFamily("postgres15")
                .description("the team's own"));
        for (String id : List.of("db-team-a", "db-team-b")) {
            createInstance(id, "postgres");
            aws.rds.modifyDBInstance(b -> b.dbInstanceIdentifier(id).dbParameterGroupName("team-pg15")
                    .applyImmediately(true));
        }
        TestCli cli = aws.cli();
        TestCli.Result r = cli.run("rds", "configure", "--instance", "db-team-a", "--preset", "quiet");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.out().contains("team-pg15 is also attached to db-team-b: their logging changes too"), r.out());
        assertEquals("pglogs: parameter group team-pg15 is shared with db-team-b, whose logging changes too: confirm "
                + "at a terminal, or pass --yes; nothing was changed\n", r.err());
        assertEquals(Map.of(), userParameters("team-pg15"), "changed a shared group without consent");

        cli.interactive = true;
        cli.stdin = "yes\n";
        r = cli.run("rds", "configure", "--instance", "db-team-a", "--preset", "quiet");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Apply this plan to instance db-team-a? Type 'yes' to go ahead: "), r.out());
        assertFalse(r.out().contains("created parameter group"), r.out());
        assertEquals(Preset.quiet.parameters(), userParameters("team-pg15"));
    }

    @Test
    void dryRunChangesNothing() {
        createInstance("db-dry", "postgres");
        TestCli.Result r = aws.cli().run("rds", "configure", "--instance", "db-dry", "--preset", "quiet", "--dry-run");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Plan (dry run):"), r.out());
        assertTrue(r.out().contains("  create parameter group pglogs-db-dry-postgres15"), r.out());
        assertTrue(r.out().endsWith("\ndry run: nothing was changed\n"), "the last line: " + r.out());
        assertEquals("default.postgres15", instance("db-dry").dbParameterGroups().get(0).dbParameterGroupName());
        assertEquals(List.of(), instance("db-dry").enabledCloudwatchLogsExports());
    }

    @Test
    void badInputIsOneLineAndChangesNothing() {
        createInstance("db-bad", "postgres");
        createInstance("mysql-db", "mysql");
        List<String> before = groups();
        TestCli cli = aws.cli();
        assertFails(cli.run("rds", "configure", "--instance", "no-such-db", "--preset", "standard"), 1,
                "pglogs: no RDS instance 'no-such-db' in us-east-2");
        assertFails(cli.run("rds", "configure", "--instance", "db-bad", "--preset", "standard", "--set",
                "log_everything=1"), 2, "pglogs: unknown parameter 'log_everything' for --set; pglogs manages: ");
        assertFails(cli.run("rds", "configure", "--instance", "db-bad", "--preset", "standard", "--set",
                "log_statement=everything"), 2, "pglogs: invalid value 'everything' for log_statement: expected one "
                + "of none, ddl, mod, all");
        assertFails(cli.run("rds", "configure", "--instance", "db-bad", "--preset", "standard", "--set",
                "log_temp_files=-2"), 2, "pglogs: invalid value '-2' for log_temp_files: expected a whole number "
                + "from -1 to 2147483647");
        assertFails(cli.run("rds", "configure", "--instance", "mysql-db", "--preset", "standard"), 3,
                "pglogs: instance mysql-db runs mysql, not PostgreSQL");
        assertFails(cli.run("rds", "configure", "--instance", "db-bad", "--cluster", "c", "--preset", "quiet"), 2,
                "pglogs: name only one --instance or one --cluster");
        assertFails(cli.run("rds", "configure", "--instance", "db-bad", "--preset", "loud"), 2,
                "pglogs: Invalid value for option '--preset': expected one of [quiet, standard, verbose]");
        assertEquals(before, groups(), "a failed command created a parameter group");
        assertEquals("default.postgres15", instance("db-bad").dbParameterGroups().get(0).dbParameterGroupName());
    }

    private static void assertFails(TestCli.Result r, int code, String start) {
        assertEquals(code, r.code(), r.toString());
        assertTrue(r.err().startsWith(start), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void anAuroraClusterGetsAClusterParameterGroup() {
        aws.rds.createDBCluster(b -> b.dbClusterIdentifier("aurora-1").engine("aurora-postgresql")
                .engineVersion("15.4").masterUsername("admin_user").masterUserPassword("a-long-password"));
        TestCli.Result r = aws.cli().run("rds", "configure", "--cluster", "aurora-1", "--preset", "standard",
                "--yes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("created parameter group pglogs-aurora-1-aurora-postgresql15"), r.out());
        assertEquals("pglogs-aurora-1-aurora-postgresql15", aws.rds.describeDBClusters(b -> b.dbClusterIdentifier(
                "aurora-1")).dbClusters().get(0).dbClusterParameterGroup());
        Map<String, String> set = new HashMap<>();
        aws.rds.describeDBClusterParametersPaginator(b -> b.dbClusterParameterGroupName(
                "pglogs-aurora-1-aurora-postgresql15").source("user")).parameters()
                .forEach(p -> set.put(p.parameterName(), p.parameterValue()));
        assertEquals(Preset.standard.parameters(), set);
        assertTrue(r.out().contains("reboot each instance of cluster aurora-1"), r.out());
    }

    @Test
    void showAndConfigureSetTheInstancesLogTimezoneBesideTheOnePglogsReadsWith() throws Exception {
        createInstance("db-tz", "postgres");
        TestCli cli = aws.cli();
        TestCli.Result r = cli.run("rds", "show", "--instance", "db-tz");
        assertTrue(r.out().lines().anyMatch(l -> l.matches("log_timezone +UTC \\(engine default\\)")), r.out());

        assertEquals(0, cli.run("rds", "configure", "--instance", "db-tz", "--preset", "standard", "--yes").code());
        String group = instance("db-tz").dbParameterGroups().get(0).dbParameterGroupName();
        aws.rds.modifyDBParameterGroup(b -> b.dbParameterGroupName(group).parameters(p -> p
                .parameterName("log_timezone").parameterValue("America/Chicago").applyMethod("immediate")));
        r = cli.run("rds", "show", "--instance", "db-tz");
        assertTrue(r.out().contains("log_timezone                   America/Chicago; pglogs devel reads entries "
                + "with UTC (default): set devel.log_timezone (or PGLOGS_DEVEL_LOG_TIMEZONE) to America/Chicago and "
                + "run pglogs start devel"), r.out());
        r = cli.run("rds", "configure", "--instance", "db-tz", "--preset", "standard");
        assertTrue(r.out().contains("log_timezone America/Chicago; pglogs devel reads entries with UTC"), r.out());

        cli.env.put("PGLOGS_DEVEL_LOG_TIMEZONE", "America/Chicago");
        JsonNode shown = new ObjectMapper().readTree(cli.run("rds", "show", "--instance", "db-tz", "-o", "json")
                .out());
        assertEquals("America/Chicago", shown.get("log_timezone").asText());
        assertEquals("America/Chicago", shown.get("pglogs_log_timezone").asText());
        r = cli.run("rds", "show", "--instance", "db-tz");
        assertTrue(r.out().lines().anyMatch(l -> l.matches("log_timezone +America/Chicago")), r.out());
    }

    @Test
    void showReportsGroupParametersRebootAndExport() throws Exception {
        createInstance("db-show", "postgres");
        TestCli cli = aws.cli();
        JsonNode before = new ObjectMapper().readTree(cli.run("rds", "show", "--instance", "db-show", "-o", "json")
                .out());
        assertEquals("default.postgres15", before.get("parameter_group").asText());
        assertTrue(before.get("default_group").asBoolean());
        assertFalse(before.get("exports_postgresql").asBoolean());
        assertTrue(before.at("/parameters/log_statement").isNull());

        assertEquals(0, cli.run("rds", "configure", "--instance", "db-show", "--preset", "quiet", "-y").code());
        JsonNode after = new ObjectMapper().readTree(cli.run("rds", "show", "--instance", "db-show", "-o", "json")
                .out());
        assertEquals("pglogs-db-show-postgres15", after.get("parameter_group").asText());
        assertEquals("postgres15", after.get("family").asText());
        assertTrue(after.get("exports_postgresql").asBoolean());
        assertEquals("5000", after.at("/parameters/log_min_duration_statement").asText());
        assertEquals("none", after.at("/parameters/log_statement").asText());

        TestCli.Result text = cli.run("rds", "show", "--instance", "db-show");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("postgresql log export") && l.endsWith("on")),
                text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("log_checkpoints") && l.endsWith("0")), text.out());
    }

    @Test
    void listParametersAreMergedWithWhatIsInEffect() {
        aws.rds.createDBParameterGroup(b -> b.dbParameterGroupName("libs-pg15").dbParameterGroupFamily("postgres15")
                .description("with libraries"));
        aws.rds.modifyDBParameterGroup(b -> b.dbParameterGroupName("libs-pg15").parameters(Parameter.builder()
                .parameterName("shared_preload_libraries").parameterValue("pg_stat_statements,pg_hint_plan")
                .applyMethod("pending-reboot").build()));
        createInstance("db-libs", "postgres");
        aws.rds.modifyDBInstance(b -> b.dbInstanceIdentifier("db-libs").dbParameterGroupName("libs-pg15"));
        TestCli cli = aws.cli();

        TestCli.Result r = cli.run("rds", "configure", "--instance", "db-libs", "--preset", "quiet", "--set",
                "shared_preload_libraries=auto_explain, pg_stat_statements");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("shared_preload_libraries")
                && l.contains("pg_stat_statements,pg_hint_plan") && l.contains("-> pg_stat_statements,pg_hint_plan,"
                + "auto_explain") && l.endsWith("at the next reboot")), r.out());
        assertEquals("pg_stat_statements,pg_hint_plan,auto_explain",
                userParameters("libs-pg15").get("shared_preload_libraries"));

        r = cli.run("rds", "configure", "--instance", "db-libs", "--preset", "quiet", "--set",
                "shared_preload_libraries=pg_hint_plan");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("already configured"), r.out());
        assertEquals("pg_stat_statements,pg_hint_plan,auto_explain",
                userParameters("libs-pg15").get("shared_preload_libraries"));
    }

    /** What the SDK sent, seen between it and moto: never ApplyImmediately=true. */
    @Test
    void neverAppliesPendingModificationsImmediately() throws Exception {
        createInstance("db-pending", "postgres");
        aws.rds.createDBCluster(b -> b.dbClusterIdentifier("aurora-pending").engine("aurora-postgresql")
                .engineVersion("15.4").masterUsername("admin_user").masterUserPassword("a-long-password"));
        try (FaultProxy proxy = FaultProxy.recording(aws.moto.endpoint())) {
            TestCli cli = aws.cli();
            cli.env.put("AWS_ENDPOINT_URL", proxy.endpoint().toString());
            assertEquals(0, cli.run("rds", "configure", "--instance", "db-pending", "--preset", "standard", "--yes")
                    .code());
            assertEquals(0, cli.run("rds", "configure", "--cluster", "aurora-pending", "--preset", "standard",
                    "--yes").code());

            List<FaultProxy.Request> instance = proxy.requests("ModifyDBInstance");
            assertEquals(1, instance.size(), proxy.requests().toString());
            assertEquals("pglogs-db-pending-postgres15", instance.get(0).form().get("DBParameterGroupName"));
            assertEquals("postgresql", instance.get(0).form().get(
                    "CloudwatchLogsExportConfiguration.EnableLogTypes.member.1"));
            List<FaultProxy.Request> cluster = proxy.requests("ModifyDBCluster");
            assertEquals(1, cluster.size(), proxy.requests().toString());
            assertEquals("pglogs-aurora-pending-aurora-postgresql15",
                    cluster.get(0).form().get("DBClusterParameterGroupName"));
            for (FaultProxy.Request m : List.of(instance.get(0), cluster.get(0))) {
                assertNotEquals("true", m.form().get("ApplyImmediately"), m.toString());
            }
            assertFalse(proxy.requests().stream().anyMatch(q -> q.action() != null
                    && q.action().startsWith("Reboot")), "rebooted something");
        }
    }
}
