package io.pglogs.cli;

import io.pglogs.cli.option.CliContext;

import io.pglogs.cli.command.PglogsCommand;
import io.pglogs.cli.option.GlobalOptions;
import io.pglogs.cli.option.OutputOptions;
import io.pglogs.cli.option.Values;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.util.EnumSet;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * The one factory that wires pglogs' {@link CommandLine}: commands and mixins receive the {@link CliContext} through
 * their constructors, output goes to the given writers, and every error goes through {@link ErrorHandler}.
 */
public final class PglogsCli {
    private PglogsCli() {
    }

    public static CommandLine create(CliContext ctx, PrintWriter out, PrintWriter err, boolean color) {
        CommandLine cmd = new CommandLine(PglogsCommand.class, new Factory(ctx));
        ErrorHandler errors = new ErrorHandler(ctx);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setColorScheme(Help.defaultColorScheme(color ? Help.Ansi.ON : Help.Ansi.OFF));
        cmd.setExecutionStrategy(parsed -> {
            applyGlobalOptions(ctx, parsed);
            checkOutputFormat(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cmd.setCaseInsensitiveEnumValuesAllowed(false);
        // An empty value is never meant (--instance=, --profile "", a list like a,,b): a usage error for every
        // option and argument, rather than each command finding out later in its own way.
        cmd.registerConverter(String.class, Values::nonEmpty);
        cmd.registerConverter(Path.class, value -> Path.of(Values.nonEmpty(value)));
        return cmd;
    }

    /** -v, -q and --no-color, wherever they were typed, land on the top command's one instance. */
    private static void applyGlobalOptions(CliContext ctx, CommandLine.ParseResult parsed) {
        GlobalOptions global = GlobalOptions.of(parsed.commandSpec());
        ctx.verbose(global.verbose());
        ctx.quiet(global.quiet());
        ctx.noColor(global.noColor());
    }

    /**
     * A format the command does not write is a usage error before the command calls anything: a command with
     * {@link OutputOptions} writes text or json, query and tail check their own ({@link OutputOptions.OwnFormats}), any
     * other writes text only.
     */
    private static void checkOutputFormat(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
                return;
            }
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
            return;
        }
        for (CommandLine.Model.CommandSpec mixin : leaf.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof OutputOptions output) {
                output.json();
                return;
            }
        }
        if (!(leaf.commandSpec().userObject() instanceof OutputOptions.OwnFormats)) {
            OutputOptions.format(leaf.commandSpec(), EnumSet.of(OutputOptions.Format.text));
        }
    }

    /** Runs pglogs with these arguments and returns the exit code. */
    public static int execute(CliContext ctx, PrintWriter out, PrintWriter err, String... args) {
        return create(ctx, out, err, ctx.colorForArgs(args)).execute(args);
    }

    /** Builds commands and mixins, handing the context to any constructor that takes it. */
    private static final class Factory implements CommandLine.IFactory {
        private final CliContext ctx;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        Factory(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(ctx));
                }
            }
            return fallback.create(cls);
        }
    }
}
