package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stop prod --include-data asks to type "prod" even with --yes, naming the table the state of persistent_data would
 * destroy: so it reads that state first (the real prod root, initialised by OpenTofu against moto), and a refusal
 * changes nothing.
 */
@Tag("integration")
class ProdDataStopTest {
    @TempDir
    Path tmp;

    @Test
    void destroyingProdDataNeedsATypedConfirmationEvenWithYes() throws Exception {
        MotoRegion region = new MotoRegion("af-south-1");
        Path terraform = DeploymentTest.copyTerraform(tmp.resolve("terraform"));
        TestCli cli = region.cli().withTerraform();
        cli.terraformDir(terraform);
        cli.env.put("PGLOGS_PROD_RDS_INSTANCES", "orders-db");

        cli.interactive = false;
        TestCli.Result r = cli.run("stop", "prod", "--include-data", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().endsWith("pglogs: refusing to destroy the prod table without a typed confirmation: run "
                + "'pglogs stop prod --include-data' at a terminal\n"), r.err());
        assertTrue(r.out().contains("This destroys the prod table pglogs-prod and every log entry in it."), r.out());
        assertTrue(r.out().contains("deletion protection and prevent_destroy"), r.out());

        cli.interactive = true;
        cli.stdin = "yes\n"; // the environment's name is required, not "yes"
        r = cli.run("stop", "prod", "--include-data", "--yes");
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().endsWith("pglogs: not confirmed: nothing was destroyed\n"), r.err());
        assertTrue(r.out().contains("Type the environment name (prod) to destroy its data: "), r.out());
    }
}
