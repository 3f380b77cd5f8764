package io.pglogs.cli.view;

import io.pglogs.report.NameCount;
import io.pglogs.report.Sources;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Where a report's numbers came from, in one sentence (text and HTML say it alike). */
final class SourcesText {
    private SourcesText() {
    }

    static String of(Sources s) {
        List<String> items = new ArrayList<>();
        if (s.rollups() > 0) {
            items.add(plural(s.rollups(), "rollup", "rollups"));
        }
        if (s.slices() > 0) {
            items.add(plural(s.slices(), "slice", "slices"));
        }
        if (s.summaries() > 0 || items.isEmpty()) {
            items.add(plural(s.summaries(), "summary", "summaries"));
        }
        String summaries = s.summaries() == 0 && s.rollups() == 0 && s.slices() == 0 ? "no summary"
                : joined(items) + " (" + plural(s.summarised(), "entry", "entries") + ")";
        String read = s.read() == 0 ? "no entry read" : Amounts.count(s.read())
                + (s.read() == 1 ? " entry read: " : " entries read: ")
                + s.reasons().stream().map(SourcesText::reason).collect(Collectors.joining(", "));
        return summaries + "; " + read;
    }

    /** "a", "a and b", "a, b and c". */
    private static String joined(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static String plural(long n, String one, String many) {
        return Amounts.count(n) + " " + (n == 1 ? one : many);
    }

    private static String reason(NameCount c) {
        return c.name() + " " + Amounts.count(c.count());
    }
}
