package io.pglogs.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser the HTML report is tested in sees what a reader would: errors in a page are caught, not missed. */
@Tag("integration")
class HeadlessChromiumTest {
    @TempDir
    Path tmp;

    private Path page(String body) throws Exception {
        return page("", body);
    }

    private Path page(String head, String body) throws Exception {
        Path file = tmp.resolve("page-" + System.nanoTime() + ".html");
        Files.writeString(file, "<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title>" + head
                + "</head><body>" + body + "</body></html>");
        return file;
    }

    @Test
    void aCleanPageHasNoConsoleMessagesAndItsDomIsTheRenderedOne() throws Exception {
        HeadlessChromium.Page p = HeadlessChromium.dumpDom(page(
                "<p id=\"x\">before</p><script>document.getElementById('x').textContent = 'after'</script>"));
        assertEquals(List.of(), p.console());
        assertTrue(p.dom().contains("<p id=\"x\">after</p>"), p.dom()); // the DOM after scripts ran, not the file
    }

    @Test
    void aScriptErrorIsCaught() throws Exception {
        HeadlessChromium.Page p = HeadlessChromium.dumpDom(page("<p>x</p><script>noSuchFunction()</script>"));
        assertEquals(1, p.console().size(), p.console().toString());
        assertTrue(p.console().get(0).contains("Uncaught ReferenceError: noSuchFunction is not defined"),
                p.console().toString());
    }

    @Test
    void aBlockedResourceIsCaught() throws Exception {
        // What the report's Content-Security-Policy does to anything that would reach out of the file.
        HeadlessChromium.Page p = HeadlessChromium.dumpDom(page(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">", "<img src=\"x.png\">"));
        assertEquals(1, p.console().size(), p.console().toString());
        assertTrue(p.console().get(0).contains("violates the following Content Security Policy directive"),
                p.console().toString());
    }

    @Test
    void aScreenshotHasTheWindowSize() throws Exception {
        Path png = tmp.resolve("shot.png");
        assertEquals(List.of(), HeadlessChromium.screenshot(page("<h1>hello</h1>"), png, 640, 480));
        try (InputStream in = Files.newInputStream(png); DataInputStream data = new DataInputStream(in)) {
            byte[] signature = data.readNBytes(8);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, signature);
            data.readInt(); // IHDR length
            assertEquals("IHDR", new String(data.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(640, data.readInt());
            assertEquals(480, data.readInt());
        }
    }
}
