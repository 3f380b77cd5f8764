package io.pglogs.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import io.pglogs.forwarder.Clients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real moto_server on a free loopback port, shared by every test in the JVM and stopped when it exits. Tests talk
 * to it with the real SDK over HTTP. If moto is not installed or does not come up, the test fails with a message that
 * says how to install it: it never skips.
 */
public final class MotoServer {
    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private static MotoServer shared;

    private final Process process;
    private final URI endpoint;
    private final Path logFile;

    private MotoServer(Process process, URI endpoint, Path logFile) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
    }

    public static synchronized MotoServer shared() {
        if (shared == null) {
            shared = start();
            MotoServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        }
        return shared;
    }

    /**
     * A moto_server of the caller's own, for a test that needs a whole account to itself (IAM and default names are
     * account-wide); {@link #close} stops it.
     */
    public static MotoServer dedicated() {
        MotoServer s = start();
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop));
        return s;
    }

    public void close() {
        stop();
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * The whole environment of an SDK-based child process pointed at this server: nothing of this JVM's environment,
     * and no shared AWS config or credentials file (a profile's {@code ignore_configured_endpoint_urls} or retry mode
     * would otherwise reach the child).
     */
    public java.util.Map<String, String> childEnvironment() {
        return java.util.Map.of(
                "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_REGION", REGION.id(),
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    }

    public <B extends AwsClientBuilder<B, ?>> B configure(B builder) {
        return configure(builder, endpoint);
    }

    public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS);
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb(endpoint);
    }

    /** A client configured as the forwarder configures its own, pointed at {@code endpoint}. */
    public static DynamoDbClient dynamoDb(URI endpoint) {
        return configure(Clients.forForwarder(DynamoDbClient.builder()), endpoint).build();
    }

    private static MotoServer start() {
        String configured = System.getProperty("pglogs.moto.server", "");
        if (configured.isBlank()) {
            configured = System.getenv().getOrDefault("PGLOGS_MOTO_SERVER", "");
        }
        if (configured.isBlank() || !Files.isExecutable(Path.of(configured))) {
            throw new IllegalStateException("moto_server is not installed (pglogs.moto.server='" + configured
                    + "'): run scripts/test, which installs it, or pass -Dpglogs.moto.server=$PGLOGS_MOTO_SERVER"
                    + " after eval \"$(scripts/setup-tools)\"");
        }
        // The free port is free when looked at, not when moto binds it: servers started at the same moment (the
        // classes that run side by side each start one) can be given the same one, and then the late one exits.
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                Path log = Files.createTempFile("moto-" + port + "-", ".log");
                ProcessBuilder pb = new ProcessBuilder(List.of(configured, "-H", "127.0.0.1", "-p",
                        Integer.toString(port)))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                // Its own environment, not whatever launched the tests (a PYTHONHOME or PYTHONPATH breaks the venv).
                pb.environment().clear();
                pb.environment().putAll(java.util.Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
                        "HOME", System.getProperty("java.io.tmpdir")));
                Process p = pb.start();
                URI endpoint = URI.create("http://127.0.0.1:" + port);
                if (awaitReady(p, endpoint, log)) {
                    return new MotoServer(p, endpoint, log);
                }
                Files.deleteIfExists(log);
                if (attempt == 3) {
                    throw new IllegalStateException("moto_server found each of three free ports taken by the time it"
                            + " bound it");
                }
            } catch (IOException e) {
                throw new IllegalStateException("could not start moto_server at " + configured + ": " + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * Waits until this process, not another server on the port, answers: its own log says it is running there.
     *
     * @return false when it exited because the port was taken meanwhile (the caller tries another)
     */
    private static boolean awaitReady(Process p, URI endpoint, Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String running = "Running on " + endpoint;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                if (Files.readString(log).contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException("moto_server exited with " + p.exitValue() + " before it was ready: "
                        + tail(log));
            }
            if (!Files.readString(log).contains(running)) {
                sleep(100);
                continue;
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server");
            }
            sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within 60 s: " + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(logFile);
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
