package io.pglogs.cli.term;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pglogs.forwarder.dynamo.LogRow;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON output never hands the terminal a character that drives it, and still means the same. */
class JsonTest {
    /** C1 CSI (recolours like ESC [), DEL, line separator, bidi overrides and isolates: every one as an escape. */
    private static final String HOSTILE = "a\u009b31mred\u007f\u2028\u202eevil\u202c\u2066iso\u2069\u001b[0m é ✓";

    @Test
    void prettyEscapesC1ControlsAndBidiOverrides() throws Exception {
        String out = Json.pretty(Map.of("message", HOSTILE));
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            assertFalse(Printable.line(String.valueOf(c)).length() > 1 && c != '\n',
                    () -> String.format("raw U+%04X in %s", (int) c, out));
        }
        assertTrue(out.toLowerCase(java.util.Locale.ROOT)
                .contains("\\u009b31mred\\u007f\\u2028\\u202eevil\\u202c\\u2066iso\\u2069\\u001b[0m"), out);
        assertTrue(out.contains("é ✓"), "other non-ASCII stays as it is: " + out);
        assertEquals(HOSTILE, new ObjectMapper().readTree(out).path("message").asText(), "the same JSON value");
    }

    @Test
    void queryRowsAsJsonToo() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter();
        io.pglogs.cli.view.RowWriter writer = io.pglogs.cli.view.RowWriter.of(
                io.pglogs.cli.view.RowWriter.Format.ndjson, new java.io.PrintWriter(w), new Style(false));
        writer.row(new io.pglogs.forwarder.dynamo.LogRow("k", Map.of("message", HOSTILE)));
        writer.end();
        String out = w.toString().strip();
        assertTrue(out.toLowerCase(java.util.Locale.ROOT).contains("\\u009b31mred\\u007f\\u2028\\u202eevil"), out);
        assertFalse(out.chars().anyMatch(c -> c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e), out);
        assertEquals(HOSTILE, new ObjectMapper().readTree(out).path("message").asText());
    }
}
