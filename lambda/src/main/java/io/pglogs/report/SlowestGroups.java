package io.pglogs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The exact top-N groups by their slowest single run, in bounded memory: a min-heap (ordered set) of at most
 * {@code capacity} groups keyed by their slowest run. A run joins when its group is held, when the heap has room, or
 * when it is slower than the held group's slowest run that is least slow (which then leaves). A group's slowest run
 * only grows, so one that left can only come back with a slower run: the held groups are exactly those with the
 * slowest runs. What a group counts (runs, time) is from when it last joined: {@link #partial} says when that may miss
 * earlier runs.
 */
final class SlowestGroups<V extends TopK.Group<V>> {
    private final class Held {
        final String key;
        final V value;
        double max;
        final boolean partial;
        final long order;

        Held(String key, V value, double max, boolean partial, long order) {
            this.key = key;
            this.value = value;
            this.max = max;
            this.partial = partial;
            this.order = order;
        }
    }

    private final int capacity;
    private final Map<String, Held> held = new HashMap<>();
    private final TreeSet<Held> byMax = new TreeSet<>(Comparator.comparingDouble((Held h) -> h.max)
            .thenComparingLong(h -> h.order));
    private long order;
    private boolean evicted;

    SlowestGroups(int capacity) {
        this.capacity = capacity;
    }

    /** The value to add a run of {@code ms} to, or null when the run is not among the slowest (nothing to add). */
    V offer(String key, double ms, Supplier<V> make) {
        Held h = held.get(key);
        if (h != null) {
            if (ms > h.max) {
                byMax.remove(h);
                h.max = ms;
                byMax.add(h);
            }
            return h.value;
        }
        if (held.size() >= capacity) {
            if (ms <= byMax.first().max) {
                evicted = true;
                return null;
            }
            held.remove(byMax.pollFirst().key);
            evicted = true;
        }
        h = new Held(key, make.get(), ms, evicted, order++);
        held.put(key, h);
        byMax.add(h);
        return h.value;
    }

    /**
     * Adds a group's runs counted elsewhere, the slowest {@code ms}: merged into the held group, or joining as
     * {@link #offer} would let a run of {@code ms} join (taking {@code value} as it is).
     */
    void merge(String key, double ms, V value, boolean partial) {
        Held h = held.get(key);
        if (h != null) {
            if (ms > h.max) {
                byMax.remove(h);
                h.max = ms;
                byMax.add(h);
            }
            h.value.merge(value);
            return;
        }
        if (held.size() >= capacity) {
            evicted = true;
            if (ms <= byMax.first().max) {
                return;
            }
            held.remove(byMax.pollFirst().key);
        }
        h = new Held(key, value, ms, evicted || partial, order++);
        held.put(key, h);
        byMax.add(h);
    }

    /** Whether a group ever had to leave or stay out (a decoded summary's table sets it). */
    boolean evicted() {
        return evicted;
    }

    void evicted(boolean e) {
        evicted = e;
    }

    /** The slowest run of the held group of {@code key}. */
    double max(String key) {
        return held.get(key).max;
    }

    /** The held groups' keys. */
    java.util.Set<String> keys() {
        return held.keySet();
    }

    /** The value held for {@code key}, or null. */
    V held(String key) {
        Held h = held.get(key);
        return h == null ? null : h.value;
    }

    /** The held groups, slowest first (ties by key). */
    List<Map.Entry<String, V>> top(int n) {
        List<Held> all = new ArrayList<>(byMax.descendingSet());
        all.sort(Comparator.comparingDouble((Held h) -> -h.max).thenComparing(h -> h.key));
        List<Map.Entry<String, V>> out = new ArrayList<>();
        for (Held h : all.subList(0, Math.min(n, all.size()))) {
            out.add(Map.entry(h.key, h.value));
        }
        return out;
    }

    /** Whether {@code key}'s counts may miss runs from before it (last) joined. */
    boolean partial(String key) {
        Held h = held.get(key);
        return h != null && h.partial;
    }
}
