package io.pglogs.cli.option;

import io.pglogs.cli.config.Environment;
import picocli.CommandLine.Option;

/** --env: the environment a command works on, spelled the same on every command where it matters. */
public final class EnvOptions {
    @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "Environment: ${COMPLETION-CANDIDATES}. start, stop "
            + "and failed need it (or as their argument); the others fall back to PGLOGS_ENV, the config file, devel.")
    Environment env;

    /** As typed, or null. */
    public Environment given() {
        return env;
    }
}
