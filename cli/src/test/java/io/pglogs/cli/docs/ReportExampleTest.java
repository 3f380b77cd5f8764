package io.pglogs.cli.docs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * docs/report.md's examples are what {@link ReportExample} makes today from the checked-in corpus: the text and HTML
 * reports byte for byte, and the screenshot one of that very HTML page (its SHA-256 in the PNG). Stale: run
 * scripts/generate-docs and commit the result.
 */
@Tag("integration")
class ReportExampleTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theExamplesAreCurrent() throws Exception {
        Map<String, byte[]> fresh = ReportExample.generate();
        for (String file : new String[] {ReportExample.TEXT, ReportExample.HTML}) {
            assertEquals(new String(fresh.get(file), StandardCharsets.UTF_8),
                    Files.readString(REPO.resolve(file), StandardCharsets.UTF_8),
                    file + " is stale: run scripts/generate-docs and commit the result");
        }
        byte[] png = Files.readAllBytes(REPO.resolve(ReportExample.PNG));
        assertEquals(ReportExample.sha256(Files.readAllBytes(REPO.resolve(ReportExample.HTML))),
                PngText.read(png, ReportExample.SOURCE_KEY), ReportExample.PNG + " is not a screenshot of "
                        + ReportExample.HTML + ": run scripts/generate-docs and commit the result");
        assertTrue(Files.readString(REPO.resolve("docs/report.md")).contains("report-example.png"));
    }

    @Test
    void theScreenshotSaysWhichPageItShows() throws Exception {
        byte[] png = Files.readAllBytes(REPO.resolve(ReportExample.PNG));
        byte[] marked = PngText.with(png, "k", "v");
        assertEquals("v", PngText.read(marked, "k"));
        marked[marked.length / 2] ^= 1; // a changed image keeps its chunk; a changed chunk fails its CRC
        assertEquals("v", PngText.read(marked, "k"));
        byte[] forged = PngText.with(png, "k", "v");
        forged[8 + 25 + 8 + 2] ^= 1; // inside the tEXt chunk's keyword+text
        assertNull(PngText.read(forged, "k"));
    }
}
