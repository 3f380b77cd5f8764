package io.pglogs.cli.view;

import static org.junit.jupiter.api.Assertions.*;

import io.pglogs.report.Checkpoints;
import io.pglogs.report.Connections;
import io.pglogs.report.ErrorGroup;
import io.pglogs.report.Errors;
import io.pglogs.report.Folded;
import io.pglogs.report.Hourly;
import io.pglogs.report.Locks;
import io.pglogs.report.NameCount;
import io.pglogs.report.Overview;
import io.pglogs.report.Report;
import io.pglogs.report.StatementGroup;
import io.pglogs.report.Statements;
import io.pglogs.report.TempFiles;
import io.pglogs.report.Vacuums;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page's structure from a report made by hand: which sections it shows, that log content stays text, that the
 * charts share the overview's hours. The numbers of a real report, read back from the page a browser rendered, are
 * ReportHtmlTest's (integration).
 */
class ReportHtmlViewTest {
    private static final Instant FROM = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant UNTIL = Instant.parse("2026-12-04T16:00:00Z");
    private static final Folded NONE_FOLDED = new Folded(1000, 0, 0);
    private static final String HOSTILE = "SELECT '<script>alert(1)</script>', '\u202eevil' /* \u001b[2J */";

    private static Hourly hourly(Object... hourAndCount) {
        List<Hourly.Count> hours = new java.util.ArrayList<>();
        Hourly.Count busiest = null;
        for (int i = 0; i < hourAndCount.length; i += 2) {
            Hourly.Count c = new Hourly.Count(Instant.parse("2026-12-04T" + hourAndCount[i] + ":00:00Z"),
                    ((Number) hourAndCount[i + 1]).longValue());
            hours.add(c);
            if (busiest == null || c.count() > busiest.count()) {
                busiest = c;
            }
        }
        return new Hourly(hours, busiest);
    }

    private static Overview overview(long entries, Hourly hourly) {
        return new Overview(FROM, UNTIL, entries == 0 ? null : Instant.parse("2026-12-04T11:02:03Z"),
                entries == 0 ? null : Instant.parse("2026-12-04T14:59:00Z"), entries,
                entries == 0 ? List.of() : List.of(new NameCount("LOG", entries - 2), new NameCount("ERROR", 2)),
                List.of(), entries == 0 ? List.of() : List.of(new NameCount("orders-db", entries)), hourly, 0);
    }

    private static Statements noStatements() {
        return new Statements(0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(), NONE_FOLDED, Hourly.NONE);
    }

    private static Errors noErrors() {
        return new Errors(0, List.of(), List.of(), List.of(), NONE_FOLDED, Hourly.NONE);
    }

    private static Report report(Overview o, Statements s, Errors e) {
        return new Report(o, s, e, new Locks(0, 0, 0, 0, List.of(), List.of(), Hourly.NONE),
                new TempFiles(0, 0, 0, List.of(), NONE_FOLDED, Hourly.NONE),
                new Checkpoints(0, 0, List.of(), 0, 0, 0, 0, null, Hourly.NONE),
                new Vacuums(0, 0, List.of(), NONE_FOLDED, Hourly.NONE),
                new Connections(0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(), List.of(), Hourly.NONE));
    }

    private static Report someStatementsAndErrors() {
        StatementGroup g = new StatementGroup("0123456789abcdef", HOSTILE, 3, 0, false, 0, 3, 1234.5, 411.5, 400, 800, 801.25,
                List.of("app"), List.of("orders"), HOSTILE, Instant.parse("2026-12-04T12:00:01Z"), "orders-db");
        Statements s = new Statements(5, 1300.25, 0, 0, 0, 0, 0, List.of(g), List.of(g), List.of(g),
                new Folded(1000, 7, 21), hourly("11", 2, "14", 3));
        ErrorGroup eg = new ErrorGroup("ERROR", "22", "division by zero", 2, 0,
                Instant.parse("2026-12-04T12:00:00Z"), Instant.parse("2026-12-04T13:00:00Z"), "division by zero",
                null, HOSTILE, "orders-db");
        Errors e = new Errors(2, List.of(new NameCount("ERROR", 2)),
                List.of(new Errors.SqlStateClassCount("22", "Data Exception", 2)), List.of(eg), NONE_FOLDED,
                hourly("12", 1, "13", 1));
        return report(overview(40, hourly("11", 10, "12", 5, "14", 25)), s, e);
    }

    private static String field(String html, String section, String field) {
        int at = html.indexOf("<section id=\"" + section + "\">");
        assertTrue(at >= 0, "no section " + section);
        Matcher m = Pattern.compile("<div data-field=\"" + field + "\"><dt>[^<]*</dt><dd>([^<]*)</dd></div>")
                .matcher(html.substring(at, html.indexOf("</section>", at)));
        assertTrue(m.find(), "no " + field + " in " + section);
        return m.group(1);
    }

    @Test
    void onlyTheSectionsWithSomethingInThemAreShown() {
        String html = ReportHtmlView.page(someStatementsAndErrors(), "pglogs report --since 6h");
        for (String shown : List.of("overview", "statements", "errors")) {
            assertTrue(html.contains("<section id=\"" + shown + "\">"), shown);
        }
        for (String left : List.of("locks", "temp-files", "checkpoints", "vacuums", "connections")) {
            assertFalse(html.contains("<section id=\"" + left + "\">"), left);
        }
        assertEquals("40", field(html, "overview", "entries"));
        assertEquals("2026-12-04 14:00 UTC (25)", field(html, "overview", "busiest_hour"));
        assertEquals("1,300.250", field(html, "statements", "total_ms"));
        assertEquals("2", field(html, "errors", "count"));
        assertTrue(html.contains("7 others (21 entries) were folded"), "the report says it folded");
    }

    @Test
    void logContentStaysText() {
        String html = ReportHtmlView.page(someStatementsAndErrors(), "<b>t</b>");
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<b>"));
        assertFalse(html.contains("\u202e"));
        assertFalse(html.contains("\u001b"));
        assertTrue(html.contains("SELECT &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;, &#39;\\u202eevil&#39; "
                + "/* \\x1b[2J */"));
        assertTrue(html.contains("STATEMENT: SELECT &#39;&lt;script&gt;"), "the error's statement, escaped");
        assertEquals(List.of(), io.pglogs.cli.view.html.HtmlPageTest.externalReferences(html));
    }

    @Test
    void everyChartHasABarForEveryHourOfTheOverview() {
        String html = ReportHtmlView.page(someStatementsAndErrors(), "t");
        // 11:00 to 14:00: four hours, the empty 13:00 among them, in each of the three sections' charts.
        Matcher bars = Pattern.compile("data-label=\"(\\d\\d:00)\" data-value=\"(\\d+)\"").matcher(html);
        StringBuilder seen = new StringBuilder();
        while (bars.find()) {
            seen.append(bars.group(1)).append('=').append(bars.group(2)).append(' ');
        }
        assertEquals("11:00=10 12:00=5 13:00=0 14:00=25 11:00=2 12:00=0 13:00=0 14:00=3 11:00=0 12:00=1 13:00=1 "
                + "14:00=0 ", seen.toString());
    }

    @Test
    void anEmptyWindowSaysSo() {
        Report empty = report(overview(0, Hourly.NONE), noStatements(), noErrors());
        String html = ReportHtmlView.page(empty, "t");
        assertTrue(html.contains("<p class=\"note\" id=\"empty\">No entries in this window.</p>"), html);
        assertTrue(html.contains("2026-12-04 10:00:00 to 2026-12-04 16:00:00 (UTC)"), html);
        assertFalse(html.contains("<section"));
    }

    @Test
    void aLongWindowDrawsLinesNotBars() {
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        Instant end = start.plus(java.time.Duration.ofHours(ReportHtmlPage.MAX_BARS + 10));
        Hourly h = new Hourly(List.of(new Hourly.Count(start, 3), new Hourly.Count(end, 4)),
                new Hourly.Count(end, 4));
        Overview o = new Overview(start, end, start, end, 7, List.of(new NameCount("LOG", 7)), List.of(),
                List.of(new NameCount("a", 7)), h, 0);
        String html = ReportHtmlView.page(report(o, noStatements(), noErrors()), "t");
        assertTrue(html.contains("<figure class=\"chart line\">"), html);
        assertFalse(html.contains("class=\"bar\""));
        assertTrue(html.contains("data-label=\"11-08 10:00\" data-value=\"4\""), "the peak, labelled with its day");
    }
}
