package io.pglogs.cli.terraform;

import io.pglogs.cli.config.Host;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.error.BadSettingException;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a state goes and what the backend is told: pure logic, no AWS. */
class StateBackendTest {
    private static final Settings.Value UNSET = new Settings.Value("x", null, "default");

    @TempDir
    Path home;

    private StateBackend resolve(Map<String, String> env, Environment environment, String region, String profile) {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        Settings settings = Settings.load(new Host(all, home));
        return StateBackend.resolve(settings, environment, new Settings.Value("devel.region", region, "env"), UNSET,
                profile == null ? UNSET : new Settings.Value("devel.profile", profile, "--profile"));
    }

    @Test
    void eachRegionOfAnEnvironmentHasAStateOfItsOwn() {
        Path root = Path.of("terraform/collectors/manage_devel");
        StateBackend west = resolve(Map.of("PGLOGS_DEVEL_STATE_BUCKET", "team-state"), Environment.devel,
                "eu-west-1", null);
        StateBackend east = resolve(Map.of("PGLOGS_DEVEL_STATE_BUCKET", "team-state"), Environment.devel,
                "us-east-1", null);
        assertEquals("pglogs/devel/eu-west-1/collectors.tfstate", west.key(root));
        assertEquals("pglogs/devel/us-east-1/collectors.tfstate", east.key(root));
    }

    @Test
    void twoEnvironmentsUnderOneKeyAreRefused() {
        BadSettingException e = assertThrows(BadSettingException.class, () -> resolve(Map.of(
                "PGLOGS_DEVEL_STATE_BUCKET", "team-state", "PGLOGS_PROD_STATE_BUCKET", "team-state",
                "PGLOGS_PROD_STATE_KEY", "pglogs/devel/"), Environment.prod, "eu-west-1", null));
        assertEquals("prod.state_key and devel.state_key are both 'pglogs/devel' in bucket team-state: each "
                + "environment needs a key of its own", e.getMessage());
        assertTrue(resolve(Map.of("PGLOGS_DEVEL_STATE_BUCKET", "team-state", "PGLOGS_PROD_STATE_BUCKET",
                "team-state"), Environment.prod, "eu-west-1", null).shared(), "the default keys differ");
    }

    @Test
    void theBackendUsesTheProfileAndTheLockFileWhereTheBinaryHasIt() {
        Path root = Path.of("terraform/persistent_data/manage_devel");
        StateBackend state = resolve(Map.of("PGLOGS_DEVEL_STATE_BUCKET", "team-state",
                "PGLOGS_DEVEL_STATE_LOCK_TABLE", "locks"), Environment.devel, "eu-west-1", "deployer");
        assertEquals("""
                bucket = "team-state"
                key = "pglogs/devel/eu-west-1/persistent_data.tfstate"
                region = "eu-west-1"
                encrypt = true
                dynamodb_table = "locks"
                use_lockfile = true
                profile = "deployer"
                """, state.backendConfig(root, true));
        assertFalse(state.backendConfig(root, false).contains("use_lockfile"));
    }

    @Test
    void theLockFileCameWithVersionOnePointTen() {
        assertFalse(StateBackend.supportsLockFile("1.6.2"));
        assertFalse(StateBackend.supportsLockFile("1.9.9"));
        assertTrue(StateBackend.supportsLockFile("1.10.0"));
        assertTrue(StateBackend.supportsLockFile("v1.11.0-beta1"));
        assertTrue(StateBackend.supportsLockFile("2.0.0"));
        assertFalse(StateBackend.supportsLockFile(""));
    }
}
