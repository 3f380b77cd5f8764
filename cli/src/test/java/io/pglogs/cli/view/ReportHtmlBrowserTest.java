package io.pglogs.cli.view;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.cli.HeadlessChromium;
import io.pglogs.cli.TestCli;
import io.pglogs.cli.view.html.HtmlPageTest;
import io.pglogs.cli.view.html.Numbers;
import io.pglogs.forwarder.parse.LogEntry;
import io.pglogs.forwarder.parse.LogFileSplitter;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.testing.Corpus;
import io.pglogs.testing.LogTables;
import io.pglogs.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code pglogs report -o html} in a real browser: a real server's log (scripts/pg-corpus) imported into moto through
 * the forwarder's code, in each storage format; the HTML report of it opened in headless Chromium, which must log
 * nothing to its console (no script error, nothing blocked by the page's policy); and every number the rendered page
 * shows, read back from the DOM Chromium made, equal to the JSON report's of the same window.
 *
 * <p>Two lines of the log carry a comment holding {@code <script>alert(1)</script>} (the corpus's {@code SELECT 1 / 0}
 * and its {@code pg_sleep} statement, otherwise as the server wrote them): the page must show it as text.
 */
@Tag("integration")
class ReportHtmlBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String INSTANCE = "html-db";
    /** The report's sections: the page's ids and the JSON's field names. */
    private static final Map<String, String> SECTIONS = Map.of("overview", "overview", "statements", "statements",
            "errors", "errors", "locks", "locks", "temp-files", "temp_files", "checkpoints", "checkpoints",
            "vacuums", "vacuums", "connections", "connections");

    private static Path log;
    private static Instant first;
    private static Instant last;
    private static MotoServer moto;
    private static DynamoDbClient ddb;

    @TempDir
    Path tmp;

    @BeforeAll
    static void corpusWithAScript(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        int changed = 0;
        PostgresLogParser parser = new PostgresLogParser();
        for (LogFileSplitter.RawEntry raw : Corpus.fresh("postgresql.log")) {
            String entry = raw.text();
            String withScript = entry.replace("STATEMENT:  SELECT 1 / 0;", "STATEMENT:  SELECT 1 / 0 /* " + SCRIPT
                    + " */;").replace("statement: SELECT pg_sleep(0.15),", "statement: SELECT pg_sleep(0.15) /* "
                    + SCRIPT + " */,");
            changed += withScript.equals(entry) ? 0 : 1;
            LogEntry e = parser.parse(entry);
            if (e.timestamp() != null) {
                first = first == null || e.timestamp().isBefore(first) ? e.timestamp() : first;
                last = last == null || e.timestamp().isAfter(last) ? e.timestamp() : last;
            }
            text.append(withScript).append('\n');
        }
        assertEquals(2, changed, "the corpus's SELECT 1 / 0 and its pg_sleep(0.15) statement");
        log = dir.resolve("postgresql.log");
        Files.writeString(log, text, StandardCharsets.UTF_8);
        moto = MotoServer.shared();
        ddb = moto.dynamoDb();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entries", "compact"})
    void theRenderedPageShowsTheJsonReportsNumbers(String format) throws Exception {
        String table = "compact".equals(format) ? LogTables.createCompact(ddb, "html") : LogTables.create(ddb, "html");
        TestCli cli = new TestCli();
        cli.env.putAll(moto.childEnvironment());
        cli.env.put("PGLOGS_DEVEL_TABLE", table);
        TestCli.Result imported = cli.run("import", "--instance", INSTANCE, log.toString());
        assertEquals(0, imported.code(), imported.toString());
        List<String> window = List.of("report", "--instance", INSTANCE, "--since", first.minusSeconds(60).toString(),
                "--until", last.plusSeconds(60).toString(), "--top", "100", "--max-fingerprints", "1000");
        TestCli.Result json = cli.run(with(window, "-o", "json"));
        assertEquals(0, json.code(), json.toString());
        TestCli.Result html = cli.run(with(window, "-o", "html"));
        assertEquals(0, html.code(), html.toString());
        assertEquals("", html.err());
        assertEquals(List.of(), HtmlPageTest.externalReferences(html.out()), "one self-contained file");

        Path page = Files.writeString(tmp.resolve("report.html"), html.out(), StandardCharsets.UTF_8);
        HeadlessChromium.Page rendered = HeadlessChromium.dumpDom(page);
        assertEquals(List.of(), rendered.console(), "the browser's console");
        assertEquals(List.of(), HeadlessChromium.screenshot(page, tmp.resolve("report.png"), 1280, 2400));

        Document dom = Jsoup.parse(rendered.dom());
        JsonNode report = JSON.readTree(json.out());
        for (Map.Entry<String, String> s : SECTIONS.entrySet()) {
            assertEquals(1, dom.select("section#" + s.getKey()).size(), () -> s.getKey() + " is shown: the corpus "
                    + "has some of everything");
            totals(dom.selectFirst("section#" + s.getKey()), report.path(s.getValue()), s.getKey());
        }
        overview(dom.selectFirst("section#overview"), report.path("overview"));
        statements(dom.selectFirst("section#statements"), report.path("statements"));
        errors(dom.selectFirst("section#errors"), report.path("errors"));
        vacuums(dom.selectFirst("section#vacuums"), report.path("vacuums"));

        // The script is text on the page, never an element: no <script> anywhere in what Chromium built.
        assertEquals(0, dom.select("script").size(), dom.select("script").toString());
        List<String> shown = dom.select("code").stream().map(Element::wholeText).filter(t -> t.contains(SCRIPT))
                .toList();
        assertTrue(shown.size() >= 2, "the statement and the error's STATEMENT show the script as text: " + shown);
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Every headline number of a section equals the JSON field it names (data-field). */
    private static void totals(Element section, JsonNode json, String name) {
        Elements fields = section.select("dl.totals > div[data-field]");
        assertFalse(fields.isEmpty(), name);
        for (Element f : fields) {
            String field = f.attr("data-field");
            String shown = f.selectFirst("dd").text();
            String where = name + "." + field + " shows " + shown;
            switch (field) {
                case "busiest_hour" -> assertEquals(busiest(json.path("hourly").path("busiest")), shown, where);
                case "instances" -> assertEquals(json.path("instances").size(), number(shown), where);
                case "mean_session_ms" -> assertEquals(json.path("session_ms").asDouble()
                        / json.path("sessions").asDouble(), number(shown), SHOWN, where);
                default -> {
                    assertTrue(json.has(field), where + ": no such field in the JSON report");
                    assertEquals(json.path(field).asDouble(), number(shown), SHOWN, where);
                }
            }
        }
    }

    private static void overview(Element section, JsonNode json) {
        // The histogram's bars add up to every entry, and each bar is its hour's count.
        long sum = 0;
        for (Element bar : section.select("rect.bar")) {
            sum += Long.parseLong(bar.attr("data-value"));
        }
        assertEquals(json.path("entries").asLong(), sum, "the overview's bars");
        for (JsonNode h : json.path("hourly").path("hours")) {
            String label = h.path("hour").asText().substring(11, 16);
            Element bar = section.selectFirst("rect.bar[data-label=\"" + label + "\"]");
            assertNotNull(bar, label);
            assertEquals(h.path("count").asLong(), Long.parseLong(bar.attr("data-value")), label);
        }
        namedCounts(section, json.path("severities"), "severities");
        namedCounts(section, json.path("kinds"), "kinds");
        // Where the numbers came from: the imported file's summaries, every entry counted by one of them.
        Element sources = section.selectFirst("p#sources");
        assertNotNull(sources, "the sources line");
        long summaries = json.path("sources").path("summaries").asLong();
        assertTrue(summaries > 0, json.path("sources").toString());
        assertEquals(json.path("entries").asLong(), json.path("sources").path("summarised").asLong());
        assertTrue(sources.text().startsWith("Counted from " + summaries + (summaries == 1 ? " summary (" : " summaries (")),
                sources.text());
    }

    private static void namedCounts(Element section, JsonNode counts, String what) {
        assertFalse(counts.isEmpty(), what);
        for (JsonNode c : counts) {
            Element row = section.selectFirst("#" + what + " tr[data-key=\"" + c.path("name").asText() + "\"]");
            assertNotNull(row, what + " " + c);
            assertEquals(c.path("count").asLong(), number(row.child(1).text()), what + " " + c);
        }
    }

    private static void statements(Element section, JsonNode json) {
        for (String table : List.of("by_total", "by_slowest", "by_count")) {
            JsonNode groups = json.path(table);
            assertFalse(groups.isEmpty(), table);
            Elements rows = section.select("#" + table.replace('_', '-') + " tbody tr");
            assertEquals(groups.size(), rows.size(), table);
            for (int i = 0; i < groups.size(); i++) {
                JsonNode g = groups.get(i);
                Element row = rows.get(i);
                String where = table + " row " + i;
                assertEquals(g.path("fingerprint").asText(), row.attr("data-key"), where);
                assertEquals(g.path("text").asText(), row.child(0).selectFirst("code").wholeText(), where);
                assertEquals(g.path("count").asLong(), number(row.child(1).text()), where);
                assertEquals(g.path("total_ms").asDouble(), number(row.child(2).text()), SHOWN, where);
                assertEquals(g.path("mean_ms").asDouble(), number(row.child(3).text()), SHOWN, where);
                assertEquals(g.path("p50_ms").asDouble(), number(row.child(4).text()), SHOWN, where);
                assertEquals(g.path("p95_ms").asDouble(), number(row.child(5).text()), SHOWN, where);
                assertEquals(g.path("max_ms").asDouble(), number(row.child(6).text()), SHOWN, where);
            }
        }
    }

    private static void errors(Element section, JsonNode json) {
        Elements rows = section.select("#by-message tbody tr");
        assertEquals(json.path("by_message").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode g = json.path("by_message").get(i);
            assertEquals(g.path("message").asText(), rows.get(i).child(2).selectFirst("code").wholeText(),
                    "message " + i);
            assertEquals(g.path("count").asLong(), number(rows.get(i).child(3).text()), "message " + i);
        }
        Elements classes = section.select("#by-class tbody tr");
        assertEquals(json.path("by_class").size(), classes.size());
        for (int i = 0; i < classes.size(); i++) {
            assertEquals(json.path("by_class").get(i).path("count").asLong(), number(classes.get(i).child(2).text()));
        }
    }

    private static void vacuums(Element section, JsonNode json) {
        Elements rows = section.select("#tables tbody tr");
        assertEquals(json.path("tables").size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode t = json.path("tables").get(i);
            assertEquals(t.path("relation").asText(), rows.get(i).attr("data-key"));
            assertEquals(t.path("vacuums").asLong(), number(rows.get(i).child(1).text()), t.toString());
            assertEquals(t.path("analyzes").asLong(), number(rows.get(i).child(2).text()), t.toString());
        }
    }

    /** "2026-12-04 19:00 UTC (1,234)" of the JSON's busiest hour. */
    private static String busiest(JsonNode busiest) {
        return busiest.path("hour").asText().replace('T', ' ').substring(0, 16) + " UTC ("
                + Numbers.count(busiest.path("count").asLong()) + ")";
    }

    /** A shown number, without what follows it in brackets ("12,288 (12.0 KiB)"). */
    /**
     * The page shows milliseconds to three decimals, rounded half up: 0.0205 shows as 0.021, exactly half a
     * thousandth away, which a double subtraction puts a hair past 0.0005.
     */
    private static final double SHOWN = 0.0005 + 1e-9;

    private static double number(String shown) {
        int bracket = shown.indexOf(" (");
        return Numbers.parse(bracket < 0 ? shown : shown.substring(0, bracket));
    }
}
