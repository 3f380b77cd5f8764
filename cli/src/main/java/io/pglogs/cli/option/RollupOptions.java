package io.pglogs.cli.option;

import picocli.CommandLine.Option;

/** --no-rollup: for the writers off the live path (import, backfill, failed redrive), which roll up what they wrote. */
public final class RollupOptions {
    @Option(names = "--no-rollup", description = "Do not roll up the ten-minute spans written once everything is "
            + "stored (the forwarder rolls up only spans that ended 3 minutes to 2 hours ago: without rollups, reports "
            + "over these spans read every entry or summary: same counts, slower).")
    boolean noRollup;

    /** Whether to roll up the spans written. */
    public boolean rollup() {
        return !noRollup;
    }
}
