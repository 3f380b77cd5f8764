package io.pglogs.terraform;

import org.junit.jupiter.api.Tag;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conventions every module and root keeps, in the manner of terraform-aws-modules. */
@Tag("integration")
class TerraformLayoutTest {
    static final String[] MODULES = {"persistent_data/dynamo_db_tables", "collectors/postgres_logs"};
    static final String[] ROOTS = {"persistent_data/manage_devel", "persistent_data/manage_prod",
            "collectors/manage_devel", "collectors/manage_prod"};

    @ParameterizedTest
    @ValueSource(strings = {"persistent_data/dynamo_db_tables", "collectors/postgres_logs",
            "persistent_data/manage_devel", "persistent_data/manage_prod", "collectors/manage_devel",
            "collectors/manage_prod"})
    void hasTheStandardFilesAndDescribesEveryVariable(String dir) throws Exception {
        for (String f : List.of("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")) {
            assertTrue(Files.isRegularFile(Hcl.ROOT.resolve(dir).resolve(f)), dir + " lacks " + f);
        }
        JsonNode tf = Hcl.load(dir);
        tf.path("variable").fields().forEachRemaining(v -> {
            JsonNode body = v.getValue().get(0);
            assertTrue(body.hasNonNull("type"), dir + ": variable " + v.getKey() + " has no type");
            assertFalse(body.path("description").asText().isBlank(),
                    dir + ": variable " + v.getKey() + " has no description");
        });
        tf.path("output").fields().forEachRemaining(o -> assertFalse(
                o.getValue().get(0).path("description").asText().isBlank(), dir + ": output " + o.getKey()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"persistent_data/manage_devel", "persistent_data/manage_prod", "collectors/manage_devel",
            "collectors/manage_prod"})
    void rootsPinTheProviderMajorAndKeepOneLocalState(String dir) throws Exception {
        JsonNode terraform = Hcl.block(Hcl.load(dir), "terraform");
        String version = Hcl.block(terraform, "required_providers").path("aws").path("version").asText();
        // ~> 5.46 admits the mirrored 5.46.0 and every later 5.x, never 6: the lock file pins the exact release.
        assertEquals("~> 5.46", version, dir + " constrains aws to '" + version + "'");
        assertTrue(terraform.path("backend").has("local"), dir + " has no local backend");
    }

    @ParameterizedTest
    @ValueSource(strings = {"persistent_data/dynamo_db_tables", "collectors/postgres_logs"})
    void modulesSetFloorsAndNoProvider(String dir) throws Exception {
        JsonNode tf = Hcl.load(dir);
        String version = Hcl.block(tf, "terraform", "required_providers").path("aws").path("version").asText();
        assertEquals(">= 5.46, < 6.0", version, dir + ": a module sets a floor and stays below the next major");
        assertFalse(tf.has("provider"), dir + " configures a provider; modules inherit the root's");
        assertFalse(Hcl.block(tf, "terraform").has("backend"), dir + " declares a backend");
    }

    @ParameterizedTest
    @ValueSource(strings = {"persistent_data/manage_devel", "collectors/manage_devel"})
    void devAndProdRootsPinTheSameProvider(String devel) throws Exception {
        String prod = devel.replace("devel", "prod");
        assertEquals(
                Hcl.block(Hcl.load(devel), "terraform", "required_providers").toString(),
                Hcl.block(Hcl.load(prod), "terraform", "required_providers").toString());
    }
}
