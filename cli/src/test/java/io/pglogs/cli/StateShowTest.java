package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state show} for local states, where no AWS call is needed or none is possible. */
class StateShowTest {
    @TempDir
    Path tmp;

    private TestCli cli() {
        TestCli cli = new TestCli();
        cli.env.put("HOME", tmp.resolve("home").toString());
        cli.env.put("PGLOGS_TERRAFORM_DIR", tmp.resolve("terraform").toString());
        cli.env.put("AWS_CONFIG_FILE", tmp.resolve("none").toString());
        cli.env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString());
        return cli;
    }

    @Test
    void withAnAccountIdTheLocalStatesAreUnderItInTheXdgStateHome() throws IOException {
        TestCli cli = cli();
        cli.env.put("AWS_REGION", "eu-west-1");
        cli.env.put("PGLOGS_DEVEL_ACCOUNT_ID", "123456789012");
        cli.env.put("XDG_STATE_HOME", tmp.resolve("xdg").toString());
        Path root = Files.createDirectories(tmp.resolve("terraform/collectors/manage_devel"));
        Files.writeString(root.resolve("terraform.tfstate"), "{\"version\":4,\"resources\":[{\"type\":\"x\"}]}");
        TestCli.Result r = cli.run("state", "show", "devel");
        assertEquals(0, r.code(), r.toString());
        Path states = tmp.resolve("xdg/pglogs/123456789012/eu-west-1/devel");
        assertEquals("devel: local state\n"
                + "  persistent_data: local file " + states.resolve("persistent_data.tfstate") + " (none yet)\n"
                + "    this working copy is not initialised yet\n"
                + "  collectors: local file " + states.resolve("collectors.tfstate") + " (none yet)\n"
                + "    this working copy still holds a local state, " + root.resolve("terraform.tfstate")
                + "; the next start or stop moves it there\n"
                + "    this working copy is not initialised yet\n", r.out());
        assertFalse(Files.exists(tmp.resolve("xdg")), "state show writes nothing");

        cli.env.put("PGLOGS_STATE_DIR", tmp.resolve("elsewhere").toString());
        r = cli.run("state", "show", "devel");
        assertTrue(r.out().contains("collectors: local file " + tmp.resolve(
                "elsewhere/123456789012/eu-west-1/devel/collectors.tfstate")), r.out());
    }

    @Test
    void withoutARegionItSaysWhatItCannotKnow() {
        TestCli cli = cli();
        TestCli.Result r = cli.run("state", "show", "devel");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("collectors: local file " + tmp.resolve(
                "home/.local/state/pglogs/<account>/<region>/devel/collectors.tfstate") + " (no region is set)"),
                r.out());
    }
}
