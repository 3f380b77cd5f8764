package io.pglogs.forwarder;

import io.pglogs.forwarder.dynamo.RollupBumper;
import io.pglogs.forwarder.dynamo.Roller;
import java.util.SortedSet;
import java.util.function.BiConsumer;

/**
 * What the forwarder does for rollups (issue 26 part 2, docs/schema.md "Rollup items") after a payload is written,
 * which depends on the path it serves. The live paths (the Lambda handler, {@code pglogs local}'s delivery loop) write
 * entries minutes after they were logged: they bump a span's rollup only when it may already be made, and roll up the
 * instance's closed spans. Every other writer (backfill, import, redrive) writes any span at any time, on clocks that
 * are not the collectors': it bumps every span it writes, and rolls nothing here; it may be told of each span it
 * bumped ({@link #always(RollupBumper, BiConsumer)}) to roll them once its whole write is done
 * ({@link Roller#rollNow}).
 */
public final class Rollups {
    /** No bumps, no rolling: dry runs and benchmarks that write no summaries or nothing at all. */
    public static final Rollups NONE = new Rollups(null, false, null, null);

    private final RollupBumper bumper;
    private final boolean live;
    private final Roller roller;
    /** Told of the spans bumped for an instance, once bumped; null: nobody listens. */
    private final BiConsumer<String, SortedSet<Long>> bumped;

    private Rollups(RollupBumper bumper, boolean live, Roller roller, BiConsumer<String, SortedSet<Long>> bumped) {
        this.bumper = bumper;
        this.live = live;
        this.roller = roller;
        this.bumped = bumped;
    }

    /** A live path: bumps late summaries' spans; {@code roller} (null: none, for benchmarks) rolls closed spans. */
    public static Rollups live(RollupBumper bumper, Roller roller) {
        return new Rollups(bumper, true, roller, null);
    }

    /** A writer off the live path: bumps every span it writes a summary of. */
    public static Rollups always(RollupBumper bumper) {
        return new Rollups(bumper, false, null, null);
    }

    /**
     * As {@link #always(RollupBumper)}, telling {@code bumped} (called from the writing threads, so thread-safe) of
     * each instance's spans once they are bumped, after the payload's items are stored: the spans a CLI writer rolls
     * up when its run has stored everything.
     */
    public static Rollups always(RollupBumper bumper, BiConsumer<String, SortedSet<Long>> bumped) {
        return new Rollups(bumper, false, null, bumped);
    }

    /** After {@code spans} of {@code instance} were bumped. */
    void bumped(String instance, SortedSet<Long> spans) {
        if (bumped != null && instance != null && !spans.isEmpty()) {
            bumped.accept(instance, spans);
        }
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
