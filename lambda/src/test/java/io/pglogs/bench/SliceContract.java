package io.pglogs.bench;

import io.pglogs.forwarder.dynamo.ItemContract;

/**
 * The values of issue 26 part 4 (slices, rolling 3 minutes after a span's end) the cost model uses: ItemContract's
 * once its change is merged (it then has {@code SLICE_UNIT_MILLIS}), the design's (DESIGN26-part4 A, B) until then, so
 * the model runs on either side of the merge. Read by reflection: the names do not exist before it.
 */
final class SliceContract {
    /** Whether ItemContract already carries the part-4 values (the slice constants; ROLL_AFTER then is 3 minutes). */
    static final boolean MERGED = field("SLICE_UNIT_MILLIS") != null;
    /** Slices start and end on these boundaries, from the span's start (5 units a ten-minute span). */
    static final long UNIT_MILLIS = number("SLICE_UNIT_MILLIS", 120_000L);
    /** A slice holds at least this many entries (a span with fewer in all gets none). */
    static final long MIN_ENTRIES = number("SLICE_MIN_ENTRIES", 500L);
    static final String PREFIX = text("SLICE_PREFIX", "_slice#");
    /**
     * A unit (and a span) is rolled this long after its end. Before the merge ItemContract says 20 minutes (part 3's
     * value): the model uses the design's 3 minutes then, and ItemContract's own value once the slice constants exist.
     */
    static final long ROLL_AFTER_MILLIS = MERGED ? number("ROLL_AFTER_MILLIS", 180_000L) : 180_000L;
    /** The slice attributes of the design (B) that a rollup item does not carry. */
    static final String UNTIL = text("UNTIL", "until");
    static final String FLOOR = text("FLOOR", "floor");
    static final String NEXT_FLOOR = text("NEXT_FLOOR", "next_floor");

    private SliceContract() {
    }

    private static java.lang.reflect.Field field(String name) {
        try {
            return ItemContract.class.getField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static long number(String name, long otherwise) {
        java.lang.reflect.Field f = field(name);
        try {
            return f == null ? otherwise : ((Number) f.get(null)).longValue();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String name, String otherwise) {
        java.lang.reflect.Field f = field(name);
        try {
            return f == null || !(f.get(null) instanceof String s) ? otherwise : s;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the output says about where the values came from. */
    static String describe() {
        return String.format("part 4: roll %d min after a unit's (span's) end, slice units of %d min, slices of >= %d "
                        + "entries (%s)", ROLL_AFTER_MILLIS / 60_000, UNIT_MILLIS / 60_000, MIN_ENTRIES,
                MERGED ? "ItemContract's values" : "the design's values: ItemContract still says ROLL_AFTER "
                        + ItemContract.ROLL_AFTER_MILLIS / 60_000 + " min and has no slice constants (L1 not merged)");
    }
}
