package io.pglogs.forwarder;

import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.dynamo.Roller;

/**
 * What the forwarder does for rollups (issue 26 part 2, docs/schema.md "Rollup items") after a payload is written,
 * which depends on the path it serves. The live paths (the Lambda handler, {@code pglogs local}'s delivery loop) write
 * entries minutes after they were logged: they bump a span's rollup only when it may already be made, and roll up the
 * instance's closed spans. Every other writer (backfill, import, redrive) writes any span at any time, on clocks that
 * are not the collectors': it bumps every span it writes, and rolls nothing.
 */
public final class Rollups {
    /** No bumps, no rolling: dry runs and benchmarks that write no summaries or nothing at all. */
    public static final Rollups NONE = new Rollups(null, false, null);

    private final RollupBumper bumper;
    private final boolean live;
    private final Roller roller;

    private Rollups(RollupBumper bumper, boolean live, Roller roller) {
        this.bumper = bumper;
        this.live = live;
        this.roller = roller;
    }

    /** A live path: bumps late summaries' spans; {@code roller} (null: none, for benchmarks) rolls closed spans. */
    public static Rollups live(RollupBumper bumper, Roller roller) {
        return new Rollups(bumper, true, roller);
    }

    /** A writer off the live path: bumps every span it writes a summary of. */
    public static Rollups always(RollupBumper bumper) {
        return new Rollups(bumper, false, null);
    }

    RollupBumper bumper() {
        return bumper;
    }

    /** Whether every span written is bumped (not only those the deadline rule names). */
    boolean bumpsAlways() {
        return !live;
    }

    Roller roller() {
        return roller;
    }
}
