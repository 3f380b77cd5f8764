package io.pglogs.cli.local;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.cli.error.FailureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local pipeline's setup commands: output, failures, and a command that hangs is stopped, not waited for. */
class CommandTimeoutTest {
    @TempDir
    Path tmp;

    @Test
    void aCommandThatHangsIsStoppedAtItsTimeout() throws Exception {
        Path pidFile = tmp.resolve("pid");
        FailureException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(
                FailureException.class, () -> LocalPipeline.output(
                        new ProcessBuilder("sh", "-c", "echo $$ > " + pidFile
                        + "; echo started; exec sleep 300"), "pg_ctl start", Duration.ofSeconds(1))));
        assertEquals("pg_ctl start did not finish within 1 s and was stopped", e.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(pid).map(h -> h.onExit().join()).map(h -> !h.isAlive()).orElse(true),
                "the hanging command was left running");
    }

    @Test
    void outputAndFailuresAsBefore() {
        assertEquals("hello\n", LocalPipeline.output(new ProcessBuilder("sh", "-c", "echo hello"), "echo",
                Duration.ofSeconds(30)));
        FailureException e = assertThrows(FailureException.class, () -> LocalPipeline.output(
                new ProcessBuilder("sh", "-c", "echo first; echo 'no such role' >&2; exit 3"), "psql",
                Duration.ofSeconds(30)));
        assertEquals("psql failed: no such role", e.getMessage());
    }

    @Test
    void aDaemonHoldingTheOutputOpenDoesNotHangIt() {
        // pg_ctl start leaves the server running with the pipe inherited: the exit code decides, within the timeout.
        String out = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> LocalPipeline.output(
                new ProcessBuilder("sh", "-c", "(sleep 12 &) ; echo ok"), "pg_ctl start", Duration.ofSeconds(20)));
        assertTrue(out.isEmpty() || out.equals("ok\n"), out);
    }
}
