package io.pglogs.cli.local;

import io.pglogs.cli.config.Host;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The whole pipeline on one machine: moto as AWS ({@link Emulator}), a real PostgreSQL 15 logging with the RDS prefix
 * ({@link LocalPostgres}), the table and log groups in the emulator ({@link LocalProvisioning}), and the delivery loop
 * standing in for the subscription. Each runs detached (its own session), so it outlives the command that started it;
 * their pids and addresses are kept in {@link LocalState}.
 */
public final class LocalPipeline {
    private final Host host;
    private final PrintWriter progress;
    private final boolean quiet;
    private final Path dir;
    private final Processes processes;

    /** @param progress where each step is told, unless {@code quiet} */
    public static LocalPipeline on(Host host, PrintWriter progress, boolean quiet) {
        return new LocalPipeline(host, progress, quiet);
    }

    private LocalPipeline(Host host, PrintWriter progress, boolean quiet) {
        this.host = host;
        this.progress = progress;
        this.quiet = quiet;
        this.dir = LocalState.directory(host);
        this.processes = new Processes(host);
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
        return new Status(Processes.alive(s.pid("moto_pid")), Processes.alive(s.pid("postgres_pid")),
                Processes.alive(s.pid("delivery_pid")), s.endpoint(), s.get("postgres_url"), delivered, last,
                dir.toString());
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
        Path pgbin = LocalPostgres.bin(host.env("PGLOGS_PGBIN"));

        String endpoint = new Emulator(host, processes, this::step).start(dir, state);
        step("AWS emulator (moto) on " + endpoint);

        String url = new LocalPostgres(processes, dir, this::step).start(pgbin, Emulator.freePort(), state);
        state.set("postgres_url", url);
        step("PostgreSQL 15 on " + url + ", logging with the RDS prefix to " + state.get("pg_log"));

        LocalProvisioning.provision(state);
        step("table " + LocalState.TABLE + " and log group " + state.get("log_group") + " provisioned");

        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        long loop = processes.detached(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), DeliveryLoop.class.getName(), dir.toString()),
                dir.resolve("delivery.log"));
        state.set("delivery_pid", loop);
        step("delivery loop (the subscription's stand-in) running, pid " + loop);
        return status();
    }

    /** Stops everything up started and removes its state; fine to call when nothing runs. */
    public void down() {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        LocalState.makePrivate(dir); // refuses someone else's directory before acting on the pids it names
        LocalState state = LocalState.at(dir);
        stop(state.pid("delivery_pid"), "delivery loop");
        new LocalPostgres(processes, dir, this::step).stop(state);
        stop(state.pid("moto_pid"), "moto");
        Trees.delete(dir);
    }

    private void stop(long pid, String what) {
        if (Processes.stop(pid)) {
            step("stopped " + what + " (pid " + pid + ")");
        }
    }

    private void step(String message) {
        if (!quiet) {
            progress.println("pglogs local: " + message);
            progress.flush();
        }
    }

    /** Runs a command to its end within {@code timeout}, returning its output (see {@link Processes}). */
    public static String output(ProcessBuilder command, String what, Duration timeout) {
        return Processes.output(command, what, timeout);
    }
}
