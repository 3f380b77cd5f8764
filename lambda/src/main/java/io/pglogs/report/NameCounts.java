package io.pglogs.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

final class NameCounts {
    private NameCounts() {
    }

    /** Most first, then by name. */
    static List<NameCount> of(Map<String, long[]> counts) {
        List<NameCount> list = new ArrayList<>();
        counts.forEach((k, v) -> list.add(new NameCount(k, v[0])));
        list.sort(Comparator.comparingLong((NameCount c) -> -c.count()).thenComparing(NameCount::name));
        return List.copyOf(list);
    }
}
