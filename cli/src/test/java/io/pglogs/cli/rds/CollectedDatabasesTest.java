package io.pglogs.cli.rds;

import io.pglogs.cli.config.Host;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving the databases an environment collects from, where no AWS call is needed. */
class CollectedDatabasesTest {
    @TempDir
    Path home;

    private CollectedDatabases resolve(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        Settings settings = Settings.load(new Host(all, home));
        return CollectedDatabases.resolve(settings, Environment.devel, () -> {
            throw new AssertionError("listed ids need no RDS call");
        });
    }

    @Test
    void aFilterForAutoWithoutAutoIsRefused() {
        BadSettingException e = assertThrows(BadSettingException.class, () -> resolve(Map.of(
                "PGLOGS_DEVEL_RDS_INSTANCES", "orders-db", "PGLOGS_DEVEL_RDS_AUTO_NAME", "orders-*")));
        assertTrue(e.getMessage().startsWith("devel.rds_auto_name (env PGLOGS_DEVEL_RDS_AUTO_NAME) filters what auto "
                + "finds, but neither devel.rds_instances nor devel.aurora_clusters is auto"), e.getMessage());
    }

    @Test
    void autoMixedWithIdsIsRefusedWhateverItsCase() {
        assertThrows(BadSettingException.class, () -> resolve(Map.of("PGLOGS_DEVEL_RDS_INSTANCES", "Auto,orders-db")));
    }

    @Test
    void subscriptionsFoundElsewhereJoinTheConfiguredDatabasesOnce() {
        CollectedDatabases d = resolve(Map.of("PGLOGS_DEVEL_RDS_INSTANCES", "orders-db"))
                .withLogGroups(List.of("/aws/rds/instance/orders-db/postgresql", "/aws/rds/instance/old-db/postgresql",
                        "/aws/rds/cluster/billing/postgresql"));
        assertEquals(List.of("orders-db", "old-db"), d.instances());
        assertEquals(List.of("billing"), d.clusters());
    }
}
