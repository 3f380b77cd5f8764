package io.pglogs.cli.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminalOneLineIsRedrawnWithBarCountRateAndWhat() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err, true), true, false);
        p.update("postgresql.log", 12_345, 0.5);
        String drawn = err.toString();
        assertTrue(drawn.startsWith("\r[============            ]  50% 12,345 entries, "), drawn);
        assertTrue(drawn.contains("/s  postgresql.log"), drawn);
        p.update("postgresql.log", 12_346, 0.5);
        assertEquals(drawn, err.toString(), "redrawn at most ten times a second");
        p.step("postgresql.log: 12,346 entries");
        assertTrue(err.toString().endsWith("\r\u001b[Kpostgresql.log: 12,346 entries\n"), "the bar is cleared first");
    }

    @Test
    void elsewhereOnlyStepsArePrintedAsPlainLines() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err, true), false, false);
        p.update("postgresql.log", 10, 0.1);
        p.step("postgresql.log: 10 entries");
        assertEquals("postgresql.log: 10 entries\n", err.toString());
        StringWriter quiet = new StringWriter();
        Progress q = new Progress(new PrintWriter(quiet, true), true, true);
        q.update("x", 1, 0.1);
        q.step("x");
        assertEquals("", quiet.toString());
    }
}
