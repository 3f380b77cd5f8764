package io.pglogs.cli.view.html;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page is one file that reaches for nothing outside itself. */
public class HtmlPageTest {
    /** Anything by which a page loads or runs something: a scheme, a source, a stylesheet link, a CSS import. */
    static final List<Pattern> EXTERNAL = List.of(Pattern.compile("(?i)https?:"), Pattern.compile("(?i)\\bsrc\\s*="),
            Pattern.compile("(?i)\\bhref\\s*="), Pattern.compile("(?i)<script"), Pattern.compile("(?i)<link"),
            Pattern.compile("(?i)url\\("), Pattern.compile("(?i)@import"), Pattern.compile("(?i)@font-face"),
            Pattern.compile("(?i)<iframe|<object|<embed|<img"), Pattern.compile("(?i)\\bon[a-z]+\\s*="));

    /** The offending parts of {@code html}, none for a self-contained page. */
    public static List<String> externalReferences(String html) {
        return EXTERNAL.stream().filter(p -> p.matcher(html).find()).map(Pattern::pattern).toList();
    }

    @Test
    void selfContained() {
        Markup body = new Markup().element("h1", "Report");
        SvgChart.bars(body, "t", "x", "y", List.of(new SvgChart.Point("a", 1)));
        String page = HtmlPage.of("pglogs report", body);
        assertEquals(List.of(), externalReferences(page));
        assertTrue(page.startsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"), page);
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                + "style-src &#39;unsafe-inline&#39;\">"), page);
        assertTrue(page.contains("<title>pglogs report</title>"));
    }

    @Test
    void theCheckFindsAReferenceWhereThereIsOne() {
        for (String bad : List.of("<img src=x>", "<a href=\"http://example.com\">", "<script>1</script>",
                "<link rel=stylesheet>", "<style>@import 'x.css'</style>", "<div style=\"background:url(x)\">",
                "<svg onload=alert(1)>")) {
            assertFalse(externalReferences(bad).isEmpty(), bad);
        }
    }

    @Test
    void theStyleSheetIsWrittenAsItIs() {
        // <style> is raw text in HTML: were the sheet to hold a character that escaping changes, the CSS would break.
        String page = HtmlPage.of("t", new Markup());
        assertTrue(page.contains("svg rect.bar { fill: var(--accent); }"), page);
        assertFalse(page.substring(page.indexOf("<style>"), page.indexOf("</style>")).contains("&"));
    }

    @Test
    void aHostileTitleStaysText() {
        String page = HtmlPage.of("</title><script>alert(1)</script>", new Markup());
        assertTrue(page.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"), page);
        assertEquals(List.of(), externalReferences(page));
    }
}
