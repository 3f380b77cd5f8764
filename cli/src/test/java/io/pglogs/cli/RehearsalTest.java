package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * scripts/rehearse (the fleet rehearsal: the real roots applied by bin/pglogs against a moto of its own, step by step
 * with wall times) as one of the integration tests, so it runs beside the other classes instead of after the whole
 * build: most of its five minutes is the provider waiting for moto (SQS propagation polling), which used to be the
 * last thing scripts/test did, alone. The script itself is unchanged and still runs by hand; this only checks that
 * it exits 0, i.e. that every step's outcome was the one it expects, and keeps its output in
 * cli/target/rehearse.log (the step times are also printed here).
 */
@Execution(ExecutionMode.CONCURRENT)
@Tag("integration")
class RehearsalTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Five minutes on a quiet machine; a wedged step fails the test rather than the build's timeout. */
    private static final long TIMEOUT_MINUTES = 25;

    @Test
    void theFleetRehearsalGoesAsEveryStepExpects() throws IOException, InterruptedException {
        Path log = REPO.resolve("cli/target/rehearse.log");
        Files.createDirectories(log.getParent());
        // The build's environment as scripts/test gave it (its tools); the script builds the operator's from it.
        Process p = new ProcessBuilder(REPO.resolve("scripts/rehearse").toString()).directory(REPO.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            fail("scripts/rehearse ran over " + TIMEOUT_MINUTES + " min; its output so far:\n" + tail(log));
        }
        String output = Files.readString(log);
        System.out.print(output);
        assertEquals(0, p.exitValue(), "scripts/rehearse failed:\n" + tail(log));
        assertTrue(output.contains("rehearse: all "), output);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
}
