package io.pglogs.cli.option;

import picocli.CommandLine.Option;

/**
 * -v, -q and --no-color: on the top command and on every leaf, so they work before or after the command name.
 * Plain fields (whose order reflection keeps), so generated completions come out the same in every JVM; the
 * factory's execution strategy hands their values to the context.
 */
public final class GlobalOptions {
    public static final String VERBOSE = "--verbose";
    public static final String QUIET = "--quiet";
    public static final String NO_COLOR = "--no-color";

    @Option(names = {"-v", VERBOSE}, description = "Show more detail, and a stack trace with errors.")
    boolean verbose;

    @Option(names = {"-q", QUIET}, description = "Print only results and errors.")
    boolean quiet;

    @Option(names = NO_COLOR, description = "No colour in the output (also when NO_COLOR is set).")
    boolean noColor;
}
