package io.pglogs.cli.local;

import io.pglogs.cli.config.Host;
import io.pglogs.cli.error.FailureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Process supervision for the local pipeline: commands run to their end within a timeout, detached children that
 * outlive pglogs, and stopping them by pid. Every child gets exactly the host's environment, not this JVM's.
 */
final class Processes {
    /** The longest a setup command (initdb, pg_ctl, psql) may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Host host;

    Processes(Host host) {
        this.host = host;
    }

    /** A child with exactly the environment pglogs was given, not whatever this JVM holds. */
    ProcessBuilder process(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(host.variables());
        return pb;
    }

    /** Starts a child in a session of its own, output to {@code log}; returns its pid. */
    long detached(List<String> command, Path log) {
        List<String> c = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            c.add(SETSID.toString()); // a session of its own: the terminal's Ctrl-C or hangup does not reach it
        }
        c.addAll(command);
        try {
            Process p = process(c).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            return p.pid();
        } catch (IOException e) {
            throw new FailureException("cannot start " + command.get(0) + ": " + e.getMessage());
        }
    }

    void run(List<String> command, String what) {
        output(command, what);
    }

    /** Runs a command to its end and returns its output; a failure names the command and its last line. */
    String output(List<String> command, String what) {
        return output(process(command), what, COMMAND_TIMEOUT);
    }

    /**
     * As above, and a command still running after {@code timeout} is killed (with its children) and named. The output
     * is read on a thread of its own: read to its end first, it would wait as long as the command, and the timeout
     * would never fire.
     */
    static String output(ProcessBuilder command, String what, Duration timeout) {
        try {
            Process p = command.redirectErrorStream(true).start();
            FutureTask<String> reading = new FutureTask<>(() -> new String(p.getInputStream().readAllBytes()));
            Thread reader = new Thread(reading, "pglogs-command-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new FailureException(what + " did not finish within " + timeout.toSeconds() + " s and was "
                        + "stopped");
            }
            String output;
            try {
                output = reading.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                output = ""; // a daemon the command started may hold its output open; the exit code still counts
            }
            if (p.exitValue() != 0) {
                throw new FailureException(what + " failed: " + output.strip().lines().reduce((a, b) -> b).orElse(""));
            }
            return output;
        } catch (IOException e) {
            throw new FailureException(what + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailureException(what + " was interrupted");
        }
    }

    /** Stops a process politely, then by force after ten seconds; true when there was one to stop. */
    static boolean stop(long pid) {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
        return true;
    }

    static boolean exited(long pid, Duration wait) {
        Optional<ProcessHandle> h = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !h.get().isAlive();
        }
    }

    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static boolean runningAsRoot() {
        return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    /** PostgreSQL refuses to run as root: then its commands run as the postgres user. */
    static List<String> asPostgres(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    void chownToPostgres(Path p) {
        if (runningAsRoot()) {
            run(List.of("chown", "postgres", p.toString()), "chown");
        }
    }
}
