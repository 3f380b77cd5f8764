package io.pglogs.cli.option;

import io.pglogs.cli.app.AwsFlags;
import io.pglogs.cli.app.Console;
import io.pglogs.cli.app.Session;
import io.pglogs.cli.config.Environment;
import io.pglogs.cli.config.Host;
import io.pglogs.cli.config.Settings;
import io.pglogs.cli.term.Style;
import io.pglogs.cli.term.Terminal;
import picocli.CommandLine.Model.CommandSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may know about the world it runs in: environment variables, where pglogs is installed, whether a
 * person is at the terminal, and the global flags once parsed. Tests build one with fakes for all of it.
 */
public final class CliContext implements Terminal {
    private final Host host;
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
        this.host = new Host(env, home);
        this.stdin = stdin;
        this.interactive = interactive;
        this.terminal = terminal;
    }

    /** The environment variables and installation, for settings and services. */
    public Host host() {
        return host;
    }

    public Map<String, String> env() {
        return host.variables();
    }

    public String env(String name) {
        return host.env(name);
    }

    public Path home() {
        return host.home();
    }

    @Override
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
            settings = Settings.load(host);
        }
        return settings;
    }

    /**
     * Columns of the terminal standard output goes to: COLUMNS when set (shells export it, a test or a pipe can set
     * it), else what the terminal says, else 100 (a pager, a file: wide enough for the tables, narrow enough to read).
     */
    public int terminalWidth() {
        String columns = env("COLUMNS");
        if (columns != null && columns.matches("[0-9]{2,4}")) {
            return Integer.parseInt(columns);
        }
        if (terminal) {
            int width = org.fusesource.jansi.AnsiConsole.out().getTerminalWidth();
            if (width >= 40) {
                return width;
            }
        }
        return 100;
    }

    /** Colours as this context wants them (see {@link #color()}). */
    public Style style() {
        return new Style(color());
    }

    /** The environment to use: the one typed, else PGLOGS_ENV, the config file, devel. */
    public Environment environment(Environment given) {
        return settings().environment(given);
    }

    /** A session of {@code env} for one command: settings checked, clients made on first use. */
    public Session session(Environment env, AwsFlags flags) {
        return Session.open(host, settings(), env, flags);
    }

    /** Where a use case talks while it works: this command's writers, colours, terminal and -q / -v. */
    public Console console(CommandSpec spec) {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), style(), this, quiet, verbose,
                terminal);
    }

    /** Reads one line typed at the terminal, or null at end of input. */
    @Override
    public String readLine() {
        try {
            return stdin.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
