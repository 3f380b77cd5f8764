package io.pglogs.report;

import java.util.Arrays;
import java.util.List;

/**
 * A few distinct names (users, databases), at most {@link ReportBuilder#NAMES}: a group stays small. Sorted in an
 * array rather than a TreeSet: every statement group of every summary a report merges has two (issue 26 part 3).
 */
final class Names {
    private static final String[] NONE = new String[0];
    private String[] names = NONE;
    private int size;

    void add(String name) {
        if (name == null || name.isEmpty() || size >= ReportBuilder.NAMES) {
            return;
        }
        int at = Arrays.binarySearch(names, 0, size, name);
        if (at >= 0) {
            return;
        }
        at = -at - 1;
        if (size == names.length) {
            names = Arrays.copyOf(names, Math.max(2, Math.min(ReportBuilder.NAMES, size * 2)));
        }
        System.arraycopy(names, at, names, at + 1, size - at);
        names[at] = name;
        size++;
    }

    void merge(Names other) {
        if (size == 0) {
            names = other.size == 0 ? NONE : Arrays.copyOf(other.names, other.size);
            size = other.size;
            return;
        }
        for (int i = 0; i < other.size; i++) {
            add(other.names[i]);
        }
    }

    List<String> list() {
        return List.of(Arrays.copyOf(names, size));
    }
}
