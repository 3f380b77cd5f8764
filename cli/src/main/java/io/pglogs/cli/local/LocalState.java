package io.pglogs.cli.local;

import io.pglogs.cli.config.Host;
import io.pglogs.cli.error.PreconditionException;
import io.pglogs.cli.aws.AwsClients;
import io.pglogs.cli.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.Map;
import java.util.Properties;

/**
 * Where the local pipeline keeps its processes' state: ports, pids, the emulator's endpoint, PostgreSQL's URL with its
 * password. {@code $PGLOGS_LOCAL_DIR}, else {@code $XDG_RUNTIME_DIR/pglogs-local}, else
 * {@code $XDG_STATE_HOME/pglogs/local} (default {@code ~/.local/state/pglogs/local}): never a name anyone can guess
 * and claim first under a shared /tmp. The directory is private (0700) and must belong to the user running pglogs,
 * since whoever controls it controls which endpoint {@code --local} commands talk to.
 */
public final class LocalState {
    public static final String REGION = "us-east-1";
    public static final String INSTANCE = "local-pg";
    public static final String TABLE = "pglogs-devel";
    public static final String FUNCTION = "pglogs-forwarder-devel";
    /** moto takes any keys; these are what every local client and child process uses. */
    public static final Map<String, String> CREDENTIALS = Map.of("AWS_ACCESS_KEY_ID", "local",
            "AWS_SECRET_ACCESS_KEY", "local");

    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Properties p = new Properties();

    private LocalState(Path dir) {
        this.dir = dir;
    }

    public static Path directory(Host ctx) {
        if (ctx.env("PGLOGS_LOCAL_DIR") != null) {
            return Path.of(ctx.env("PGLOGS_LOCAL_DIR"));
        }
        if (ctx.env("XDG_RUNTIME_DIR") != null) {
            return Path.of(ctx.env("XDG_RUNTIME_DIR"), "pglogs-local");
        }
        if (ctx.env("XDG_STATE_HOME") != null) {
            return Path.of(ctx.env("XDG_STATE_HOME"), "pglogs", "local");
        }
        return ctx.userHome().resolve(Path.of(".local", "state", "pglogs", "local"));
    }

    /** Creates {@code dir} with mode 0700, or makes sure an existing one is private to this user (then 0700). */
    public static void makePrivate(Path dir) {
        try {
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
                Files.setPosixFilePermissions(dir, PRIVATE); // whatever the umask
                return;
            }
            checkPrivate(dir, false);
            Files.setPosixFilePermissions(dir, PRIVATE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir + " private: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a state directory another user owns or can write to, or a symbolic link: its local.properties could
     * point pglogs at someone else's endpoint.
     *
     * @param strict also require mode 0700 exactly (a directory pglogs made)
     */
    static void checkPrivate(Path dir, boolean strict) {
        try {
            if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new PreconditionException("the local state " + dir + " is not a directory (a symbolic link?): "
                        + "refusing to use it; remove it or set PGLOGS_LOCAL_DIR");
            }
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            String me = System.getProperty("user.name");
            if (!owner.equals(me)) {
                throw new PreconditionException("the local state directory " + dir + " belongs to " + owner
                        + ", not " + me + ": refusing to use it; remove it or set PGLOGS_LOCAL_DIR");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            boolean othersWrite = mode.contains(PosixFilePermission.GROUP_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_WRITE);
            if (othersWrite || (strict && !mode.equals(PRIVATE))) {
                throw new PreconditionException("the local state directory " + dir + " has mode "
                        + PosixFilePermissions.toString(mode) + ", not rwx------: refusing to use it; remove it or "
                        + "set PGLOGS_LOCAL_DIR");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + dir + ": " + e.getMessage(), e);
        }
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
    public static LocalState running(Host ctx) {
        Path dir = directory(ctx);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            checkPrivate(dir, true);
        }
        LocalState s = at(dir);
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
            makePrivate(dir);
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
