package io.pglogs.cli.view.html;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class HtmlTableTest {
    private static String render(HtmlTable t) {
        Markup m = new Markup();
        t.writeTo(m);
        return m.toString();
    }

    @Test
    void cellsAreEscapedAndStyledByTheirColumn() {
        HtmlTable t = new HtmlTable("Top <statements>", HtmlTable.Column.code("statement"),
                HtmlTable.Column.number("count"), HtmlTable.Column.text("user"))
                .row("SELECT '<script>alert(1)</script>'\nFROM t", "1,234", "o'brien");
        String html = render(t);
        assertEquals("<table><caption>Top &lt;statements&gt;</caption><thead><tr><th scope=\"col\">statement</th>"
                + "<th scope=\"col\" class=\"n\">count</th><th scope=\"col\">user</th></tr></thead><tbody><tr>"
                + "<td><code>SELECT &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;\nFROM t</code></td>"
                + "<td class=\"n\">1,234</td><td>o&#39;brien</td></tr></tbody></table>", html);
        assertFalse(t.isEmpty());
    }

    @Test
    void aRowHasACellPerColumn() {
        HtmlTable t = new HtmlTable(null, HtmlTable.Column.text("a"), HtmlTable.Column.text("b"));
        assertTrue(t.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertFalse(render(t.row("x", null)).contains("caption"));
        assertTrue(render(t).contains("<td>x</td><td></td>"));
    }
}
