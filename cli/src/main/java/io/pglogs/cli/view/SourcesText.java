package io.pglogs.cli.view;

import io.pglogs.report.NameCount;
import io.pglogs.report.Sources;
import java.util.stream.Collectors;

/** Where a report's numbers came from, in one sentence (text and HTML say it alike). */
final class SourcesText {
    private SourcesText() {
    }

    static String of(Sources s) {
        String items = s.rollups() == 0 ? plural(s.summaries(), "summary", "summaries")
                : s.summaries() == 0 ? plural(s.rollups(), "rollup", "rollups")
                : plural(s.rollups(), "rollup", "rollups") + " and " + plural(s.summaries(), "summary", "summaries");
        String summaries = s.summaries() == 0 && s.rollups() == 0 ? "no summary" : items + " ("
                + plural(s.summarised(), "entry", "entries") + ")";
        String read = s.read() == 0 ? "no entry read" : Amounts.count(s.read())
                + (s.read() == 1 ? " entry read: " : " entries read: ")
                + s.reasons().stream().map(SourcesText::reason).collect(Collectors.joining(", "));
        return summaries + "; " + read;
    }

    private static String plural(long n, String one, String many) {
        return Amounts.count(n) + " " + (n == 1 ? one : many);
    }

    private static String reason(NameCount c) {
        return c.name() + " " + Amounts.count(c.count());
    }
}
