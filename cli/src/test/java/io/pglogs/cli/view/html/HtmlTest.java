package io.pglogs.cli.view.html;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Log content in the HTML report stays text: no element, no attribute, no reordering of what is around it. */
class HtmlTest {
    @Test
    void markupInALogIsText() {
        assertEquals("SELECT &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39; &amp;&amp; &quot;x&quot;",
                Html.text("SELECT '<script>alert(1)</script>' && \"x\""));
    }

    @Test
    void anAttributeValueCannotEndItsQuotes() {
        Markup m = new Markup().element("td", "x", "title", "\" onmouseover=\"alert(1)");
        assertEquals("<td title=\"&quot; onmouseover=&quot;alert(1)\">x</td>", m.toString());
    }

    @Test
    void controlAndBidiCharactersAreVisibleEscapes() {
        assertEquals("a\\x1b[31mb\\x07", Html.text("a\u001b[31mb\u0007"));
        // U+202E would show what follows it right to left: "txt.exe" dressed as "exe.txt".
        assertEquals("file\\u202etxt.exe", Html.text("file\u202etxt.exe"));
        assertEquals("\\u2066x\\u2069 \\x85 \\u2028", Html.text("\u2066x\u2069 \u0085 \u2028"));
        assertEquals("line 1\nline 2\tend", Html.text("line 1\nline 2\tend"), "a statement's layout is kept");
        assertEquals("line 1\\nline 2\\tend", Html.attr("line 1\nline 2\tend"), "an attribute is one line");
        assertEquals("", Html.text(null));
    }

    @Test
    void textWithNothingToEscapeIsTheSameString() {
        String s = "SELECT 1 FROM t WHERE a = $1 -- é ü 中文";
        assertSame(s, Html.text(s), "no copy made for the common case");
    }

    @Test
    void onlyTheCodeNamesElements() {
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("script>"));
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("td", "on click", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Markup().open("td", "title"));
        assertThrows(IllegalStateException.class, () -> new Markup().open("tr").close("td"));
        assertThrows(IllegalStateException.class, () -> new Markup().open("tr").toString());
        assertThrows(IllegalStateException.class, () -> new Markup().append(new Markup().open("tr")));
    }

    @Test
    void aNullAttributeIsLeftOutAndVoidElementsNeedNoClose() {
        assertEquals("<p><meta charset=\"utf-8\"><span>a</span></p>",
                new Markup().open("p").open("meta", "charset", "utf-8").element("span", "a", "class", null)
                        .close("p").toString());
        assertEquals("<rect x=\"1\"/>", new Markup().empty("rect", "x", "1").toString());
    }

    @Test
    void numbersReadBackAsTheyWereWritten() {
        assertEquals("1,234,567", Numbers.count(1_234_567));
        assertEquals(1_234_567, Numbers.parse(Numbers.count(1_234_567)));
        assertEquals("1,234.568", Numbers.millis(1234.5678));
        assertEquals(1234.568, Numbers.parse(Numbers.millis(1234.5678)), 1e-9);
        assertEquals("0.000", Numbers.seconds(0));
    }
}
