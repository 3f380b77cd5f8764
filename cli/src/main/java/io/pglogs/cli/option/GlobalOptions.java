package io.pglogs.cli.option;

import io.pglogs.cli.CliContext;
import picocli.CommandLine.Option;

/** -v, -q and --no-color: on the top command and on every leaf, so they work before or after the command name. */
public final class GlobalOptions {
    private final CliContext ctx;

    public GlobalOptions(CliContext ctx) {
        this.ctx = ctx;
    }

    @Option(names = {"-v", "--verbose"}, description = "Show more detail, and a stack trace with errors.")
    void verbose(boolean v) {
        ctx.verbose(v);
    }

    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors.")
    void quiet(boolean q) {
        ctx.quiet(q);
    }

    @Option(names = "--no-color", description = "No colour in the output (also when NO_COLOR is set).")
    void noColor(boolean n) {
        ctx.noColor(n);
    }
}
