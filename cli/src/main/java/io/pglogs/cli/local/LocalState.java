package io.pglogs.cli.local;

import io.pglogs.cli.CliContext;
import io.pglogs.cli.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the local pipeline keeps its processes' state: ports, pids, the emulator's endpoint, PostgreSQL's URL.
 * {@code $PGLOGS_LOCAL_DIR}, else {@code $TMPDIR/pglogs-local-<user>}: somewhere the postgres user can reach too.
 */
public final class LocalState {
    public static final String REGION = "us-east-1";
    public static final String INSTANCE = "local-pg";
    public static final String TABLE = "pglogs-devel";
    public static final String FUNCTION = "pglogs-forwarder-devel";
    /** moto takes any keys; these are what every local client and child process uses. */
    public static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local");

    private final Path dir;
    private final Properties p = new Properties();

    private LocalState(Path dir) {
        this.dir = dir;
    }

    public static Path directory(CliContext ctx) {
        if (ctx.env("PGLOGS_LOCAL_DIR") != null) {
            return Path.of(ctx.env("PGLOGS_LOCAL_DIR"));
        }
        String tmp = ctx.env("TMPDIR") != null ? ctx.env("TMPDIR") : "/tmp";
        String user = ctx.env().getOrDefault("USER", System.getProperty("user.name"));
        return Path.of(tmp, "pglogs-local-" + user);
    }

    public static LocalState at(Path dir) {
        LocalState s = new LocalState(dir);
        Path file = dir.resolve("local.properties");
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                s.p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return s;
    }

    /** The running pipeline's state, or a precondition error saying how to start it. */
    public static LocalState running(CliContext ctx) {
        LocalState s = at(directory(ctx));
        if (s.get("endpoint") == null) {
            throw new PreconditionException("the local pipeline is not running: start it with 'pglogs local up'");
        }
        return s;
    }

    public Path dir() {
        return dir;
    }

    public String get(String key) {
        return p.getProperty(key);
    }

    public long pid(String key) {
        String v = p.getProperty(key);
        return v == null ? -1 : Long.parseLong(v);
    }

    public void set(String key, Object value) {
        p.setProperty(key, String.valueOf(value));
        save();
    }

    public String endpoint() {
        return get("endpoint");
    }

    /** Clients of the emulator, configured as every other pglogs command configures its own. */
    public AwsClients clients() {
        return AwsClients.create(new Settings.Value("region", REGION, "--local"),
                new Settings.Value("profile", null, "--local"),
                new Settings.Value("endpoint_url", endpoint(), "--local"), CREDENTIALS);
    }

    public boolean exists() {
        return Files.isRegularFile(dir.resolve("local.properties"));
    }

    private void save() {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("local.properties.tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "pglogs local pipeline");
            }
            Files.move(tmp, dir.resolve("local.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
