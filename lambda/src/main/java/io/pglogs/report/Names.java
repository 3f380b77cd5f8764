package io.pglogs.report;

import java.util.List;
import java.util.TreeSet;

/** A few distinct names (users, databases), at most {@link ReportBuilder#NAMES}: a group stays small. */
final class Names {
    private final TreeSet<String> names = new TreeSet<>();

    void add(String name) {
        if (name != null && !name.isEmpty() && names.size() < ReportBuilder.NAMES) {
            names.add(name);
        }
    }

    void merge(Names other) {
        other.names.forEach(this::add);
    }

    List<String> list() {
        return List.copyOf(names);
    }
}
