package io.pglogs.cli.config;

import io.pglogs.cli.error.PreconditionException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves settings with the precedence flag &gt; environment variable &gt; config file &gt; default, and remembers where
 * each value came from. The config file is {@code $PGLOGS_CONFIG}, else {@code $XDG_CONFIG_HOME/pglogs/config.properties},
 * else {@code ~/.config/pglogs/config.properties}; it is optional unless PGLOGS_CONFIG names it.
 */
public final class Settings {
    /** A resolved value and its origin, e.g. "flag --region", "env AWS_REGION", "file /…/config.properties". */
    public record Value(String key, String value, String source) {
        public boolean isSet() {
            return value != null && !value.isEmpty();
        }
    }

    private final Host ctx;
    private final Path file;
    private final Properties properties;

    private Settings(Host ctx, Path file, Properties properties) {
        this.ctx = ctx;
        this.file = file;
        this.properties = properties;
    }

    public static Settings load(Host ctx) {
        Path file = configFile(ctx);
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new PreconditionException("cannot read config file " + file + ": " + e.getMessage());
            }
            checkKeys(file, p);
        } else if (ctx.env("PGLOGS_CONFIG") != null) {
            throw new PreconditionException("PGLOGS_CONFIG names " + file + ", which does not exist");
        }
        return new Settings(ctx, file, p);
    }

    static Path configFile(Host ctx) {
        if (ctx.env("PGLOGS_CONFIG") != null) {
            return Path.of(ctx.env("PGLOGS_CONFIG"));
        }
        if (ctx.env("XDG_CONFIG_HOME") != null) {
            return Path.of(ctx.env("XDG_CONFIG_HOME"), "pglogs", "config.properties");
        }
        return ctx.userHome().resolve(Path.of(".config", "pglogs", "config.properties"));
    }

    private static void checkKeys(Path file, Properties p) {
        Set<String> known = new HashSet<>();
        for (Setting s : Setting.values()) {
            for (Environment e : Environment.values()) {
                known.add(s.key(e));
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (!known.contains(key)) {
                throw new PreconditionException("unknown setting '" + key + "' in " + file + "; known: "
                        + Arrays.stream(Setting.values()).map(Setting::documentedKey).collect(Collectors.joining(", ")));
            }
        }
    }

    public Path file() {
        return file;
    }

    public Value get(Setting setting, Environment env) {
        return get(setting, env, null, null);
    }

    /** @param flag the option that can set it on this command line (for the source text), with its value or null */
    public Value get(Setting setting, Environment env, String flag, String flagValue) {
        String key = setting.key(env);
        if (flagValue != null && !flagValue.isEmpty()) {
            return new Value(key, flagValue, "flag " + flag);
        }
        String variable = setting.variable(env);
        if (ctx.env(variable) != null) {
            return new Value(key, ctx.env(variable), "env " + variable);
        }
        String fromFile = properties.getProperty(key);
        if (fromFile != null && !fromFile.isBlank()) {
            return new Value(key, fromFile.trim(), "file " + file);
        }
        return new Value(key, setting.fallback(ctx, env), "default");
    }

    /** The environment to use: --env, else PGLOGS_ENV, else the file's env, else devel. */
    public Environment environment(Environment flag) {
        Value v = get(Setting.ENV, Environment.devel, "--env", flag == null ? null : flag.name());
        try {
            return Environment.valueOf(v.value());
        } catch (IllegalArgumentException e) {
            throw new PreconditionException("unknown environment '" + v.value() + "' (" + v.source()
                    + "); expected devel or prod");
        }
    }

    /** A comma-separated list setting as a list, blanks dropped. */
    public static List<String> list(Value v) {
        if (!v.isSet()) {
            return List.of();
        }
        return Arrays.stream(v.value().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
