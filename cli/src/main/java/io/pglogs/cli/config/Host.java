package io.pglogs.cli.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The machine pglogs runs on, as far as settings and services may know it: its environment variables and where pglogs
 * is installed (the directory holding terraform/ and lambda/ or lib/). Passed explicitly, so nothing below the
 * commands reaches for {@code System.getenv} or the command line's context; tests build one from a map.
 */
public record Host(Map<String, String> variables, Path home) {
    public Host {
        variables = Map.copyOf(variables);
    }

    /** A variable's value, or null when it is unset or empty (an empty value is never meant). */
    public String env(String name) {
        String v = variables.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The user's home directory: $HOME, else the JVM's idea of it. */
    public Path userHome() {
        return Path.of(variables.getOrDefault("HOME", System.getProperty("user.home")));
    }
}
