package io.pglogs.cli.ingest;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BiConsumer;

/**
 * The ten-minute spans ({@link io.pglogs.forwarder.dynamo.ItemContract#compactSpan} numbers) a CLI writer bumped, per
 * instance: told by the forwarder once each payload's items are stored and its spans bumped, from the writing threads.
 */
public final class WrittenSpans implements BiConsumer<String, SortedSet<Long>> {
    private final Map<String, SortedSet<Long>> spans = new ConcurrentHashMap<>();

    @Override
    public void accept(String instance, SortedSet<Long> bumped) {
        spans.computeIfAbsent(instance, i -> new ConcurrentSkipListSet<>()).addAll(bumped);
    }

    /** A copy: instance to its spans, both in order. */
    public Map<String, SortedSet<Long>> byInstance() {
        Map<String, SortedSet<Long>> copy = new TreeMap<>();
        spans.forEach((instance, s) -> copy.put(instance, new TreeSet<>(s)));
        return copy;
    }
}
