package io.pglogs.cli.option;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The global --output as a command that writes text or json sees it; the factory checks it before the command runs,
 * so another format is a usage error before anything calls AWS. Query and tail, which write other formats too, ask
 * {@link #format} themselves.
 */
@Command // a mixin without options of its own: picocli needs the annotation to take it
public final class OutputOptions {
    public enum Format { text, json, ndjson, csv, html }

    /** A command that asks {@link #format} for the formats it writes itself (query, tail), before it calls AWS. */
    public interface OwnFormats {
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public boolean json() {
        return format(command, EnumSet.of(Format.text, Format.json)) == Format.json;
    }

    /** The format --output chose, if {@code command} writes it; else a usage error naming those it does. */
    public static Format format(CommandSpec command, Set<Format> written) {
        Format f = GlobalOptions.of(command).output;
        if (!written.contains(f)) {
            throw new ParameterException(command.commandLine(), Values.commandName(command) + " writes "
                    + Arrays.stream(Format.values()).filter(written::contains).map(Enum::name)
                    .collect(Collectors.joining(" or ")) + ", not " + f);
        }
        return f;
    }
}
