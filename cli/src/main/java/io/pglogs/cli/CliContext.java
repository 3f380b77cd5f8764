package io.pglogs.cli;

import io.pglogs.cli.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may know about the world it runs in: environment variables, where pglogs is installed, whether a
 * person is at the terminal, and the global flags once parsed. Tests build one with fakes for all of it.
 */
public final class CliContext {
    private final Map<String, String> env;
    private final Path home;
    private final BufferedReader stdin;
    private final boolean interactive;
    private final boolean terminal;
    private boolean verbose;
    private boolean quiet;
    private boolean noColor;
    private Settings settings;

    /**
     * @param home        where pglogs is installed: the repository root holding terraform/ and lambda/
     * @param interactive a person can answer prompts on {@code stdin}
     * @param terminal    standard output is a terminal (colour, progress)
     */
    public CliContext(Map<String, String> env, Path home, BufferedReader stdin, boolean interactive, boolean terminal) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.stdin = stdin;
        this.interactive = interactive;
        this.terminal = terminal;
    }

    public Map<String, String> env() {
        return env;
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    public Path home() {
        return home;
    }

    public boolean interactive() {
        return interactive;
    }

    public boolean terminal() {
        return terminal;
    }

    public boolean verbose() {
        return verbose;
    }

    public void verbose(boolean v) {
        verbose = v;
    }

    public boolean quiet() {
        return quiet;
    }

    public void quiet(boolean q) {
        quiet = q;
    }

    public void noColor(boolean n) {
        noColor = n;
    }

    /** Colour only on a terminal, and never with --no-color or a non-empty NO_COLOR (no-color.org). */
    public boolean color() {
        return terminal && !noColor && env("NO_COLOR") == null;
    }

    /** Whether colour is wanted judging by the raw arguments, before picocli has parsed them (for help output). */
    public boolean colorForArgs(String[] args) {
        for (String a : args) {
            if (a.equals("--no-color")) {
                return false;
            }
        }
        return color();
    }

    public synchronized Settings settings() {
        if (settings == null) {
            settings = Settings.load(this);
        }
        return settings;
    }

    /** Reads one line typed at the terminal, or null at end of input. */
    public String readLine() {
        try {
            return stdin.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
