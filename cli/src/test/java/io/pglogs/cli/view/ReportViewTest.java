package io.pglogs.cli.view;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.app.Queries;
import io.pglogs.cli.app.Reports;
import io.pglogs.cli.query.QueryStats;
import io.pglogs.cli.term.Style;
import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.parse.StatementFingerprint;
import io.pglogs.report.ReportBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportViewTest {
    private static final Instant FROM = Instant.parse("2026-05-01T10:00:00Z");
    private static final String NASTY = "SELECT '\u001b[2J\u001b]0;pwned\u0007<script>alert(1)</script>' FROM "
            + "a_table_with_a_rather_long_name_that_goes_on_and_on WHERE x = 1 AND y = 2 AND z = 3";

    private static LogRow row(int i, String severity, String kind, String message, Object... more) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("ts", "2026-05-01T10:00:0" + i + ".000Z");
        a.put("instance", "db\u001b[31m1");
        a.put("severity", severity);
        a.put("user", "app");
        a.put("database", "orders");
        a.put("pid", 7L);
        a.put("message", message);
        a.put("event_id", "e" + i);
        a.put("kind", kind);
        for (int k = 0; k < more.length; k += 2) {
            a.put((String) more[k], more[k + 1]);
        }
        return new LogRow(a.get("ts") + "#e" + i, a);
    }

    private static Reports.Result result(boolean empty) {
        ReportBuilder b = new ReportBuilder(new ReportBuilder.Options(5, 50), FROM, FROM.plusSeconds(3600));
        if (!empty) {
            b.add(row(1, "LOG", "statement_duration", "duration: 12.5 ms  statement: " + NASTY,
                    "duration_ms", new BigDecimal("12.5"), "fingerprint", new StatementFingerprint().of(NASTY)));
            b.add(row(2, "ERROR", "error", "relation \"\u001b[1mx\" does not exist"));
            b.add(row(2, "STATEMENT", "other", NASTY));
            b.add(row(3, "LOG", "temp_file", "temporary file: path \"x\", size 2048", "temp_bytes", 2048L));
        }
        return new Reports.Result(b.build(), 1, new Queries.Result(empty ? 0 : 4, 1, new QueryStats(), 5, List.of()));
    }

    private static String render(String format, Reports.Result r, int width) {
        StringWriter out = new StringWriter();
        ReportView.of(format, new PrintWriter(out), new PrintWriter(new StringWriter()), new Style(false), width)
                .print(r, false, false);
        return out.toString();
    }

    /** An hour without entries between two with some is shown as 0, not left out. */
    @Test
    void theTextHistogramShowsEmptyHours() {
        ReportBuilder b = new ReportBuilder(new ReportBuilder.Options(2, 2), FROM, FROM.plusSeconds(4 * 3600));
        b.add(row(1, "LOG", "other", "first"));
        Map<String, Object> later = new LinkedHashMap<>(row(2, "LOG", "other", "later").attributes());
        later.put("ts", "2026-05-01T12:30:00.000Z");
        b.add(new LogRow("2026-05-01T12:30:00.000Z#e2", later));
        Reports.Result r = new Reports.Result(b.build(), 1, new Queries.Result(2, 1, new QueryStats(), 5, List.of()));
        String text = render("text", r, 100);
        assertTrue(text.matches("(?s).*2026-05-01 11:00 +0\n.*"), text);
        assertTrue(text.contains("2026-05-01 12:00"), text);
    }

    /** A count that folding may have cut is marked in text and HTML, not only as the JSON's uncounted. */
    @Test
    void countsThatFoldingMayHaveCutAreMarkedInTextAndHtml() {
        ReportBuilder b = new ReportBuilder(new ReportBuilder.Options(2, 2), FROM, FROM.plusSeconds(3600));
        StatementFingerprint fp = new StatementFingerprint();
        for (int i = 0; i < 6; i++) {
            String sql = "SELECT " + i + " FROM t" + i;
            b.add(row(i, "LOG", "statement_duration", "duration: 1.0 ms  statement: " + sql,
                    "duration_ms", new BigDecimal("1.0"), "fingerprint", fp.of(sql)));
        }
        String[] errors = {"division by zero", "deadlock detected", "canceling statement due to user request",
            "could not serialize access due to concurrent update"};
        for (int i = 0; i < errors.length; i++) {
            b.add(row(7, "ERROR", "error", errors[i]));
        }
        Reports.Result r = new Reports.Result(b.build(), 1, new Queries.Result(10, 1, new QueryStats(), 5, List.of()));
        String text = render("text", r, 100);
        assertTrue(text.contains(" >=1 "), text);
        assertTrue(text.matches("(?s).*>=1 +2026-05-01 10:00:07.*"), text);
        String html = render("html", r, 100);
        assertTrue(html.contains("1 (at most 3)"), html);
    }

    @Test
    void textFitsTheWidthAndNeverPrintsControlCharactersFromTheLog() {
        for (int width : new int[] {60, 80, 132}) {
            String text = render("text", result(false), width);
            for (String line : text.split("\n")) {
                assertFalse(line.chars().anyMatch(c -> c < 0x20 && c != '\t'), line);
                if (!line.startsWith("pglogs report")) {
                    assertTrue(line.length() <= width, width + ": " + line);
                }
            }
            assertTrue(text.contains("\\x1b[2J"), text);
            assertTrue(text.contains("Statements  1 runs, 12.5 ms in all"), text);
            assertTrue(text.contains("Temp files  1 files, 2.0 KiB"), text);
        }
    }

    @Test
    void coloursOnlyWhenAsked() {
        StringWriter out = new StringWriter();
        ReportView.of("text", new PrintWriter(out), new PrintWriter(new StringWriter()), new Style(true), 100)
                .print(result(false), false, false);
        assertTrue(out.toString().contains("\u001b[1m"), "headings in bold");
        assertFalse(render("text", result(false), 100).contains("\u001b"));
    }

    @Test
    void jsonIsSnakeCaseWithTimesInIsoAndLogContentEscaped() throws Exception {
        String json = render("json", result(false), 100);
        assertFalse(json.contains("\u001b"), "escape sequences written as \\u001B");
        JsonNode doc = new ObjectMapper().readTree(json);
        assertEquals(1, doc.path("schema_version").asInt());
        assertEquals("2026-05-01T10:00:00Z", doc.path("overview").path("from").asText());
        JsonNode group = doc.path("statements").path("by_total").get(0);
        assertEquals(NASTY, group.path("sample").asText(), "the statement as stored, as text");
        assertEquals(12.5, group.path("total_ms").asDouble());
        assertEquals(2048, doc.path("temp_files").path("total_bytes").asLong());
        assertEquals(NASTY, doc.path("errors").path("by_message").get(0).path("statement").asText());
        assertTrue(doc.path("statements").has("folded"));
        assertFalse(doc.path("statements").has("empty"), "isEmpty() is no field");
        assertTrue(doc.path("locks").path("longest").isArray());
        assertEquals(4, doc.path("read").path("instances").asInt() + 3);
    }

    @Test
    void anEmptyWindowSaysSo() throws Exception {
        assertEquals("No entries between 2026-05-01 10:00:00 and 2026-05-01 11:00:00.\n",
                render("text", result(true), 100));
        JsonNode doc = new ObjectMapper().readTree(render("json", result(true), 100));
        assertEquals(0, doc.path("overview").path("entries").asLong());
        assertEquals(0, doc.path("statements").path("count").asLong());
    }
}
