package io.pglogs.cli.view;

import io.pglogs.report.NameCount;
import io.pglogs.report.Sources;
import java.util.stream.Collectors;

/** Where a report's numbers came from, in one sentence (text and HTML say it alike). */
final class SourcesText {
    private SourcesText() {
    }

    static String of(Sources s) {
        String summaries = s.summaries() == 0 ? "no summary" : Amounts.count(s.summaries())
                + (s.summaries() == 1 ? " summary (" : " summaries (") + Amounts.count(s.summarised())
                + (s.summarised() == 1 ? " entry)" : " entries)");
        String read = s.read() == 0 ? "no entry read" : Amounts.count(s.read())
                + (s.read() == 1 ? " entry read: " : " entries read: ")
                + s.reasons().stream().map(SourcesText::reason).collect(Collectors.joining(", "));
        return summaries + "; " + read;
    }

    private static String reason(NameCount c) {
        return c.name() + " " + Amounts.count(c.count());
    }
}
