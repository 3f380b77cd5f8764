package io.pglogs.cli.option;

import picocli.CommandLine.Option;

/** --yes answers confirmations for scripts; the typed confirmation that destroys prod data is never skipped. */
public final class ConfirmOptions {
    @Option(names = {"-y", "--yes"}, description = "Answer yes to confirmations (never to the typed one that "
            + "destroys the prod table).")
    boolean yes;

    public boolean yes() {
        return yes;
    }
}
