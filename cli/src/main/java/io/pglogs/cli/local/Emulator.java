package io.pglogs.cli.local;

import io.pglogs.cli.config.Host;
import io.pglogs.cli.error.FailureException;
import io.pglogs.cli.error.PreconditionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** The local AWS: moto_server, found or installed (scripts/setup-tools), started on a free loopback port. */
final class Emulator {
    private final Host host;
    private final Processes processes;
    private final Consumer<String> step;

    Emulator(Host host, Processes processes, Consumer<String> step) {
        this.host = host;
        this.processes = processes;
        this.step = step;
    }

    /** Starts moto and waits until it answers; records its pid and endpoint in the state. */
    String start(Path dir, LocalState state) {
        Path server = server();
        int port = freePort();
        Path log = dir.resolve("moto.log");
        long pid = processes.detached(List.of(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
                log);
        state.set("moto_pid", pid);
        String endpoint = "http://127.0.0.1:" + port;
        awaitHttp(endpoint + "/moto-api/", Duration.ofSeconds(60), pid, log);
        state.set("endpoint", endpoint);
        return endpoint;
    }

    /** moto_server from PGLOGS_MOTO_SERVER, else as scripts/setup-tools installs it (installing it if needed). */
    private Path server() {
        if (host.env("PGLOGS_MOTO_SERVER") != null) {
            return Path.of(host.env("PGLOGS_MOTO_SERVER"));
        }
        Path setup = host.home().resolve("scripts/setup-tools");
        if (!Files.isExecutable(setup)) {
            throw new PreconditionException("cannot find moto: set PGLOGS_MOTO_SERVER or run from the pglogs "
                    + "repository (scripts/setup-tools installs it)");
        }
        step.accept("checking the local AWS emulator (scripts/setup-tools installs moto if it is missing)");
        ProcessBuilder pb = processes.process(List.of(setup.toString())).redirectError(ProcessBuilder.Redirect.INHERIT);
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

    private static void awaitHttp(String url, Duration timeout, long pid, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!Processes.alive(pid)) {
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

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
