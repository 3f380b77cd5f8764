package io.pglogs.cli.local;

import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * The local pipeline's PostgreSQL 15: a fresh cluster logging with the RDS prefix and the standard preset, reachable
 * over TCP with a random password only.
 */
final class LocalPostgres {
    static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Processes processes;
    private final Path stateDir;
    private final Consumer<String> step;

    LocalPostgres(Processes processes, Path stateDir, Consumer<String> step) {
        this.processes = processes;
        this.stateDir = stateDir;
        this.step = step;
    }

    static Path bin(String configured) {
        Path pgbin = configured != null ? Path.of(configured) : DEFAULT_BIN;
        if (!Files.isExecutable(pgbin.resolve("postgres"))) {
            throw new PreconditionException("no PostgreSQL 15 server in " + pgbin + ": scripts/setup-tools installs it");
        }
        return pgbin;
    }

    /**
     * Only TCP connections with the password are accepted; the Unix socket is trusted because it sits in a directory
     * only the server's user can enter.
     *
     * @return the server's URL, with its password
     */
    String start(Path pgbin, int port, LocalState state) {
        String password = password();
        Path pg = privateDirectory();
        state.set("pg_dir", pg);
        Path data = pg.resolve("data");
        Path logDir = pg.resolve("log");
        Trees.mkdir(logDir);
        processes.chownToPostgres(logDir);
        Path pwfile = pg.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes.chownToPostgres(pwfile);
        try {
            processes.run(Processes.asPostgres(List.of(pgbin.resolve("initdb").toString(), "-D", data.toString(),
                    "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile,
                    "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")), "initdb");
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // inside a directory only the server's user can read
            }
        }
        try {
            Files.writeString(data.resolve("postgresql.conf"), configuration(port, pg, logDir),
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        processes.run(Processes.asPostgres(List.of(pgbin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                pg.resolve("server.log").toString(), "-w", "start")), "pg_ctl start");
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
            state.set("postgres_pid", pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        state.set("pgbin", pgbin);
        state.set("pg_log", logDir.resolve("postgresql.log"));
        state.set("postgres_port", port);
        return "postgresql://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
    }

    private static String configuration(int port, Path pg, Path logDir) {
        return String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + pg + "'",
                "logging_collector = on",
                "log_directory = '" + logDir + "'",
                "log_filename = 'postgresql.log'",
                "log_line_prefix = '%t:%r:%u@%d:[%p]:'",
                "log_timezone = 'UTC'",
                "lc_messages = 'C'",
                // The "standard" preset, with a lower slow-statement threshold so a demo shows some.
                "log_min_duration_statement = 100",
                "log_statement = 'ddl'",
                "log_connections = on",
                "log_disconnections = on",
                "log_lock_waits = on",
                "log_temp_files = 0",
                "log_checkpoints = on",
                "") + "\n";
    }

    /** Stops the server a state names (pg_ctl, else its pid) and removes its directory when outside the state's. */
    void stop(LocalState state) {
        Path pg = state.get("pg_dir") != null ? Path.of(state.get("pg_dir")) : stateDir.resolve("pg");
        Path data = pg.resolve("data");
        if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
            Path pgbin = state.get("pgbin") != null ? Path.of(state.get("pgbin")) : DEFAULT_BIN;
            try {
                processes.run(Processes.asPostgres(List.of(pgbin.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "fast", "-w", "stop")), "pg_ctl stop");
            } catch (FailureException e) {
                step.accept(e.getMessage() + "; stopping PostgreSQL by its pid instead");
            }
        }
        // pg_ctl returns once the pid file is gone, a moment before the postmaster has exited.
        long pid = state.pid("postgres_pid");
        if (!Processes.exited(pid, Duration.ofSeconds(10)) && Processes.stop(pid)) {
            step.accept("stopped PostgreSQL (pid " + pid + ")");
        }
        if (!pg.startsWith(stateDir)) {
            Trees.delete(pg);
        }
    }

    /**
     * PostgreSQL's directory: inside the private state directory, or, when pglogs runs as root and the server as
     * postgres (who cannot enter root's 0700 directory), a directory of the postgres user's own made by mktemp (mode
     * 0700, a name nobody can guess).
     */
    private Path privateDirectory() {
        if (!Processes.runningAsRoot()) {
            Path pg = stateDir.resolve("pg");
            try {
                Files.createDirectory(pg, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return pg;
        }
        return Path.of(processes.output(Processes.asPostgres(List.of("mktemp", "-d", "-t",
                "pglogs-local-pg.XXXXXXXXXX")), "mktemp").strip());
    }

    private static String password() {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
