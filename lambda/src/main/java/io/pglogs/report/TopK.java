package io.pglogs.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A streaming top-k (Space-Saving, Metwally, Agrawal, El Abbadi 2005) of groups keyed by K, each holding a value V
 * that accumulates what its entries carry. At most {@code capacity} groups are held: when a new key comes and the
 * table is full, the group with the fewest entries (counted and uncounted) makes room, its entry count becoming the
 * newcomer's {@code uncounted} bound, and it is counted as folded. Every group with more entries than the table's
 * total over capacity is certain to be held, so the heavy statements are never lost; memory never grows past capacity
 * groups, whatever the window. Below capacity it is an exact table.
 *
 * <p>Space-Saving works the same with weights (each entry adding its weight rather than 1): a table weighted by
 * duration keeps every statement whose total time is more than the table's total time over capacity, however few
 * its runs. The weight is the value's {@link Group#count()} unless another is given.
 */
public final class TopK<K, V extends TopK.Group<V>> {
    /** What a group accumulates: it says how many entries it counted and merges with another of the same key. */
    public interface Group<V> {
        long count();

        void merge(V other);
    }

    /** A held group: its value, and at most how much of its weight (entries) came before it was held. */
    public static final class Slot<K, V> {
        private final K key;
        private final V value;
        private long uncounted;
        private final long order;
        private boolean partial;

        Slot(K key, V value, long uncounted, long order, boolean partial) {
            this.key = key;
            this.value = value;
            this.uncounted = uncounted;
            this.order = order;
            this.partial = partial;
        }

        /** Whether it took the place of another: what its value counts may miss entries from before. */
        public boolean partial() {
            return partial || uncounted > 0;
        }

        public K key() {
            return key;
        }

        public V value() {
            return value;
        }

        public long uncounted() {
            return uncounted;
        }
    }

    private final int capacity;
    private final Map<K, Slot<K, V>> slots = new HashMap<>();
    /** Built only once the table is full: ordered by estimate, so the smallest group is found in log time. */
    private TreeSet<Slot<K, V>> byEstimate;
    private long order;
    private long foldedGroups;
    private long foldedEntries;

    private final ToLongFunction<V> weight;
    private final Comparator<Slot<K, V>> smallestFirst;

    public TopK(int capacity) {
        this(capacity, Group::count);
    }

    /** @param weight what a group holds, in the unit the table ranks by (entries, microseconds) */
    public TopK(int capacity, ToLongFunction<V> weight) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.weight = weight;
        this.smallestFirst = Comparator.comparingLong((Slot<K, V> s) -> weight.applyAsLong(s.value) + s.uncounted)
                .thenComparingLong(s -> s.order);
    }

    /**
     * The group of {@code key}, made by {@code make} when it is not held (pushing the smallest one out when the table
     * is full), for the caller to add one entry to; then call {@link #added} with the same slot.
     */
    public Slot<K, V> slot(K key, Function<K, V> make) {
        Slot<K, V> slot = slots.get(key);
        if (slot != null) {
            if (byEstimate != null) {
                byEstimate.remove(slot);
            }
            return slot;
        }
        long uncounted = 0;
        boolean partial = false;
        if (slots.size() >= capacity) {
            partial = true;
            if (byEstimate == null) {
                byEstimate = new TreeSet<>(smallestFirst);
                byEstimate.addAll(slots.values());
            }
            Slot<K, V> smallest = byEstimate.pollFirst();
            slots.remove(smallest.key);
            foldedGroups++;
            foldedEntries += smallest.value.count();
            uncounted = weight.applyAsLong(smallest.value) + smallest.uncounted;
        }
        slot = new Slot<>(key, make.apply(key), uncounted, order++, partial);
        slots.put(key, slot);
        return slot;
    }

    /** Puts a slot from {@link #slot} back in order once its value has changed. */
    public void added(Slot<K, V> slot) {
        if (byEstimate != null) {
            byEstimate.add(slot);
        }
    }

    /** Adds {@code other}'s groups to these, as if their entries had come here (issue 26's summaries merge so). */
    public void merge(TopK<K, V> other) {
        for (Slot<K, V> theirs : other.slots.values()) {
            mergeGroup(theirs.key, theirs.value, theirs.uncounted, theirs.partial);
        }
        foldedGroups += other.foldedGroups;
        foldedEntries += other.foldedEntries;
    }

    /**
     * Adds one group counted elsewhere: merged into the held group of {@code key}, or held as a newcomer (making room
     * as {@link #slot} does). {@code value} may be kept as it is: the caller gives it up.
     */
    public void mergeGroup(K key, V value, long uncounted, boolean partial) {
        Slot<K, V> mine = slots.get(key);
        if (mine != null) {
            if (byEstimate != null) {
                byEstimate.remove(mine);
            }
            mine.value.merge(value);
        } else {
            mine = slot(key, k -> value);
        }
        mine.uncounted += uncounted;
        mine.partial |= partial;
        added(mine);
    }

    /** Counts groups folded elsewhere (a decoded summary's table, a merged one's). */
    void addFolded(long groups, long entries) {
        foldedGroups += groups;
        foldedEntries += entries;
    }

    /** The slot held for {@code key}, or null; unchanged (unlike {@link #slot(Object, Function)}). */
    public Slot<K, V> slot(K key) {
        return slots.get(key);
    }

    /** The value held for {@code key}, or null (to add what carries no weight without making room for it). */
    public V held(K key) {
        Slot<K, V> slot = slots.get(key);
        return slot == null ? null : slot.value;
    }

    public Collection<Slot<K, V>> slots() {
        return slots.values();
    }

    /** The {@code n} first groups by {@code order}. */
    public List<Slot<K, V>> top(int n, Comparator<Slot<K, V>> order) {
        List<Slot<K, V>> all = new ArrayList<>(slots.values());
        all.sort(order);
        return all.size() > n ? List.copyOf(all.subList(0, n)) : all;
    }

    public int size() {
        return slots.size();
    }

    public Folded folded() {
        return new Folded(capacity, foldedGroups, foldedEntries);
    }
}
