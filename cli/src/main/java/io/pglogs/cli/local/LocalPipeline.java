package io.pglogs.cli.local;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.FailureException;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.dynamo.ItemContract;
import io.pglogs.forwarder.dynamo.LogTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole pipeline on one machine: moto as AWS, a real PostgreSQL 15 logging with the RDS prefix, and the
 * delivery loop standing in for the subscription. Each runs detached (its own session), so it outlives the command
 * that started it; their pids and addresses are kept in {@link LocalState}.
 */
public final class LocalPipeline {
    /** The longest a setup command (initdb, pg_ctl, psql) may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final CliContext ctx;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Path dir;

    public LocalPipeline(CliContext ctx, PrintWriter out, PrintWriter err) {
        this.ctx = ctx;
        this.out = out;
        this.err = err;
        this.dir = LocalState.directory(ctx);
    }

    /** The components and whether each runs. */
    public record Status(boolean moto, boolean postgres, boolean delivery, String endpoint, String postgresUrl,
                         long delivered, String lastDelivery, String dir) {
        public boolean running() {
            return moto && postgres && delivery;
        }

        public boolean anyRunning() {
            return moto || postgres || delivery;
        }
    }

    public Status status() {
        LocalState s = LocalState.at(dir);
        long delivered = 0;
        String last = null;
        Path statusFile = dir.resolve(DeliveryLoop.STATUS_FILE);
        if (Files.isRegularFile(statusFile)) {
            try {
                String[] parts = Files.readString(statusFile).trim().split(" ");
                delivered = Long.parseLong(parts[0]);
                last = parts.length > 1 ? parts[1] : null;
            } catch (IOException | NumberFormatException e) {
                // a status being rewritten; report none
            }
        }
        return new Status(alive(s.pid("moto_pid")), alive(s.pid("postgres_pid")), alive(s.pid("delivery_pid")),
                s.endpoint(), s.get("postgres_url"), delivered, last, dir.toString());
    }

    public Status up() {
        Status current = status();
        if (current.running()) {
            return current;
        }
        if (current.anyRunning() || LocalState.at(dir).exists()) {
            down(); // half up: start clean
        }
        LocalState.makePrivate(dir);
        LocalState state = LocalState.at(dir);
        Path motoServer = motoServer();
        Path pgbin = Path.of(ctx.env("PGLOGS_PGBIN") != null ? ctx.env("PGLOGS_PGBIN") : "/usr/lib/postgresql/15/bin");
        if (!Files.isExecutable(pgbin.resolve("postgres"))) {
            throw new PreconditionException("no PostgreSQL 15 server in " + pgbin + ": scripts/setup-tools installs it");
        }

        int motoPort = freePort();
        long motoPid = detached(List.of(motoServer.toString(), "-H", "127.0.0.1", "-p", Integer.toString(motoPort)),
                dir.resolve("moto.log"));
        state.set("moto_pid", motoPid);
        String endpoint = "http://127.0.0.1:" + motoPort;
        awaitHttp(endpoint + "/moto-api/", Duration.ofSeconds(60), motoPid, dir.resolve("moto.log"));
        state.set("endpoint", endpoint);
        step("AWS emulator (moto) on " + endpoint);

        int pgPort = freePort();
        String password = password();
        startPostgres(pgbin, pgPort, password, state);
        String url = "postgresql://postgres:" + password + "@127.0.0.1:" + pgPort + "/postgres";
        state.set("postgres_url", url);
        step("PostgreSQL 15 on " + url + ", logging with the RDS prefix to " + state.get("pg_log"));

        provision(state);
        step("table " + LocalState.TABLE + " and log group " + state.get("log_group") + " provisioned");

        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        long loop = detached(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), DeliveryLoop.class.getName(), dir.toString()),
                dir.resolve("delivery.log"));
        state.set("delivery_pid", loop);
        step("delivery loop (the subscription's stand-in) running, pid " + loop);
        return status();
    }

    /** Stops everything up started and removes its state; fine to call when nothing runs. */
    public void down() {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        LocalState.makePrivate(dir); // refuses someone else's directory before acting on the pids it names
        LocalState state = LocalState.at(dir);
        stop(state.pid("delivery_pid"), "delivery loop");
        Path pg = state.get("pg_dir") != null ? Path.of(state.get("pg_dir")) : dir.resolve("pg");
        Path data = pg.resolve("data");
        if (Files.isRegularFile(data.resolve("postmaster.pid"))) {
            Path pgbin = Path.of(state.get("pgbin") != null ? state.get("pgbin") : "/usr/lib/postgresql/15/bin");
            try {
                run(asPostgres(List.of(pgbin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                        "stop")), "pg_ctl stop");
            } catch (FailureException e) {
                step(e.getMessage() + "; stopping PostgreSQL by its pid instead");
            }
        }
        // pg_ctl returns once the pid file is gone, a moment before the postmaster has exited.
        if (!exited(state.pid("postgres_pid"), Duration.ofSeconds(10))) {
            stop(state.pid("postgres_pid"), "PostgreSQL");
        }
        stop(state.pid("moto_pid"), "moto");
        if (!pg.startsWith(dir)) {
            deleteTree(pg);
        }
        deleteTree(dir);
    }

    /**
     * Only TCP connections with the password are accepted; the Unix socket is trusted because it sits in a directory
     * only the server's user can enter.
     */
    private void startPostgres(Path pgbin, int port, String password, LocalState state) {
        Path pg = privatePostgresDirectory();
        state.set("pg_dir", pg);
        Path data = pg.resolve("data");
        Path logDir = pg.resolve("log");
        mkdir(logDir);
        chownToPostgres(logDir);
        Path pwfile = pg.resolve("pwfile");
        try {
            Files.writeString(pwfile, password + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chownToPostgres(pwfile);
        try {
            run(asPostgres(List.of(pgbin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "--no-sync",
                    "-E", "UTF8", "--locale=C.UTF-8")), "initdb");
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // inside a directory only the server's user can read
            }
        }
        String conf = String.join("\n",
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
        try {
            Files.writeString(data.resolve("postgresql.conf"), conf, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(asPostgres(List.of(pgbin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
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
    }

    private static void provision(LocalState state) {
        String group = LogSource.instanceLogGroup(LocalState.INSTANCE);
        try (AwsClients clients = state.clients()) {
            DynamoDbClient ddb = clients.dynamoDb();
            CloudWatchLogsClient logs = clients.logs();
            LogTable.create(ddb, LocalState.TABLE, ItemContract.DEFAULT_SHARDS);
            for (String g : List.of(group, "/aws/lambda/" + LocalState.FUNCTION)) {
                try {
                    logs.createLogGroup(b -> b.logGroupName(g));
                } catch (ResourceAlreadyExistsException e) {
                    // provisioned by an earlier run
                }
                logs.putRetentionPolicy(b -> b.logGroupName(g).retentionInDays(14));
            }
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(LocalState.INSTANCE + ".0"));
        }
        state.set("log_group", group);
        state.set("log_stream", LocalState.INSTANCE + ".0");
    }

    /** moto_server from PGLOGS_MOTO_SERVER, else as scripts/setup-tools installs it (installing it if needed). */
    private Path motoServer() {
        if (ctx.env("PGLOGS_MOTO_SERVER") != null) {
            return Path.of(ctx.env("PGLOGS_MOTO_SERVER"));
        }
        Path setup = ctx.home().resolve("scripts/setup-tools");
        if (!Files.isExecutable(setup)) {
            throw new PreconditionException("cannot find moto: set PGLOGS_MOTO_SERVER or run from the pglogs "
                    + "repository (scripts/setup-tools installs it)");
        }
        step("checking the local AWS emulator (scripts/setup-tools installs moto if it is missing)");
        ProcessBuilder pb = process(List.of(setup.toString())).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PGLOGS_SKIP_TOFU", "1");
        try {
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new FailureException("scripts/setup-tools failed (exit " + p.exitValue() + ")");
            }
            return output.lines().filter(l -> l.startsWith("PGLOGS_MOTO_SERVER=")).findFirst()
                    .map(l -> Path.of(l.substring("PGLOGS_MOTO_SERVER=".length())))
                    .orElseThrow(() -> new FailureException("scripts/setup-tools did not say where moto is"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailureException("interrupted while installing moto");
        }
    }

    /**
     * PostgreSQL's directory: inside the private state directory, or, when pglogs runs as root and the server as
     * postgres (who cannot enter root's 0700 directory), a directory of the postgres user's own made by mktemp (mode
     * 0700, a name nobody can guess).
     */
    private Path privatePostgresDirectory() {
        if (!runningAsRoot()) {
            Path pg = dir.resolve("pg");
            try {
                Files.createDirectory(pg, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return pg;
        }
        return Path.of(output(asPostgres(List.of("mktemp", "-d", "-t", "pglogs-local-pg.XXXXXXXXXX")), "mktemp")
                .strip());
    }

    private static String password() {
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static boolean runningAsRoot() {
        return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    /** PostgreSQL refuses to run as root: then its commands run as the postgres user. */
    private static List<String> asPostgres(List<String> command) {
        if (!runningAsRoot()) {
            return command;
        }
        List<String> c = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        return c;
    }

    private void chownToPostgres(Path p) {
        if (runningAsRoot()) {
            run(List.of("chown", "postgres", p.toString()), "chown");
        }
    }

    /** A child with exactly the environment pglogs was given (its CliContext's), not whatever this JVM holds. */
    private ProcessBuilder process(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(ctx.env());
        return pb;
    }

    private long detached(List<String> command, Path log) {
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

    private void run(List<String> command, String what) {
        output(command, what);
    }

    /** Runs a command to its end and returns its output; a failure names the command and its last line. */
    private String output(List<String> command, String what) {
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

    private void stop(long pid, String what) {
        if (pid <= 0) {
            return;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.get().destroyForcibly();
        }
        step("stopped " + what + " (pid " + pid + ")");
    }

    private static boolean exited(long pid, Duration wait) {
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

    private static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitHttp(String url, Duration timeout, long pid, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive(pid)) {
                throw new FailureException("moto exited while starting; see " + log);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FailureException("interrupted while waiting for moto");
            }
        }
        throw new FailureException("moto did not answer within " + timeout.toSeconds() + " s; see " + log);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdir(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    private void step(String message) {
        if (!ctx.quiet()) {
            err.println("pglogs local: " + message);
            err.flush();
        }
    }
}
