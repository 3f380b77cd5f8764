package io.pglogs.cli.option;

import io.pglogs.cli.config.Environment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The environment as the first argument (pglogs start devel) or as --env, for the commands that act on a whole
 * environment; both at once must agree.
 */
public final class EnvArgument {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    EnvOptions option;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ENV", description = "Environment: "
            + "${COMPLETION-CANDIDATES}; the same as --env.")
    Environment positional;

    /** As typed, or null. */
    public Environment given() {
        if (positional != null && option.env != null && positional != option.env) {
            throw new ParameterException(command.commandLine(), "the environment is " + positional + " or "
                    + option.env + ", not both");
        }
        return positional != null ? positional : option.env;
    }

    /** For commands that change an environment: it is never taken from the configuration. */
    public Environment required() {
        Environment e = given();
        if (e == null) {
            throw new ParameterException(command.commandLine(), "Missing required parameter: 'ENV'");
        }
        return e;
    }
}
