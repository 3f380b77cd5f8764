package io.pglogs.terraform;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every root passes "tofu validate" with the AWS provider it would run with: attribute names, types and argument
 * values as the provider's schema knows them, which reading the HCL cannot check.
 */
@Tag("integration")
class ValidateTest {
    @TempDir
    static Path copy;

    @BeforeAll
    static void copyWithoutState() throws IOException {
        // A copy, so the checkout keeps no .terraform directory or lock file from the test.
        try (Stream<Path> files = Files.walk(Hcl.ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".tf")).toList()) {
                Path to = copy.resolve(Hcl.ROOT.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"persistent_data/manage_devel", "persistent_data/manage_prod", "collectors/manage_devel",
            "collectors/manage_prod"})
    void theRootValidatesAgainstTheProvidersSchema(String root) throws Exception {
        Path dir = copy.resolve(root);
        String init = tofu(dir, "init", "-backend=false", "-input=false", "-no-color");
        JsonNode result = new ObjectMapper().readTree(tofu(dir, "validate", "-json", "-no-color"));
        assertTrue(result.path("valid").asBoolean(), root + ": " + result.toPrettyString() + "\n" + init);
        assertEquals(0, result.path("warning_count").asInt(), root + " has warnings (deprecated attributes?): "
                + result.path("diagnostics").toPrettyString());
    }

    private static String tofu(Path dir, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Hcl.tool("pglogs.tofu")));
        cmd.addAll(List.of(args));
        // stderr apart: tofu warns there (a CLI config file that is missing, say) while stdout stays JSON.
        Path errors = Files.createTempFile(copy, "tofu-", ".err");
        ProcessBuilder pb = Hcl.process(cmd.toArray(String[]::new)).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.to(errors.toFile()));
        // Where no provider registry is reachable, scripts/test made a mirror of hashicorp/aws: use it.
        String tfrc = System.getProperty("pglogs.tfrc", "");
        if (!tfrc.isBlank()) {
            pb.environment().put("TF_CLI_CONFIG_FILE", tfrc);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0 && !args[0].equals("validate")) {
            fail("tofu " + String.join(" ", args) + " failed in " + dir + " (exit " + code + "):\n" + out
                    + Files.readString(errors));
        }
        return out;
    }
}
