package io.pglogs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pglogs.forwarder.dynamo.LogRow;
import io.pglogs.forwarder.dynamo.ItemFactory;
import io.pglogs.forwarder.cloudwatch.LogEvent;
import io.pglogs.forwarder.cloudwatch.LogSource;
import io.pglogs.forwarder.parse.PostgresLogParser;
import io.pglogs.forwarder.parse.Redactor;
import io.pglogs.testing.Corpus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/** Summaries deflated with the preset dictionary (summary items' {@code sm}) and without (all others, older items). */
class SummaryDictionaryTest {
    /** Outside readers take the dictionary from the docs: the same bytes, and the id the docs give. */
    @Test
    void theDocumentedDictionaryIsTheOneWritten() throws Exception {
        assertArrayEquals(Files.readAllBytes(Path.of("..", "docs", "summary-dictionary.txt")), SummaryDictionary.BYTES);
        assertEquals("febfa77a", Integer.toHexString(SummaryDictionary.ID));
        assertTrue(Files.readString(Path.of("..", "docs", "schema.md")).contains("Adler-32 `febfa77a`"));
    }

    private static ReportBuilder corpus(String file) {
        ItemFactory.ForSource factory = new ItemFactory(4, 90, new Redactor())
                .forSource(LogSource.of("/aws/rds/instance/corpus-db/postgresql", "corpus-db.0"));
        PostgresLogParser parser = new PostgresLogParser();
        ReportBuilder b = new ReportBuilder(ReportBuilder.Options.SUMMARY, null, null);
        List<LogEvent> events = Corpus.asEvents(Corpus.snapshot(file), 1);
        for (LogEvent e : events) {
            b.add(LogRow.of(factory.build(e.id(), e.timestamp(), parser.parse(e.message())).item()));
        }
        return b;
    }

    @Test
    void bothDeflationsHoldTheSameSummaryAndTheDictionaryOneIsSmaller() {
        for (String file : List.of("postgresql.log", "postgresql.csv", "postgresql.json")) {
            ReportBuilder b = corpus(file);
            byte[] plain = SummaryCodec.encode(b);
            byte[] withDictionary = SummaryCodec.encodeWithDictionary(b);
            assertEquals(0, plain[1] & 0x20, "no FDICT");
            assertEquals(0x20, withDictionary[1] & 0x20, "FDICT");
            assertTrue(withDictionary.length < plain.length, withDictionary.length + " vs " + plain.length);
            Report expected = b.build();
            assertEquals(expected, SummaryCodec.decode(plain, ReportBuilder.Options.SUMMARY).build());
            assertEquals(expected, SummaryCodec.decode(withDictionary, ReportBuilder.Options.SUMMARY).build());
            // Re-encoded without it: the plain bytes, as the JSON inside is the same.
            assertArrayEquals(plain, SummaryCodec.encode(SummaryCodec.decode(withDictionary,
                    ReportBuilder.Options.SUMMARY)));
        }
    }

    @Test
    void aSummaryDeflatedWithAnotherDictionaryIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater();
        deflater.setDictionary("{\"v\":1,\"n\":".getBytes(StandardCharsets.US_ASCII));
        try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
            d.write("{\"v\":1,\"n\":1}".getBytes(StandardCharsets.US_ASCII));
        }
        deflater.end();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SummaryCodec.decode(out.toByteArray(), ReportBuilder.Options.SUMMARY));
        assertTrue(e.getMessage().startsWith("not a pglogs summary: deflated with an unknown dictionary"),
                e.getMessage());
    }
}
