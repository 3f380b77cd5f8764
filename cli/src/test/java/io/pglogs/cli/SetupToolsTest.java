package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/demo in a clone with no ../shared beside it and no provider registry: the demo runs no Terraform, so
 * setup-tools (PGLOGS_SKIP_TOFU=1) must not insist on a provider. Runs the real script; its tools are cached.
 */
@Tag("integration")
class SetupToolsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run setupTools(Map<String, String> extra) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("TF_CLI_CONFIG_FILE");
        env.put("PGLOGS_PROVIDER_MIRROR", "always"); // as if no registry answered
        env.put("PGLOGS_PROVIDER_SOURCE", tmp.resolve("no-shared").toString());
        env.putAll(extra);
        ProcessBuilder pb = TestCli.process(env, List.of("bash", Path.of("..", "scripts", "setup-tools")
                .toAbsolutePath().normalize().toString()));
        pb.redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "setup-tools did not finish");
        return new Run(p.exitValue(), out, java.nio.file.Files.readString(tmp.resolve("err")));
    }

    @Test
    void withoutTerraformNoProviderIsNeeded() throws Exception {
        Run r = setupTools(Map.of("PGLOGS_SKIP_TOFU", "1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\nPGLOGS_TF_CLI_CONFIG_FILE=\n"), r.out());
        assertTrue(r.out().contains("PGLOGS_MOTO_SERVER="), r.out());
    }

    @Test
    void withTerraformAMissingProviderIsStillNamed() throws Exception {
        Run r = setupTools(Map.of("PGLOGS_TERRAFORM", TestCli.tofu()));
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no provider registry reachable and no offline provider at "
                + tmp.resolve("no-shared")), r.err());
    }
}
